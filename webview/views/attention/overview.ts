/**
 * The overview for inputs too long to label (a 1,024-token heatmap is a pale square at
 * any width a panel has): a strip with one column per query row — its largest weight
 * (top band) and its entropy, how evenly it spreads (bottom band) — with position labels
 * only where they fit, and a focus window: the rows and keys around the query, big
 * enough to label, that follows the query. Clicking either picks the query.
 */
import { el } from '../../dom';
import { t } from '../../l10n';
import { cellAt, drawMatrix, hiDpiContext, LABEL_SPACE, themeRgb, type MatrixLayout } from './heatmap';
import { focusWindow, rowStats, subMatrix, tickPositions, type RowStats } from './overviewMath';
import { queryRows, type Inspector } from './state';

const BAND = 12, GAP = 3, TICK_GAP = 48, FOCUS_CELL = 12;

export function overviewView(ins: Inspector): { node: HTMLElement; draw(m: Float32Array, width: number): void; hide(): void } {
  const strip = el('canvas', { id: 'overview-strip', role: 'img' });
  const ticks = el('div', { class: 'overview-ticks' });
  const stripBox = el('div', { class: 'overview-strip-box' }, strip, ticks);
  const focus = el('canvas', { id: 'focus-heatmap', role: 'img' });
  const focusCaption = el('p', { class: 'muted', id: 'focus-caption' });
  const node = el('section', { id: 'attention-overview', class: 'overview', hidden: true },
    el('p', { class: 'muted' }, t('Each query row: its largest weight (top band) and its entropy, how evenly it spreads (bottom band). Click to pick a query.')),
    stripBox, focusCaption, el('div', { class: 'attention-scroll' }, focus));
  let stats: { key: string; s: RowStats } | undefined;
  let focusLayout: MatrixLayout | undefined;
  let focusFrom = 0;

  function drawStrip(s: RowStats, width: number): void {
    const { T } = ins.a;
    const ctx = hiDpiContext(strip, width, 2 * BAND + GAP);
    const blue = themeRgb('charts-blue', { r: 55, g: 148, b: 255 }), orange = themeRgb('charts-orange', { r: 209, g: 134, b: 22 });
    // the top band is scaled to the largest row maximum: a long row's weights are all small
    let peak = 1e-9;
    for (let q = 0; q < T; q++) peak = Math.max(peak, s.max[q]);
    for (let x = 0; x < width; x++) {
      const r0 = Math.floor((x * T) / width), r1 = Math.max(r0 + 1, Math.floor(((x + 1) * T) / width));
      let top = 0, spread = 0;
      for (let q = r0; q < r1; q++) { top = Math.max(top, s.max[q]); spread += s.entropy[q]; }
      spread /= r1 - r0;
      ctx.fillStyle = `rgba(${blue.r}, ${blue.g}, ${blue.b}, ${(0.08 + 0.92 * (top / peak)).toFixed(3)})`;
      ctx.fillRect(x, 0, 1, BAND);
      ctx.fillStyle = `rgba(${orange.r}, ${orange.g}, ${orange.b}, ${(0.08 + 0.92 * spread).toFixed(3)})`;
      ctx.fillRect(x, BAND + GAP, 1, BAND);
    }
    const rows = queryRows(ins.state);
    ctx.fillStyle = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || '#007fd4';
    const x0 = (rows[0] * width) / T, x1 = ((rows[rows.length - 1] + 1) * width) / T;
    ctx.fillRect(Math.min(x0, width - 2), 0, Math.max(2, x1 - x0), 2 * BAND + GAP);
    strip.setAttribute('aria-label', t('Largest weight and entropy of each of the {0} query rows', T));
    ticks.replaceChildren(...tickPositions(T, width, TICK_GAP).map((i) => {
      const centre = ((i + 0.5) * width) / T;
      const tick = el('span', { class: 'overview-tick' }, String(i));
      // centred on their row, except at the ends: the first starts at the strip's left edge,
      // one near the right edge ends at it (labels are ≤ 5 digits, ~30 px, and TICK_GAP apart)
      if (centre < TICK_GAP / 2) tick.style.left = '0px';
      else if (centre > width - TICK_GAP / 2) tick.style.right = '0px';
      else { tick.style.left = `${centre}px`; tick.style.transform = 'translateX(-50%)'; }
      return tick;
    }));
  }

  function drawFocus(m: Float32Array, width: number): void {
    const { a, state } = ins;
    const size = Math.max(8, Math.min(32, Math.floor((width - LABEL_SPACE) / FOCUS_CELL)));
    const [from, to] = focusWindow(a.T, state.query, size);
    const n = to - from;
    const cell = Math.max(FOCUS_CELL, Math.min(16, Math.floor((width - LABEL_SPACE - 4) / n)));
    focusFrom = from;
    const rows = queryRows(state).filter((q) => q >= from && q < to).map((q) => q - from);
    const block = subMatrix(m, a.T, from, n);
    let peak = 1e-9;
    for (const v of block) peak = Math.max(peak, v);
    // colour scaled to the block's largest weight, so a long input's small weights still read
    focusLayout = drawMatrix(focus, block, n, { cell, labels: a.tokens.slice(from, to).map((x) => x.text), rows, maxValue: peak });
    focus.dataset.from = String(from);
    focus.dataset.to = String(to);
    focusCaption.textContent = t('Focus: tokens {0}–{1} around the query (it follows the query); colour scaled to the largest weight here, {2}.', from, to - 1, peak.toFixed(3));
    focus.setAttribute('aria-label', t('Attention of tokens {0}–{1} to each other', from, to - 1));
  }

  strip.addEventListener('click', (e) => {
    const box = strip.getBoundingClientRect();
    const q = Math.floor(((e.clientX - box.left) / box.width) * ins.a.T);
    if (q >= 0 && q < ins.a.T) ins.update({ query: q, spanEnd: undefined });
  });
  focus.addEventListener('click', (e) => {
    const c = focusLayout && cellAt(focusLayout, focus, e);
    if (c) ins.update({ query: focusFrom + c.q, spanEnd: undefined });
  });

  return {
    node,
    draw(m, width) {
      node.hidden = false;
      // the row statistics change with the layer and the heads, not with the query
      const key = `${ins.state.layer}|${ins.state.heads.join(',')}|${ins.state.aggregate}`;
      if (stats?.key !== key) stats = { key, s: rowStats(m, ins.a.T, ins.a.causal) };
      drawStrip(stats.s, Math.max(100, Math.floor(width)));
      drawFocus(m, width);
    },
    hide() { node.hidden = true; },
  };
}
