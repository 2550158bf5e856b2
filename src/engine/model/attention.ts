/**
 * Multi-head scaled dot-product attention, every step kept for the panel:
 *
 *   raw     = Q_h · K_gᵀ                       [Tq, Tk] (q·k for every query/key pair)
 *   scaled  = raw / √d_k                        [Tq, Tk] (GPT-2 option: also / (layer + 1))
 *   masked  = scaled + mask                     [Tq, Tk] (an additive mask: 0, −∞ (causal, padding,
 *                                                         outside a sliding window) or a finite bias)
 *   shifted = masked − max(row)                 [Tq, Tk] (so exp never overflows: the largest is e⁰ = 1)
 *   weights = exp(shifted) / Σ exp(shifted)     [Tq, Tk] (−∞ → exactly 0)
 *   out_h   = weights · V_g                     [Tq, HD]
 *   concat  = [out_0 | out_1 | … | out_NH−1]    [Tq, NH·HD]
 *
 * Query head h reads key/value head g = ⌊h / (NH / NKV)⌋: NKV = NH is multi-head attention,
 * 1 < NKV < NH grouped-query attention (Llama 2 70B, Llama 3, Qwen), NKV = 1 multi-query.
 * Q, K and V are separate views (rows of a buffer, at an offset, with a stride), so self
 * attention reads them from one fused [T, (NH + 2·NKV)·HD] projection and cross attention
 * (queries from the decoder, keys and values from the encoder) from two buffers.
 * "Attention Is All You Need" §3.2.1; llm.c `attention_forward`; HF `eager_attention_forward`.
 * Legend: Tq queries, Tk keys, NH query heads, NKV key/value heads, HD head size (d_k).
 *
 * Q_h, K_g and V_gᵀ are copied into contiguous scratch so both products run on the fast
 * matmul kernel; the copies are O(T·HD), the products O(Tq·Tk·HD). The masked (future)
 * scores are computed too, so the trace can show what the mask hides.
 * A decode step (Tq ≤ FEW_QUERIES queries over the whole KV cache) is the exception: its
 * products are as small as the copies (Tq·Tk·HD against Tk·HD), so q·k and weights·V are
 * read straight from the strided views instead (float64 sums, like the TypeScript matmul).
 * A kernel with its own attendHeads (wasmKernels.ts) takes precedence over both.
 */
import { CancelledError } from './modelError';
import type { HeadsAttentionArgs, HeadsAttentionHead, Kernels } from './kernels';

export type RecordLevel = 'all' | 'weights' | 'none';

export interface HeadRecord {
  weights?: Float32Array; // [Tq, Tk] softmax weights ('all', 'weights')
  raw?: Float32Array; // [Tq, Tk]  q·k
  scaled?: Float32Array; // [Tq, Tk]  raw / √d_k
  masked?: Float32Array; // [Tq, Tk]  scaled + mask
  shifted?: Float32Array; // [Tq, Tk]  masked − row max
  rowMax?: Float32Array; // [Tq]
  rowSum?: Float32Array; // [Tq]  Σ exp(shifted)
  out?: Float32Array; // [Tq, HD]
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
    readonly out: Float32Array, private readonly mask: Float32Array, private readonly scale: number, /** row length: Tk */ private readonly T: number,
  ) {}

  get scaled(): Float32Array {
    return (this.cache.scaled ??= this.raw.map((r) => r * this.scale));
  }

  get masked(): Float32Array {
    return (this.cache.masked ??= this.scaled.map((s, i) => Math.fround(s + this.mask[i])));
  }

  get shifted(): Float32Array {
    const T = this.T;
    return (this.cache.shifted ??= this.masked.map((m, i) => (this.rowMax[Math.floor(i / T)] === -Infinity ? -Infinity : m - this.rowMax[Math.floor(i / T)])));
  }
}

