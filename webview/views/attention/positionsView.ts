/**
 * Positional encoding: the sinusoidal table of the original Transformer as a heatmap
 * (positions down, channels across), the loaded model's learned position embeddings
 * for the selection's positions, and how relative positions and RoPE differ. A RoPE model
 * gets its own frequencies instead (θ, scaling, rotated channels, each pair's wavelength,
 * cos(m·θᵢ) over the selection), with the sinusoidal table below for comparison.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import type { PanelAttention, PanelRope } from '../../../src/shared/protocol';
import { el } from '../../dom';
import { t } from '../../l10n';
import { panelArchitecture, wavelengths } from './decoderMath';
import { explanation } from './explain';
import { hiDpiContext, themeRgb } from './heatmap';
import { sinusoidalTable } from './matrix';
import { fmt, smallTable } from './stepParts';

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

/** A RoPE model's own frequencies: θ, scaling, rotated channels, the wavelength of each pair, and cos(m·θᵢ) over the selection's positions. */
function ropeSection(a: PanelAttention, rope: PanelRope): HTMLElement {
  const half = rope.invFreq.length, T = a.T;
  const waves = wavelengths(rope.invFreq);
  const scaling = rope.type === 'default' ? t('none') : [rope.type, rope.factor && `factor ${rope.factor}`, rope.lowFreqFactor && `low_freq_factor ${rope.lowFreqFactor}`,
    rope.highFreqFactor && `high_freq_factor ${rope.highFreqFactor}`, rope.originalMaxPositions && `original_max_position_embeddings ${rope.originalMaxPositions}`].filter((x) => x).join(', ');
  const curve = el('canvas', { id: 'rope-frequencies', role: 'img', 'aria-label': t('Wavelength of each of the {0} frequency pairs, log scale: from {1} to {2} positions', half, fmt(waves[0]), fmt(waves[half - 1])) });
  const cosines = new Float32Array(T * half); // [T, d/2]  cos(m · θᵢ)
  for (let m = 0; m < T; m++) for (let i = 0; i < half; i++) cosines[m * half + i] = Math.cos(Math.fround(rope.invFreq[i] * m));
  const grid = el('canvas', { id: 'rope-cosines', role: 'img', 'aria-label': t('cos(m·θᵢ): {0} positions by {1} frequency pairs', T, half) });
  requestAnimationFrame(() => { drawWavelengths(curve, waves); drawSigned(grid, cosines, T, half, Math.max(1, Math.min(12, Math.floor(512 / half)))); });
  return el('div', { id: 'rope-positions' },
    el('h4', {}, t('This model\'s rotary positions (RoPE)')),
    el('p', {}, t('This model adds no position vectors: it rotates q and k. θ = {0}; {1} of the {2} head channels rotate, in {3} pairs; scaling: {4}.', rope.theta.toLocaleString('en-US'), rope.rotaryDim, a.headDim ?? rope.rotaryDim, half, scaling)),
    el('p', { class: 'muted' }, t('θᵢ = 1 / θ^(2i/d),  angle = m · θᵢ,  wavelength = 2π / θᵢ')),
    el('div', { class: 'attention-scroll' }, curve),
    smallTable('rope-wavelengths', [t('pair i'), 'θᵢ', t('wavelength (positions)')], rope.invFreq.slice(0, 64).map((f, i) => [String(i), fmt(f), fmt(waves[i])])),
    half > 64 ? el('p', { class: 'muted' }, t('Showing the first {0} of {1} pairs.', 64, half)) : el('span'),
    el('p', { class: 'muted' }, t('cos(m·θᵢ) for the selection\'s positions (down) and each pair (across):')),
    el('div', { class: 'attention-scroll' }, grid),
    explanation('rope', true));
}

/** log₁₀ wavelength per pair as a line with dots, pair index across. */
function drawWavelengths(canvas: HTMLCanvasElement, waves: number[]): void {
  const W = Math.min(480, Math.max(200, waves.length * 12)), H = 140, left = 44, bottom = 20;
  const ctx = hiDpiContext(canvas, W, H);
  const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#ccc';
  const blue = getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
  const logs = waves.map((w) => Math.log10(w));
  const lo = Math.floor(Math.min(...logs)), hi = Math.max(lo + 1, Math.ceil(Math.max(...logs)));
  const x = (i: number) => left + (waves.length > 1 ? (i / (waves.length - 1)) * (W - left - 8) : 0);
  const y = (v: number) => 6 + (1 - (v - lo) / (hi - lo)) * (H - bottom - 6);
  ctx.fillStyle = fg; ctx.strokeStyle = fg; ctx.font = '10px var(--vscode-font-family, sans-serif)'; ctx.textBaseline = 'middle';
  for (let p = lo; p <= hi; p++) ctx.fillText(`10^${p}`, 2, y(p));
  ctx.fillText('i →', W - 24, H - 8);
  ctx.strokeStyle = blue; ctx.fillStyle = blue; ctx.beginPath();
  logs.forEach((v, i) => (i ? ctx.lineTo(x(i), y(v)) : ctx.moveTo(x(i), y(v))));
  ctx.stroke();
  logs.forEach((v, i) => { ctx.beginPath(); ctx.arc(x(i), y(v), 2, 0, 2 * Math.PI); ctx.fill(); });
}

export function positionsView(a: PanelAttention): { node: HTMLElement; show(s: StepTrace): void } {
  const T = a.T;
  const rope = panelArchitecture(a).rope;
  const learned = el('div', { id: 'learned-positions' }, el('p', { class: 'muted' }, t('Waiting for the model\'s position embeddings…')));
  const d = 128;
  const sin = el('canvas', { id: 'sinusoid', role: 'img', 'aria-label': t('Sinusoidal position table: {0} positions by {1} channels', T, d) });
  requestAnimationFrame(() => drawSigned(sin, sinusoidalTable(T, d), T, d, Math.max(1, Math.min(4, Math.floor(512 / d)))));
  const sinusoidal = [
    el('h4', {}, rope ? t('For comparison: the sinusoidal table (Vaswani et al.), d = {0}', d) : t('Sinusoidal table (Vaswani et al.), d = {0}', d)),
    el('p', { class: 'muted' }, 'PE(pos, 2i) = sin(pos / 10000^(2i/d)),  PE(pos, 2i+1) = cos(pos / 10000^(2i/d))'),
    el('div', { class: 'attention-scroll' }, sin), explanation('positions', !rope)];
  return {
    node: rope
      ? el('section', { id: 'positions-view' }, ropeSection(a, rope), explanation('relative'), ...sinusoidal)
      : el('section', { id: 'positions-view' }, ...sinusoidal, el('h4', {}, t('This model\'s learned position embeddings')), learned, explanation('relative')),
    show(s) {
      if (rope) return; // RoPE has no table to show; its frequencies are the PanelAttention's own
      if (!s.positions) { learned.replaceChildren(el('p', { class: 'muted' }, t('This model uses fixed sinusoidal positions.'))); return; }
      const C = s.positions.length / s.T;
      const c = el('canvas', { id: 'learned-canvas', role: 'img', 'aria-label': t('Learned position embeddings: {0} positions by {1} channels', s.T, C) });
      drawSigned(c, s.positions, s.T, C, Math.max(1, Math.min(4, Math.floor(512 / C))));
      learned.replaceChildren(el('div', { class: 'attention-scroll' }, c));
    },
  };
}
