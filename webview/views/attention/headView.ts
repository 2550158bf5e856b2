/**
 * The head view (after BertViz's): tiles for the layer's heads (click toggles a head,
 * double-click isolates it), the selected heads combined (mean or max) as a heatmap,
 * and lines from the query token — or the summed span — to every key it attends to.
 * Hovering a token in the lines view filters the lines to it.
 */
import { el, clear, visible } from '../../dom';
import { t } from '../../l10n';
import { headLabel } from './headLabel';
import { cellAt, drawMatrix, drawThumbnail, hiDpiContext, themeRgb, type MatrixLayout } from './heatmap';
import { aggregateHeads, spanSum } from './matrix';
import { cellSize, queryRows, type Inspector } from './state';

const TILE = 56;

/** `draw()` paints at once once the node is in the document (the first paint need not wait a frame). */
export function headView(ins: Inspector): { node: HTMLElement; draw(): void } {
  const tiles = el('div', { class: 'head-tiles', role: 'toolbar', 'aria-label': t('Heads of this layer: click to toggle, double-click to isolate') });
  const heat = el('canvas', { id: 'head-heatmap', role: 'img' });
  // The lines view can be thousands of pixels tall: its canvas is only as tall as the pane
  // (sticky at the pane's top, over a spacer of the full height) and is redrawn on scroll,
  // so a paint rasterizes what is visible, not every label.
  const lines = el('canvas', { id: 'head-lines', role: 'img' });
  const linesSpace = el('div', { class: 'lines-space' }, lines);
  const linesPane = el('div', { class: 'lines-scroll' }, linesSpace);
  let lastCombined: Float32Array | undefined;
  const summary = el('p', { id: 'head-summary', class: 'muted', 'aria-live': 'polite' });
  let layout: MatrixLayout | undefined;
  let hoverKey: number | undefined;

  const combined = () => aggregateHeads(ins.a.weights[ins.state.layer], ins.a.T, ins.state.heads, ins.state.aggregate);

  function drawTiles(): void {
    clear(tiles);
    const { a, state } = ins;
    const colour = themeRgb('charts-blue', { r: 55, g: 148, b: 255 });
    for (let h = 0; h < a.heads; h++) {
      const named = a.namedHeads.filter((n) => n.layer === state.layer && n.head === h).map((n) => headLabel(n.label)).join(', ');
      const on = state.heads.includes(h);
      const c = el('canvas', { class: `head-tile${on ? ' selected' : ''}`, width: TILE, height: TILE, tabindex: 0, role: 'checkbox', 'aria-checked': on ? 'true' : 'false', 'data-head': h,
        'aria-label': `${t('Head {0}', h)}${named ? ` (${named})` : ''}`, title: `${t('Head {0}', h)}${named ? ` · ${named}` : ''}` });
      drawThumbnail(c.getContext('2d')!, a.weights[state.layer].subarray(h * a.T * a.T, (h + 1) * a.T * a.T), a.T, 0, 0, TILE, colour);
      let clickTimer: number | undefined;
      c.addEventListener('click', () => {
        // A double-click also fires two clicks: wait briefly so it isolates without toggling twice.
        clearTimeout(clickTimer);
        clickTimer = window.setTimeout(() => {
          const set = new Set(ins.state.heads);
          if (set.has(h) && set.size > 1) set.delete(h); else set.add(h);
          ins.update({ heads: [...set].sort((x, y) => x - y) });
        }, 180);
      });
      c.addEventListener('dblclick', () => { clearTimeout(clickTimer); ins.update({ heads: [h] }); });
      c.addEventListener('keydown', (e) => { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); c.click(); } });
      tiles.append(el('figure', { class: 'head-tile-box' }, c, el('figcaption', {}, `H${h}${named ? ` · ${named}` : ''}`)));
    }
  }

  function drawHeat(): void {
    const { a, state } = ins;
    const m = combined();
    layout = drawMatrix(heat, m, a.T, { cell: cellSize(state, a.T, heat.parentElement?.clientWidth || 700), labels: a.tokens.map((x) => x.text), rows: queryRows(state) });
    heat.setAttribute('aria-label', t('Attention of layer {0}, heads {1} ({2}): {3} queries by {3} keys', state.layer, state.heads.join(', '), t(state.aggregate), a.T));
    drawLines(m);
  }

  /** BertViz-style: queries on the left, keys on the right, line opacity = weight. */
  function drawLines(m: Float32Array): void {
    const { a, state } = ins;
    const rows = queryRows(state);
    const row = spanSum(m, a.T, rows[0], rows[rows.length - 1]);
    const shown = Math.min(a.T, 400);
    const rowH = Math.max(4, Math.min(18, Math.floor(2400 / shown)));
    const width = 420, height = shown * rowH + 8;
    lastCombined = m;
    linesSpace.style.height = `${height}px`;
    const view = Math.min(height, linesPane.clientHeight || height);
    const scrolled = Math.max(0, Math.min(linesPane.scrollTop, height - view));
    const ctx = hiDpiContext(lines, width, view);
    ctx.translate(0, -scrolled);
    const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#ccc';
    const blue = getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
    ctx.font = `${Math.min(12, rowH - 2)}px var(--vscode-editor-font-family, monospace)`;
    ctx.textBaseline = 'middle';
    const y = (i: number) => 4 + i * rowH + rowH / 2;
    const max = Math.max(1e-9, ...row);
    ctx.strokeStyle = blue;
    for (let k = 0; k < shown; k++) {
      if (hoverKey !== undefined && hoverKey !== k) continue;
      const w = row[k] / max;
      if (w < 0.01) continue;
      ctx.globalAlpha = Math.min(1, w);
      ctx.lineWidth = 1 + 2 * w;
      ctx.beginPath();
      for (const q of rows) { if (q < shown) { ctx.moveTo(150, y(q)); ctx.lineTo(270, y(k)); } }
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = fg;
    if (rowH >= 8) {
      // Setting ctx.font parses a CSS font: once per weight, not once per label.
      const size = `${Math.min(12, rowH - 2)}px var(--vscode-editor-font-family, monospace)`;
      const chosen = new Set(rows);
      const first = Math.max(0, Math.floor((scrolled - 4) / rowH)), last = Math.min(shown, Math.ceil((scrolled + view) / rowH));
      const labels = a.tokens.slice(first, last).map((x) => visible(x.text).slice(0, 18));
      for (const bold of [false, true]) {
        ctx.font = `${bold ? 'bold ' : ''}${size}`;
        for (const side of ['right', 'left'] as const) {
          ctx.textAlign = side;
          for (let i = first; i < last; i++) {
            if (chosen.has(i) === bold) ctx.fillText(labels[i - first], side === 'right' ? 144 : 276, y(i));
          }
        }
      }
    }
    const top = [...row].map((v, k) => [v, k] as const).sort((x, z) => z[0] - x[0]).slice(0, 3);
    const who = rows.length > 1 ? t('Tokens {0}–{1}', rows[0], rows[rows.length - 1]) : t('Token {0} “{1}”', rows[0], visible(a.tokens[rows[0]].text));
    summary.textContent = `${who} ${t('attends most to')} ${top.map(([v, k]) => `“${visible(a.tokens[k].text)}” (${v.toFixed(2)})`).join(', ')}`;
    lines.dataset.rowH = String(rowH);
    lines.dataset.top = String(scrolled);
  }

  heat.addEventListener('click', (e) => {
    if (!layout) return;
    const c = cellAt(layout, heat, e);
    if (!c) return;
    if (e.shiftKey) ins.update({ spanEnd: c.q }); else ins.update({ query: c.q, spanEnd: undefined });
  });
  // Double-click a row: select that token in the editor.
  heat.addEventListener('dblclick', (e) => {
    const c = layout && cellAt(layout, heat, e);
    const tok = c && ins.a.tokens[c.q];
    if (tok && tok.start !== undefined && tok.end !== undefined) ins.post({ type: 'revealRange', start: tok.start, end: tok.end });
  });
  lines.addEventListener('mousemove', (e) => {
    const box = lines.getBoundingClientRect();
    const rowH = Number(lines.dataset.rowH) || 10;
    const i = Math.floor((e.clientY - box.top + (Number(lines.dataset.top) || 0) - 4) / rowH);
    const x = e.clientX - box.left;
    if (x > 200 && i >= 0 && i < ins.a.T) { if (hoverKey !== i) { hoverKey = i; drawLines(combined()); } }
    else if (x < 200 && i >= 0 && i < ins.a.T && i !== ins.state.query) { hoverKey = undefined; ins.update({ query: i, spanEnd: undefined }); }
  });
  lines.addEventListener('mouseleave', () => { hoverKey = undefined; drawLines(combined()); });
  let scrollQueued = false;
  linesPane.addEventListener('scroll', () => {
    if (scrollQueued || !lastCombined) return;
    scrollQueued = true;
    requestAnimationFrame(() => { scrollQueued = false; drawLines(lastCombined!); });
  });

  let drawn = false;
  const draw = () => { drawn = true; drawTiles(); drawHeat(); };
  ins.onChange(draw);
  requestAnimationFrame(() => { if (!drawn) draw(); }); // in case the caller never says the node is mounted
  return { node: el('section', { id: 'head-view' }, tiles, summary, el('div', { class: 'head-panes' }, el('div', { class: 'attention-scroll' }, heat), linesPane)), draw };
}
