/**
 * Multi-head scaled dot-product attention, every step kept for the panel:
 *
 *   raw     = Q_h · K_hᵀ                       [T, T]   (q·k for every query/key pair)
 *   scaled  = raw / √d_k                        [T, T]   (GPT-2 option: also / (layer + 1))
 *   masked  = scaled + mask                     [T, T]   (mask: 0 or −∞; causal and/or padding)
 *   shifted = masked − max(row)                 [T, T]   (so exp never overflows: the largest is e⁰ = 1)
 *   weights = exp(shifted) / Σ exp(shifted)     [T, T]   (−∞ → exactly 0)
 *   out_h   = weights · V_h                     [T, HS]
 *   concat  = [out_0 | out_1 | … | out_NH−1]    [T, C]
 *
 * "Attention Is All You Need" §3.2.1; llm.c `attention_forward`; HF `eager_attention_forward`.
 * Legend: T tokens, C channels, NH heads, HS = C / NH head size (d_k).
 *
 * Q_h, K_h and V_hᵀ are copied out of qkv [T, 3C] into contiguous scratch so both products
 * run on the fast matmul kernel; the copies are O(T·C), the products O(T²·C). The masked
 * (future) scores are computed too, so the trace can show what the mask hides.
 */
import { CancelledError } from './modelError';
import type { Kernels } from './kernels';

export type RecordLevel = 'all' | 'weights' | 'none';

export interface HeadRecord {
  weights?: Float32Array; // [T, T] softmax weights ('all', 'weights')
  raw?: Float32Array; // [T, T]  q·k
  scaled?: Float32Array; // [T, T]  raw / √d_k
  masked?: Float32Array; // [T, T]  scaled + mask
  shifted?: Float32Array; // [T, T]  masked − row max
  rowMax?: Float32Array; // [T]
  rowSum?: Float32Array; // [T]  Σ exp(shifted)
  out?: Float32Array; // [T, HS]
}

/**
 * A head recorded at level 'all'. `scaled`, `masked` and `shifted` are each one float32
 * operation away from what is stored (raw, the mask, the row max), so they are
 * materialized on first read, with the same float32 rounding as the pass itself; storing
 * them would triple the memory of a trace (3·T² floats per head) for values rarely read.
 */
class FullHeadRecord implements HeadRecord {
  private cache: { scaled?: Float32Array; masked?: Float32Array; shifted?: Float32Array } = {};
  constructor(
    readonly raw: Float32Array, readonly weights: Float32Array, readonly rowMax: Float32Array, readonly rowSum: Float32Array,
    readonly out: Float32Array, private readonly mask: Float32Array, private readonly scale: number, private readonly T: number,
  ) {}

  get scaled(): Float32Array {
    return (this.cache.scaled ??= this.raw.map((r) => r * this.scale));
  }

  get masked(): Float32Array {
    return (this.cache.masked ??= this.scaled.map((s, i) => s + this.mask[i]));
  }

  get shifted(): Float32Array {
    const T = this.T;
    return (this.cache.shifted ??= this.masked.map((m, i) => (this.rowMax[Math.floor(i / T)] === -Infinity ? -Infinity : m - this.rowMax[Math.floor(i / T)])));
  }
}

/** mask[T, T]: 0 where query t may look at key s, −∞ where it may not. */
export function buildMask(T: number, causal: boolean, keyMask?: readonly number[]): Float32Array {
  const mask = new Float32Array(T * T);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < T; s++) {
      if ((causal && s > t) || (keyMask && keyMask[s] === 0)) mask[t * T + s] = -Infinity;
    }
  }
  return mask;
}

/**
 * One row of scaled, masked scores turned into softmax weights, the max subtracted:
 * masked_i = f32(raw_i · scale + mask_i), shifted_i = masked_i − max, w_i = exp(shifted_i) / Σ.
 * Writes `weights` and returns max and sum. Masked keys (−∞) get exactly 0 without calling
 * exp, and a row masked everywhere (no key to look at) gets all-zero weights rather than NaN.
 * `masked` and `shifted` are not stored: FullHeadRecord recomputes them with the same rounding.
 */
