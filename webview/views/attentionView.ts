/**
 * The Attention tab: a model's attention on the selection as a heatmap on a canvas
 * (queries down, keys across; one cell per pair, no element per cell), with a layer and a
 * head picker and the model's next-token guesses. The full inspector (head and model
 * views, step trace, mask comparator) grows from here.
 */
import type { PanelAttention } from '../../src/shared/protocol';
import { dropdown } from '../components/toolkit';
import { el, visible } from '../dom';

const LABEL_WIDTH = 96;
const MAX_CELL = 28;

/** Draw head `h` of layer `l`: cell alpha = weight, in the theme's chart colour. */
export function drawHeatmap(canvas: HTMLCanvasElement, a: PanelAttention, l: number, h: number): void {
  const T = a.T;
  const cell = Math.max(2, Math.min(MAX_CELL, Math.floor(640 / T)));
  const ratio = window.devicePixelRatio || 1;
  const size = LABEL_WIDTH + T * cell;
  canvas.width = size * ratio;
  canvas.height = size * ratio;
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(ratio, ratio);
  const css = getComputedStyle(document.body);
  const colour = css.getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
  const fg = css.getPropertyValue('--vscode-foreground').trim() || '#cccccc';
  ctx.clearRect(0, 0, size, size);
  const w = a.weights[l];
  const base = h * T * T;
  ctx.fillStyle = colour;
  for (let q = 0; q < T; q++) {
    for (let k = 0; k < T; k++) {
      const v = w[base + q * T + k];
      if (v <= 0) continue;
      ctx.globalAlpha = Math.min(1, 0.08 + v * 0.92);
      ctx.fillRect(LABEL_WIDTH + k * cell, LABEL_WIDTH + q * cell, cell - (cell > 4 ? 1 : 0), cell - (cell > 4 ? 1 : 0));
    }
  }
  ctx.globalAlpha = 1;
  if (cell >= 10) {
    ctx.fillStyle = fg;
    ctx.font = `${Math.min(12, cell - 2)}px var(--vscode-editor-font-family, monospace)`;
    ctx.textBaseline = 'middle';
    a.tokens.forEach((t, i) => {
      const label = visible(t.text).slice(0, 12);
      ctx.textAlign = 'right';
      ctx.fillText(label, LABEL_WIDTH - 4, LABEL_WIDTH + i * cell + cell / 2);
      ctx.save();
      ctx.translate(LABEL_WIDTH + i * cell + cell / 2, LABEL_WIDTH - 4);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'left';
      ctx.fillText(label, 0, 0);
      ctx.restore();
    });
  }
}

export function renderAttention(a: PanelAttention): HTMLElement {
  const canvas = el('canvas', { id: 'attention-canvas', role: 'img' });
  let layer = 0, head = 0;
  const redraw = () => {
    canvas.setAttribute('aria-label', `Attention of layer ${layer}, head ${head}: ${a.T} query tokens by ${a.T} key tokens`);
    drawHeatmap(canvas, a, layer, head);
  };
  const layers = dropdown('attention-layer', 'Layer', Array.from({ length: a.layers }, (_, i) => String(i)), '0', (v) => { layer = Number(v); redraw(); showNamed(); });
  const heads = dropdown('attention-head', 'Head', Array.from({ length: a.heads }, (_, i) => String(i)), '0', (v) => { head = Number(v); redraw(); showNamed(); });
  const named = el('p', { id: 'attention-named', class: 'muted' });
  const showNamed = () => {
    const here = a.namedHeads.filter((n) => n.layer === layer && n.head === head);
    named.textContent = here.length ? `Model card: ${here.map((n) => `${n.label} head (held-out score ${n.score.toFixed(2)})`).join('; ')}` : '';
  };
  const catalogue = a.namedHeads.length
    ? el('p', { id: 'attention-catalogue', class: 'muted' }, 'Named heads: ', ...a.namedHeads.map((n) => el('code', { title: `held-out score ${n.score.toFixed(3)}` }, `L${n.layer} H${n.head} ${n.label}`)))
    : el('span');
  const next = a.nextTokenTop?.length
    ? el('p', { id: 'attention-next' }, 'Next token: ', ...a.nextTokenTop.slice(0, 5).map((e) => el('code', { title: `id ${e.id} · logit ${e.logit.toFixed(2)}` }, visible(e.text ?? `#${e.id}`))))
    : el('span');
  const masks = (a.maskTop ?? []).map((m) => el('p', { class: 'attention-mask' }, `[MASK] at ${m.pos}: `,
    ...m.top.slice(0, 5).map((e) => el('code', { title: `id ${e.id} · logit ${e.logit.toFixed(2)}` }, visible(e.text ?? `#${e.id}`)))));
  const node = el('section', { id: 'attention' },
    el('p', { class: 'muted' }, `${a.model} · ${a.description} · ${a.T} tokens · ${a.forwardMs.toFixed(0)} ms`),
    a.notice ? el('p', { class: 'notice', role: 'note' }, a.notice) : el('span'),
    el('div', { class: 'attention-pickers' }, layers, heads), named, catalogue,
    el('div', { class: 'attention-scroll' }, canvas), next, ...masks);
  showNamed();
  requestAnimationFrame(redraw);
  return node;
}
