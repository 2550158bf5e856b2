/**
 * The KV cache as it grows: per layer a K row and a V row with one cell per cached token
 * (the prompt's in blue, generated ones in green, the newest outlined), the bytes it holds
 * (with GQA: NKV heads, not NH), and the work of one step with and without it (multiply-adds
 * from src/shared/decodingWork.ts, and the ms per token measured both ways by the engine).
 * Legend: L layers, NH query heads, NKV key/value heads, HD head size.
 */
import { compactBytes, compactCount, kvBytes, macsWithCache, macsWithoutCache } from '../../../src/shared/decodingWork';
import type { GenerateShape, GenerateSummary } from '../../../src/shared/generateProtocol';
import { el } from '../../dom';
import { t } from '../../l10n';
import { hiDpiContext, themeRgb } from '../attention/heatmap';

const LABEL = 34;

function drawCache(canvas: HTMLCanvasElement, shape: GenerateShape, promptLength: number, tokens: number): void {
  const room = Math.max(200, (canvas.parentElement?.clientWidth || 600) - LABEL - 8);
  const cell = Math.max(1, Math.min(10, Math.floor(room / Math.max(1, tokens))));
  const rowH = Math.max(3, Math.min(8, Math.floor(320 / (2 * shape.layers))));
  const w = LABEL + tokens * cell + 2, h = shape.layers * (2 * rowH + 3);
  const ctx = hiDpiContext(canvas, w, h);
  const blue = themeRgb('charts-blue', { r: 55, g: 148, b: 255 }), green = themeRgb('charts-green', { r: 56, g: 138, b: 52 });
  const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#cccccc';
  const rgb = (c: { r: number; g: number; b: number }, a: number) => `rgba(${c.r}, ${c.g}, ${c.b}, ${a})`;
  ctx.font = '10px var(--vscode-font-family, sans-serif)';
  ctx.textBaseline = 'middle';
  for (let l = 0; l < shape.layers; l++) {
    const top = l * (2 * rowH + 3);
    ctx.fillStyle = fg;
    if (rowH >= 5 || l % 4 === 0) ctx.fillText(`L${l}`, 2, top + rowH);
    for (const [r, alpha] of [[0, 0.85], [1, 0.55]] as const) { // K row, then V row
      ctx.fillStyle = rgb(blue, alpha);
      ctx.fillRect(LABEL, top + r * rowH, Math.min(promptLength, tokens) * cell, rowH - 1);
      if (tokens > promptLength) { ctx.fillStyle = rgb(green, alpha); ctx.fillRect(LABEL + promptLength * cell, top + r * rowH, (tokens - promptLength) * cell, rowH - 1); }
    }
  }
  if (tokens > 0) {
    ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || fg;
    ctx.strokeRect(LABEL + (tokens - 1) * cell - 0.5, 0.5, cell, h - 2);
  }
}

export interface KvCacheView {
  node: HTMLElement;
  /** The cache holds `tokens` tokens (prompt + generated); `keys` is the step the work numbers are for. */
  update(tokens: number, keys: number): void;
  measured(summary: GenerateSummary): void;
}

export function kvCacheView(shape: GenerateShape, promptLength: number): KvCacheView {
  const canvas = el('canvas', { id: 'kv-cache-canvas', role: 'img' });
  const bytes = el('p', { id: 'kv-bytes' });
  const perToken = kvBytes(shape, 1);
  const mha = { ...shape, kvHeads: shape.heads };
  const groups = el('p', { id: 'kv-gqa', class: 'muted' }, shape.kvHeads < shape.heads
    ? t('Grouped-query attention: {0} key/value heads serve {1} query heads, so the cache is {2}× smaller than with a K and V per head ({3} instead of {4} a token).', shape.kvHeads, shape.heads, shape.heads / shape.kvHeads, compactBytes(perToken), compactBytes(kvBytes(mha, 1)))
    : t('Multi-head attention: each of the {0} heads keeps its own K and V rows.', shape.heads));
  const workBody = el('tbody');
  const work = el('table', { id: 'kv-work', class: 'prob-table' },
    el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, t('multiply-adds this step')), el('th', {}, t('ms per token (measured)')))), workBody);
  const workNote = el('p', { id: 'kv-work-note', class: 'muted' });
  let measured: GenerateSummary | undefined;
  let at = { tokens: promptLength, keys: promptLength };
  const render = () => {
    const { tokens, keys } = at;
    drawCache(canvas, shape, promptLength, tokens);
    canvas.setAttribute('aria-label', t('KV cache: {0} layers × K and V rows, {1} tokens ({2} from the prompt)', shape.layers, tokens, Math.min(tokens, promptLength)));
    canvas.dataset.tokens = String(tokens);
    bytes.textContent = t('{0} tokens × {1} layers × (K + V) × {2} heads × {3} numbers × {4} bytes = {5}; each new token adds {6}.',
      tokens, shape.layers, shape.kvHeads, shape.headDim, shape.bytesPerValue, compactBytes(kvBytes(shape, tokens)), compactBytes(perToken));
    const withC = macsWithCache(shape, keys), without = macsWithoutCache(shape, keys);
    const w = measured?.withoutCache;
    const ms = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(2));
    workBody.replaceChildren(
      el('tr', { id: 'kv-work-with' }, el('td', {}, t('with the cache')), el('td', {}, compactCount(withC)), el('td', {}, ms(w ? w.withCacheMsPerToken : measured?.msPerToken))),
      el('tr', { id: 'kv-work-without' }, el('td', {}, t('without the cache')), el('td', {}, compactCount(without)), el('td', {}, ms(w?.msPerToken))));
    workNote.textContent = `${t('At {0} keys the step without the cache does {1}× the work: every earlier token goes through every layer again.', keys, (without / withC).toFixed(1))}${w
      ? ` ${t('Measured over the first {0} new tokens, both runs on this machine; the uncached run chose {1}.', w.tokens, w.sameIds ? t('the same tokens') : t('different tokens (near-ties in float32)'))}` : ''}`;
  };
  render();
  return {
    node: el('section', { id: 'kv-cache-view' }, el('h3', {}, t('KV cache')), el('div', { class: 'attention-scroll' }, canvas),
      el('p', { class: 'muted kv-legend' }, el('span', { class: 'kv-swatch kv-prompt' }), t('prompt'), ' ', el('span', { class: 'kv-swatch kv-generated' }), t('generated'), ' · ', t('each layer: a K row above a V row')),
      bytes, groups, work, workNote),
    update(tokens, keys) { at = { tokens, keys }; render(); },
    measured(s) { measured = s; render(); },
  };
}
