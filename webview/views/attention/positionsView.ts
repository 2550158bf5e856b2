/**
 * Positional encoding: the sinusoidal table of the original Transformer as a heatmap
 * (positions down, channels across), the loaded model's learned position embeddings
 * for the selection's positions, and how relative positions and RoPE differ.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import { el } from '../../dom';
import { t } from '../../l10n';
import { explanation } from './explain';
import { themeRgb } from './heatmap';
import { sinusoidalTable } from './matrix';

/** A [rows, cols] table with values in [−1, 1] (or scaled to its max |v|): blue positive, orange negative. */
export function drawSigned(canvas: HTMLCanvasElement, m: Float32Array, rows: number, cols: number, px: number): void {
  let max = 1e-9;
  for (const v of m) max = Math.max(max, Math.abs(v));
  const img = new ImageData(cols, rows);
  const pos = themeRgb('charts-blue', { r: 55, g: 148, b: 255 }), neg = themeRgb('charts-orange', { r: 209, g: 134, b: 22 });
  for (let i = 0; i < rows * cols; i++) {
    const v = m[i] / max, c = v >= 0 ? pos : neg;
    img.data.set([c.r, c.g, c.b, Math.round(255 * Math.min(1, Math.abs(v)))], i * 4);
  }
  const off = document.createElement('canvas');
  off.width = cols; off.height = rows;
  off.getContext('2d')!.putImageData(img, 0, 0);
  canvas.width = cols * px; canvas.height = rows * px;
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, cols * px, rows * px);
}

export function positionsView(T: number): { node: HTMLElement; show(s: StepTrace): void } {
  const learned = el('div', { id: 'learned-positions' }, el('p', { class: 'muted' }, t('Waiting for the model\'s position embeddings…')));
  const d = 128;
  const sin = el('canvas', { id: 'sinusoid', role: 'img', 'aria-label': t('Sinusoidal position table: {0} positions by {1} channels', T, d) });
  requestAnimationFrame(() => drawSigned(sin, sinusoidalTable(T, d), T, d, Math.max(1, Math.min(4, Math.floor(512 / d)))));
  return {
    node: el('section', { id: 'positions-view' },
      el('h4', {}, t('Sinusoidal table (Vaswani et al.), d = {0}', d)),
      el('p', { class: 'muted' }, 'PE(pos, 2i) = sin(pos / 10000^(2i/d)),  PE(pos, 2i+1) = cos(pos / 10000^(2i/d))'),
      el('div', { class: 'attention-scroll' }, sin), explanation('positions', true),
      el('h4', {}, t('This model\'s learned position embeddings')), learned, explanation('relative')),
    show(s) {
      if (!s.positions) { learned.replaceChildren(el('p', { class: 'muted' }, t('This model uses fixed sinusoidal positions.'))); return; }
      const C = s.positions.length / s.T;
      const c = el('canvas', { id: 'learned-canvas', role: 'img', 'aria-label': t('Learned position embeddings: {0} positions by {1} channels', s.T, C) });
      drawSigned(c, s.positions, s.T, C, Math.max(1, Math.min(4, Math.floor(512 / C))));
      learned.replaceChildren(el('div', { class: 'attention-scroll' }, c));
    },
  };
}
