/**
 * The head view (after BertViz's): tiles for the layer's heads (click toggles a head,
 * double-click isolates it), the selected heads combined (mean or max) as a heatmap,
 * and lines from the query token — or the summed span — to every key it attends to.
 * Hovering a token in the lines view filters the lines to it. With grouped-query attention
 * the tiles are grouped by the key/value head their query heads share.
 */
import { el, clear, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { headLabel, isSelfAttentionLabel } from './headLabel';
import { cellAt, drawMatrix, drawThumbnail, hiDpiContext, themeRgb, type MatrixLayout } from './heatmap';
import { aggregateHeads, spanSum } from './matrix';
import { kvGroups, panelArchitecture } from './decoderMath';
import { groupText } from './decoderText';
import { overviewView } from './overview';
import { cellSize, LABELLED_CELL, queryRows, type Inspector } from './state';

const TILE = 56;
/** The lines view's widest; in a narrower column it takes the column's width. */
const LINES_WIDTH = 420, PANE_GAP = 16;

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
  const overview = overviewView(ins);
  const card = el('div', { id: 'heat-card', class: 'heat-card', role: 'tooltip', hidden: true });
  const panes = el('div', { class: 'head-panes' }, el('div', { class: 'attention-scroll' }, heat), linesPane);
  let linesWidth = LINES_WIDTH;

  const combined = () => aggregateHeads(ins.a.weights[ins.state.layer], ins.a.T, ins.state.heads, ins.state.aggregate);

  function drawTiles(): void {
    clear(tiles);
    const { a, state } = ins;
    const colour = themeRgb('charts-blue', { r: 55, g: 148, b: 255 });
    const boxes: HTMLElement[] = [];
    for (let h = 0; h < a.heads; h++) {
      const named = a.namedHeads.filter((n) => n.layer === state.layer && n.head === h && isSelfAttentionLabel(n.label)).map((n) => headLabel(n.label)).join(', ');
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
      boxes.push(el('figure', { class: 'head-tile-box' }, c, el('figcaption', {}, `H${h}${named ? ` · ${named}` : ''}`)));
    }
    // Grouped-query attention: the tiles of the query heads that share a K/V head sit in one captioned group.
    const kv = panelArchitecture(a).kvHeads;
    if (kv === a.heads) { tiles.append(...boxes); return; }
    for (const g of kvGroups(a.heads, kv)) {
      tiles.append(el('div', { class: 'kv-group', role: 'group', 'data-kv': g.kv, 'aria-label': groupText(g) },
        el('div', { class: 'kv-group-caption muted' }, groupText(g)), el('div', { class: 'kv-group-tiles' }, ...boxes.slice(g.first, g.last + 1))));
    }
  }

  function drawHeat(): void {
    const { a, state } = ins;
    const m = combined();
    // The heatmap fits the column (beside the lines view when both fit side by side); a
    // long input that cannot be labelled at that size also gets the overview.
    const width = panes.clientWidth || 700;
    const side = width >= 900;
    linesWidth = Math.min(LINES_WIDTH, width);
    const heatWidth = side ? width - LINES_WIDTH - PANE_GAP : width;
    layout = drawMatrix(heat, m, a.T, { cell: cellSize(state, a.T, heatWidth), labels: a.tokens.map((x) => x.text), rows: queryRows(state) });
    const fit = cellSize({ ...state, zoom: 0 }, a.T, heatWidth);
    heat.dataset.fit = String(fit);
    if (fit < LABELLED_CELL) overview.draw(m, width); else overview.hide();
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
    // x positions as fractions of the 420 px design: labels | lines | labels
    const width = linesWidth, height = shown * rowH + 8;
    const leftEnd = width * 144 / 420, lineFrom = width * 150 / 420, lineTo = width * 270 / 420, rightStart = width * 276 / 420;
    const labelChars = Math.max(4, Math.min(18, Math.floor(leftEnd / 7.5)));
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
      for (const q of rows) { if (q < shown) { ctx.moveTo(lineFrom, y(q)); ctx.lineTo(lineTo, y(k)); } }
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = fg;
    if (rowH >= 8) {
      // Setting ctx.font parses a CSS font: once per weight, not once per label.
      const size = `${Math.min(12, rowH - 2)}px var(--vscode-editor-font-family, monospace)`;
      const chosen = new Set(rows);
      const first = Math.max(0, Math.floor((scrolled - 4) / rowH)), last = Math.min(shown, Math.ceil((scrolled + view) / rowH));
      const labels = a.tokens.slice(first, last).map((x) => tokenLabel(x.text, labelChars));
      for (const bold of [false, true]) {
        ctx.font = `${bold ? 'bold ' : ''}${size}`;
        for (const side of ['right', 'left'] as const) {
          ctx.textAlign = side;
          for (let i = first; i < last; i++) {
            if (chosen.has(i) === bold) ctx.fillText(labels[i - first], side === 'right' ? leftEnd : rightStart, y(i));
          }
        }
      }
    }
    const top = [...row].map((v, k) => [v, k] as const).sort((x, z) => z[0] - x[0]).slice(0, 3);
    const who = rows.length > 1 ? t('Tokens {0}–{1}', rows[0], rows[rows.length - 1]) : t('Token {0} “{1}”', rows[0], tokenLabel(a.tokens[rows[0]].text));
    summary.textContent = `${who} ${t('attends most to')} ${top.map(([v, k]) => `“${tokenLabel(a.tokens[k].text)}” (${v.toFixed(2)})`).join(', ')}`;
    lines.dataset.rowH = String(rowH);
    lines.dataset.top = String(scrolled);
  }

  heat.addEventListener('click', (e) => {
    if (!layout) return;
    const c = cellAt(layout, heat, e);
    if (!c) return;
    if (e.shiftKey) ins.update({ spanEnd: c.q }); else ins.update({ query: c.q, spanEnd: undefined });
  });
  // The hover card: which cell, and its weight. It is placed below and right of the
  // pointer, flipped to stay in the window, and never above the heatmap's top edge, so
  // the toolbar, the view tabs and the head tiles (all above the heatmap) stay uncovered.
  heat.addEventListener('mousemove', (e) => {
    const c = layout && cellAt(layout, heat, e);
    if (!c || !lastCombined) { card.hidden = true; return; }
    const { a } = ins;
    card.textContent = t('query {0} “{1}” → key {2} “{3}”: weight {4}', c.q, tokenLabel(a.tokens[c.q].text, 24), c.k, tokenLabel(a.tokens[c.k].text, 24), lastCombined[c.q * a.T + c.k].toFixed(3));
    card.hidden = false;
    const w = card.offsetWidth, h = card.offsetHeight, margin = 8, offset = 14;
    let left = e.clientX + offset, top = e.clientY + offset;
    if (left + w > window.innerWidth - margin) left = Math.max(margin, Math.min(e.clientX - offset - w, window.innerWidth - margin - w));
    if (top + h > window.innerHeight - margin) top = e.clientY - offset - h;
    top = Math.max(top, heat.getBoundingClientRect().top, margin);
    card.style.left = `${left}px`;
    card.style.top = `${top}px`;
  });
  heat.addEventListener('mouseleave', () => { card.hidden = true; });
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
    const middle = linesWidth * 200 / 420;
    if (x > middle && i >= 0 && i < ins.a.T) { if (hoverKey !== i) { hoverKey = i; drawLines(combined()); } }
    else if (x < middle && i >= 0 && i < ins.a.T && i !== ins.state.query) { hoverKey = undefined; ins.update({ query: i, spanEnd: undefined }); }
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
  return { node: el('section', { id: 'head-view' }, tiles, summary, overview.node, panes, card), draw };
}