/**
 * mask[T, T]: 0 where query t may look at key s, −∞ where it may not: later keys when
 * causal, padded keys (keyMask 0), and with a sliding window W > 0 keys W or more positions
 * back (t − s ≥ W: each query sees its last W keys, itself included, as transformers'
 * sliding_window_overlay).
 */
export function buildMask(T: number, causal: boolean, keyMask?: readonly number[], window = 0): Float32Array {
  const mask = new Float32Array(T * T);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < T; s++) {
      if ((causal && s > t) || (keyMask && keyMask[s] === 0) || (window > 0 && t - s >= window)) mask[t * T + s] = -Infinity;
    }
  }
  return mask;
}

/**
 * The mask of `Tq` new queries at positions past … past+Tq−1 over all past + Tq keys
 * ([Tq, past + Tq]): what incremental decoding adds, row for row the same as buildMask's
 * rows for those positions.
 */
export function stepMask(Tq: number, past: number, causal: boolean, window = 0): Float32Array {
  const Tk = past + Tq;
  const mask = new Float32Array(Tq * Tk);
  for (let t = 0; t < Tq; t++) {
    const pos = past + t;
    for (let s = 0; s < Tk; s++) {
      if ((causal && s > pos) || (window > 0 && pos - s >= window)) mask[t * Tk + s] = -Infinity;
    }
  }
  return mask;
}

/**
 * One row of scaled, masked scores turned into softmax weights, the max subtracted:
 * masked_i = f32(f32(raw_i · scale) + mask_i) (the mask is added: 0, −∞ or a finite bias), shifted_i = masked_i − max, w_i = exp(shifted_i) / Σ.
 * Writes `weights` and returns max and sum. Masked keys (−∞) get exactly 0 without calling
 * exp, and a row masked everywhere (no key to look at) gets all-zero weights rather than NaN.
 * `masked` and `shifted` are not stored: FullHeadRecord recomputes them with the same rounding.
 */