export function softmaxRow(raw: Float32Array, mask: Float32Array, scale: number, weights: Float32Array, at: number, n: number): { max: number; sum: number } {
  let max = -Infinity;
  for (let i = at, end = at + n; i < end; i++) {
    if (mask[i] === -Infinity) continue;
    const m = Math.fround(raw[i] * scale);
    if (m > max) max = m;
  }
  if (max === -Infinity) {
    weights.fill(0, at, at + n);
    return { max, sum: 0 };
  }
  let sum = 0;
  for (let i = at, end = at + n; i < end; i++) {
    if (mask[i] === -Infinity) { weights[i] = 0; continue; }
    const e = Math.exp(Math.fround(raw[i] * scale) - max);
    weights[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let i = at, end = at + n; i < end; i++) weights[i] *= inv;
  return { max, sum };
}

/** softmaxRow over `rows` rows of n scores, each row's max and sum kept when asked (Kernels.softmaxRows's TypeScript form). */
export function softmaxRows(weights: Float32Array, raw: Float32Array, mask: Float32Array, scale: number, rows: number, n: number, rowMax?: Float32Array, rowSum?: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const { max, sum } = softmaxRow(raw, mask, scale, weights, r * n, n);
    if (rowMax) rowMax[r] = max;
    if (rowSum) rowSum[r] = sum;
  }
}

export interface AttentionArgs {
  out: Float32Array; // [T, C]  concat of the heads' outputs
  qkv: Float32Array; // [T, 3C]
  mask: Float32Array; // [T, T]
  T: number;
  C: number;
  NH: number;
  /** 1/√d_k (times 1/(layer+1) where the config asks). */
  scale: number;
  level: RecordLevel;
  kernels: Kernels;
  shouldCancel?: () => boolean;
}

export function multiHeadAttention(a: AttentionArgs): HeadRecord[] {
  const { out, qkv, mask, T, C, NH, scale, level, kernels } = a;
  const HS = C / NH;
  const q = new Float32Array(T * HS); // [T, HS]
  const k = new Float32Array(T * HS); // [T, HS]
  const vt = new Float32Array(HS * T); // [HS, T]
  const scratch = level === 'all' ? undefined : { raw: new Float32Array(T * T), weights: new Float32Array(T * T), headOut: new Float32Array(T * HS) };
  const records: HeadRecord[] = [];
  const all = level === 'all';
  // Kept buffers of all heads in one allocation ('all': raw, weights [T, T], row max and sum [T], out [T, HS]).
  const perHead = all ? 2 * T * T + 2 * T + T * HS : level === 'weights' ? T * T : 0;
  const block = new Float32Array(perHead * NH);
  let at = 0;
  const take = (n: number) => block.subarray(at, (at += n));
  for (let h = 0; h < NH; h++) {
    if (a.shouldCancel?.()) throw new CancelledError();
    for (let t = 0; t < T; t++) {
      const row = t * 3 * C + h * HS;
      for (let i = 0; i < HS; i++) {
        q[t * HS + i] = qkv[row + i];
        k[t * HS + i] = qkv[row + C + i];
        vt[i * T + t] = qkv[row + 2 * C + i];
      }
    }
    const raw = scratch?.raw ?? take(T * T);
    kernels.matmul(raw, q, k, null, T, HS, T);
    const weights = level === 'none' ? scratch!.weights : take(T * T);
    const rowMax = all ? take(T) : undefined;
    const rowSum = all ? take(T) : undefined;
    (kernels.softmaxRows ?? softmaxRows)(weights, raw, mask, scale, T, T, rowMax, rowSum);
    const headOut = scratch?.headOut ?? take(T * HS);
    kernels.matmul(headOut, weights, vt, null, T, T, HS);
    for (let t = 0; t < T; t++) for (let i = 0; i < HS; i++) out[t * C + h * HS + i] = headOut[t * HS + i];
    records.push(all ? new FullHeadRecord(raw, weights, rowMax!, rowSum!, headOut, mask, scale, T) : level === 'weights' ? { weights } : {});
  }
  return records;
}
