/**
 * The work of one decoding step, with and without the KV cache, counted in multiply-adds
 * (one per weight a token passes through, one per q·k and per weight·v term; norms,
 * softmax and activations are not counted; FLOPs ≈ 2 × these). Pure, for the Generate
 * view and its tests. Legend: L layers, NH query heads, NKV key/value heads, HD head size,
 * n keys (the tokens the new token attends over, itself included), W a sliding window.
 *
 *   with the cache:     weights + head + Σ_l 2·NH·HD·min(n, W_l)
 *                       (the new token alone: its q, k, v, FFN; one attention row per head)
 *   without the cache:  n·weights + head + Σ_l 2·NH·HD·Σ_{i=1..n} min(i, W_l)
 *                       (every token of the prefix again, every causal row; the head only
 *                       on the last position, whose logits choose the next token)
 *
 * Worked example, GPT-2 small (L 12, C 768, F 3072, V 50257): weights = 12·(4·768² +
 * 2·768·3072) = 84,934,656 (Kaplan et al. 2020's N = 2·d_model·n_layer·(2·d_attn + d_ff)),
 * head = 50257·768 = 38,597,376; at n = 193 the cached step adds 12·2·768·193 =
 * 3,557,376 for attention: 127,089,408 in all.
 */
import type { GenerateShape } from './generateProtocol';

export type WorkShape = Pick<GenerateShape, 'layers' | 'heads' | 'headDim' | 'slidingWindows' | 'weightMacs' | 'headMacs'>;

/** Σ_{i=1..n} min(i, W): the causal rows of n queries under a window W (0 = none). */
export function causalPairs(n: number, window: number): number {
  if (window <= 0 || n <= window) return (n * (n + 1)) / 2;
  return (window * (window + 1)) / 2 + (n - window) * window;
}

/** One new token that attends over `keys` keys, its K/V rows for the earlier ones read from the cache. */
export function macsWithCache(s: WorkShape, keys: number): number {
  let attention = 0;
  for (let l = 0; l < s.layers; l++) attention += 2 * s.heads * s.headDim * (s.slidingWindows[l] > 0 ? Math.min(keys, s.slidingWindows[l]) : keys);
  return s.weightMacs + s.headMacs + attention;
}

/** The same step without a cache: the whole prefix of `keys` tokens through every layer again. */
export function macsWithoutCache(s: WorkShape, keys: number): number {
  let attention = 0;
  for (let l = 0; l < s.layers; l++) attention += 2 * s.heads * s.headDim * causalPairs(keys, s.slidingWindows[l] ?? 0);
  return keys * s.weightMacs + s.headMacs + attention;
}

/** Bytes of K and V for `tokens` tokens: 2 · L · NKV · HD · bytes per number (per token: one K row and one V row a layer). */
export function kvBytes(s: Pick<GenerateShape, 'layers' | 'kvHeads' | 'headDim' | 'bytesPerValue'>, tokens: number): number {
  return 2 * s.layers * s.kvHeads * s.headDim * s.bytesPerValue * tokens;
}

/** 1234567 → "1.23 M"; for the view's compact counts. */
export function compactCount(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (n >= v) return `${(n / v).toPrecision(3)} ${u}`;
  return String(Math.round(n));
}

/** Bytes as KiB / MiB with three significant digits. */
export function compactBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toPrecision(3)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toPrecision(3)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toPrecision(3)} KiB`;
  return `${n} B`;
}
