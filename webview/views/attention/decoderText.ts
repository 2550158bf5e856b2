/**
 * The sentences the panel says about a model's shape, DOM-free (mocha tests them): the GQA
 * grouping ("query heads 0–2 read K/V head 0"), MHA / GQA / MQA in one line, the KV cache
 * per token in float32 (this engine) and fp16/bf16 (as served) against multi-head
 * attention, the positions (RoPE θ, scaling) and the sliding windows per layer.
 */
import type { PanelAttention } from '../../../src/shared/protocol';
import { t } from '../../l10n';
import { formatBytes, kvCacheBytesPerToken, kvGroups, panelArchitecture } from './decoderMath';

/** "query heads 0–2 read K/V head 0" (one query head: "query head 3 reads K/V head 1"). */
export function groupText(g: { kv: number; first: number; last: number }): string {
  return g.first === g.last ? t('query head {0} reads K/V head {1}', g.first, g.kv) : t('query heads {0}–{1} read K/V head {2}', g.first, g.last, g.kv);
}

/** [0, 1, 2, 5] → "0–2, 5" */
export function layerRanges(layers: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < layers.length; i++) {
    let j = i;
    while (j + 1 < layers.length && layers[j + 1] === layers[j] + 1) j++;
    parts.push(j > i ? `${layers[i]}–${layers[j]}` : String(layers[i]));
    i = j;
  }
  return parts.join(', ');
}

/** The attention shape in one line: MHA, GQA (with its groups) or MQA. */
export function headsLine(a: PanelAttention): string {
  const { kvHeads } = panelArchitecture(a);
  if (kvHeads === a.heads) return t('{0} heads, each with its own keys and values (multi-head attention).', a.heads);
  if (kvHeads === 1) return t('{0} query heads share one key/value head (multi-query attention).', a.heads);
  return t('Grouped-query attention: {0} query heads share {1} K/V heads, {2} per group: {3}.', a.heads, kvHeads, a.heads / kvHeads, kvGroups(a.heads, kvHeads).map(groupText).join('; '));
}

/** The KV cache per token, float32 and fp16, against multi-head attention; undefined when the head size is unknown (old trace files). */
export function kvCacheLines(a: PanelAttention): string[] | undefined {
  const arch = panelArchitecture(a);
  if (!arch.headDim) return undefined;
  const c = { layers: a.layers, kvHeads: arch.kvHeads, headDim: arch.headDim };
  const own = formatBytes(kvCacheBytesPerToken(c, 4));
  const lines = [arch.kvHeads === a.heads
    ? t('KV cache per token: 2 (K and V) × {0} layers × {1} heads × {2} dims × 4 bytes (float32, as this engine holds them) = {3}.', a.layers, arch.kvHeads, arch.headDim, own)
    : t('KV cache per token: 2 (K and V) × {0} layers × {1} K/V heads × {2} dims × 4 bytes (float32, as this engine holds them) = {3}; with a K/V head per query head (multi-head) it would be {4}, {5}× more.', a.layers, arch.kvHeads, arch.headDim, own,
      formatBytes(kvCacheBytesPerToken({ ...c, kvHeads: a.heads }, 4)), a.heads / arch.kvHeads)];
  lines.push(t('Served in fp16 or bf16 (2 bytes a number): {0} per token, {1} for 4,096 tokens.', formatBytes(kvCacheBytesPerToken(c, 2)), formatBytes(4096 * kvCacheBytesPerToken(c, 2))));
  return lines;
}

export function positionsLine(a: PanelAttention): string {
  const { rope, headDim } = panelArchitecture(a);
  if (!rope) return t('Positions: a position table added to the embeddings (no RoPE).');
  const scaling = rope.type === 'default' ? t('none') : `${rope.type}${rope.factor ? ` × ${rope.factor}` : ''}`;
  return t('Positions: RoPE, θ = {0}, {1} of {2} head channels rotated ({3} frequency pairs), scaling: {4}.', rope.theta.toLocaleString('en-US'), rope.rotaryDim, headDim ?? rope.rotaryDim, rope.rotaryDim / 2, scaling);
}

export function windowsLine(a: PanelAttention): string {
  const { slidingWindows } = panelArchitecture(a);
  const sizes = [...new Set(slidingWindows.filter((w) => w > 0))];
  if (!sizes.length) return a.causal ? t('No sliding window: every layer sees every earlier key.') : t('No sliding window: every layer sees every key.');
  return sizes.map((w) => t('Sliding window: layers {0} see only the last {1} keys.', layerRanges(slidingWindows.flatMap((x, l) => (x === w ? [l] : []))), w)).join(' ');
}