export function softmaxRow(raw: Float32Array, mask: Float32Array, scale: number, weights: Float32Array, at: number, n: number): { max: number; sum: number } {
  let max = -Infinity;
  for (let i = at, end = at + n; i < end; i++) {
    if (mask[i] === -Infinity) continue;
    const m = Math.fround(Math.fround(raw[i] * scale) + mask[i]);
    if (m > max) max = m;
  }
  if (max === -Infinity) {
    weights.fill(0, at, at + n);
    return { max, sum: 0 };
  }
  let sum = 0;
  for (let i = at, end = at + n; i < end; i++) {
    if (mask[i] === -Infinity) { weights[i] = 0; continue; }
    const e = Math.exp(Math.fround(Math.fround(raw[i] * scale) + mask[i]) - max);
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

/** Rows of a buffer: row r's first value is data[offset + r · stride]. */
export interface RowsView { data: Float32Array; offset: number; stride: number }

interface AttentionCommon {
  out: Float32Array; // [Tq, NH·HD]  concat of the heads' outputs
  mask: Float32Array; // [Tq, Tk]  added to the scaled scores
  /** Per head, a mask that replaces `mask` (T5: mask + relative position bias). */
  headMasks?: Float32Array[];
  NH: number;
  /** 1/√d_k (times 1/(layer+1) where the config asks). */
  scale: number;
  level: RecordLevel;
  kernels: Kernels;
  shouldCancel?: () => boolean;
}

/** Separate views: q has Tq rows of NH·HD; k and v have Tk rows of NKV·HD. */
export interface AttentionArgs extends AttentionCommon {
  q: RowsView; k: RowsView; v: RowsView;
  Tq: number; Tk: number; NKV: number; HD: number;
}

/** Multi-head self attention from one fused qkv [T, 3C] (GPT-2's c_attn layout). */
export interface FusedAttentionArgs extends AttentionCommon {
  qkv: Float32Array; T: number; C: number;
}

/** Views onto a fused self-attention projection [T, (NH + 2·NKV)·HD]: q, then k, then v. */
export function fusedViews(qkv: Float32Array, NH: number, NKV: number, HD: number): { q: RowsView; k: RowsView; v: RowsView } {
  const stride = (NH + 2 * NKV) * HD;
  return { q: { data: qkv, offset: 0, stride }, k: { data: qkv, offset: NH * HD, stride }, v: { data: qkv, offset: (NH + NKV) * HD, stride } };
}

/** Up to this many queries, the TypeScript products read the views directly (no per-head copies): incremental decoding. */
const FEW_QUERIES = 2;

/** raw[Tq, Tk] = Q_h · K_gᵀ straight from the views (four partial sums per dot, as kernels.ts's dot). */
function scoresFromViews(raw: Float32Array, a: HeadsAttentionArgs, h: number, g: number): void {
  const { Tq, Tk, HD } = a;
  const qd = a.q.data, kd = a.k.data;
  for (let t = 0; t < Tq; t++) {
    const qr = a.q.offset + t * a.q.stride + h * HD;
    for (let s = 0; s < Tk; s++) {
      const kr = a.k.offset + s * a.k.stride + g * HD;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
      for (; i + 4 <= HD; i += 4) {
        s0 += qd[qr + i] * kd[kr + i]; s1 += qd[qr + i + 1] * kd[kr + i + 1];
        s2 += qd[qr + i + 2] * kd[kr + i + 2]; s3 += qd[qr + i + 3] * kd[kr + i + 3];
      }
      for (; i < HD; i++) s0 += qd[qr + i] * kd[kr + i];
      raw[t * Tk + s] = s0 + s1 + s2 + s3;
    }
  }
}

/** headOut[Tq, HD] = weights[Tq, Tk] · V_g straight from the view, summed in float64 (`acc`, HD long); keys of weight 0 are skipped. */
function valuesFromViews(headOut: Float32Array, weights: Float32Array, a: HeadsAttentionArgs, g: number, acc: Float64Array): void {
  const { Tq, Tk, HD } = a;
  const vd = a.v.data;
  for (let t = 0; t < Tq; t++) {
    acc.fill(0);
    for (let s = 0; s < Tk; s++) {
      const p = weights[t * Tk + s];
      if (p === 0) continue;
      const vr = a.v.offset + s * a.v.stride + g * HD;
      for (let i = 0; i < HD; i++) acc[i] += p * vd[vr + i];
    }
    for (let i = 0; i < HD; i++) headOut[t * HD + i] = acc[i];
  }
}

export function multiHeadAttention(args: AttentionArgs | FusedAttentionArgs): HeadRecord[] {
  const a: AttentionArgs = 'qkv' in args
    ? { ...args, ...fusedViews(args.qkv, args.NH, args.NH, args.C / args.NH), Tq: args.T, Tk: args.T, NKV: args.NH, HD: args.C / args.NH }
    : args;
  const { out, mask, Tq, Tk, NH, NKV, HD, scale, level, kernels } = a;
  if (NH % NKV !== 0) throw new Error(`${NH} query heads cannot share ${NKV} key/value heads evenly`);
  if (a.shouldCancel?.()) throw new CancelledError();
  const all = level === 'all';
  const scratch = all ? undefined : { raw: new Float32Array(Tq * Tk), weights: new Float32Array(Tq * Tk), headOut: new Float32Array(Tq * HD) };
  // Kept buffers of all heads in one allocation ('all': raw, weights [Tq, Tk], row max and sum [Tq], out [Tq, HD]).
  const perHead = all ? 2 * Tq * Tk + 2 * Tq + Tq * HD : level === 'weights' ? Tq * Tk : 0;
  const block = new Float32Array(perHead * NH);
  let at = 0;
  const take = (n: number) => block.subarray(at, (at += n));
  const heads: HeadsAttentionHead[] = Array.from({ length: NH }, (_, h) => ({
    raw: scratch?.raw ?? take(Tq * Tk), weights: level === 'none' ? scratch!.weights : take(Tq * Tk),
    rowMax: all ? take(Tq) : undefined, rowSum: all ? take(Tq) : undefined, headOut: all ? take(Tq * HD) : undefined,
    mask: a.headMasks?.[h] ?? mask,
  }));
  const f: HeadsAttentionArgs = { out, q: a.q, k: a.k, v: a.v, Tq, Tk, NH, NKV, HD, scale, heads, discard: level === 'none' };
  if (!kernels.attendHeads?.(f)) {
    if (Tq <= FEW_QUERIES) attendHeadsFromViews(f, kernels);
    else attendHeadsByCopies(f, kernels, scratch?.headOut, a.shouldCancel);
  }
  return heads.map((hd) => (all ? new FullHeadRecord(hd.raw, hd.weights, hd.rowMax!, hd.rowSum!, hd.headOut!, hd.mask, scale, Tk) : level === 'weights' ? { weights: hd.weights } : {}));
}

/** The TypeScript path of more than a few queries: Q_h, K_g and V_gᵀ copied per head, both products on kernels.matmul. */
function attendHeadsByCopies(f: HeadsAttentionArgs, kernels: Kernels, headScratch: Float32Array | undefined, shouldCancel?: () => boolean): void {
  const { out, q: qv, k: kv, v: vv, Tq, Tk, NH, NKV, HD, scale } = f;
  const group = NH / NKV, QW = NH * HD;
  const q = new Float32Array(Tq * HD); // [Tq, HD]
  const k = new Float32Array(Tk * HD); // [Tk, HD]
  const vt = new Float32Array(HD * Tk); // [HD, Tk]
  f.heads.forEach((hd, h) => {
    if (h > 0 && shouldCancel?.()) throw new CancelledError();
    for (let t = 0; t < Tq; t++) {
      const row = qv.offset + t * qv.stride + h * HD;
      for (let i = 0; i < HD; i++) q[t * HD + i] = qv.data[row + i];
    }
    if (h % group === 0) { // a new key/value head: its group of query heads shares these copies
      const g = h / group;
      for (let t = 0; t < Tk; t++) {
        const kr = kv.offset + t * kv.stride + g * HD, vr = vv.offset + t * vv.stride + g * HD;
        for (let i = 0; i < HD; i++) {
          k[t * HD + i] = kv.data[kr + i];
          vt[i * Tk + t] = vv.data[vr + i];
        }
      }
    }
    kernels.matmul(hd.raw, q, k, null, Tq, HD, Tk);
    (kernels.softmaxRows ?? softmaxRows)(hd.weights, hd.raw, hd.mask, scale, Tq, Tk, hd.rowMax, hd.rowSum);
    const headOut = hd.headOut ?? headScratch!;
    kernels.matmul(headOut, hd.weights, vt, null, Tq, Tk, HD);
    for (let t = 0; t < Tq; t++) for (let i = 0; i < HD; i++) out[t * QW + h * HD + i] = headOut[t * HD + i];
  });
}

/** Kernels.attendHeads's TypeScript form for a decode step: per head, the scores and weights·V read straight from the views. */
export function attendHeadsFromViews(a: HeadsAttentionArgs, kernels?: Kernels): void {
  const { out, Tq, Tk, NH, NKV, HD, scale } = a;
  const group = NH / NKV, QW = NH * HD;
  const acc = new Float64Array(HD), headOut = new Float32Array(Tq * HD);
  a.heads.forEach((hd, h) => {
    const g = Math.floor(h / group);
    scoresFromViews(hd.raw, a, h, g);
    (kernels?.softmaxRows ?? softmaxRows)(hd.weights, hd.raw, hd.mask, scale, Tq, Tk, hd.rowMax, hd.rowSum);
    valuesFromViews(headOut, hd.weights, a, g, acc);
    for (let t = 0; t < Tq; t++) for (let i = 0; i < HD; i++) out[t * QW + h * HD + i] = headOut[t * HD + i];
    hd.headOut?.set(headOut);
  });
}
