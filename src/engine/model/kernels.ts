/**
 * The layer functions of the forward pass, in the style of llm.c's train_gpt2.c: each
 * writes into an output buffer the caller owns, with shapes in the comments.
 *
 * Dimension legend: T tokens, C channels, OC output channels, F FFN width, V vocab.
 * Matrices use nn.Linear layout, w[OC, C] (see weights.ts).
 *
 * The matmul is the only kernel whose speed matters (≈ 98% of the FLOPs); it sits behind
 * the `Kernels` interface so the WebAssembly SIMD version (wasmKernels.ts) and this
 * TypeScript one are interchangeable and tested against each other. Everything else is
 * O(T·C) and stays here.
 */
import type { RowsView } from './attention';

export interface Kernels {
  readonly name: string;
  /** out[T, OC] = inp[T, C] · w[OC, C]ᵀ (+ bias[OC]) */
  matmul(out: Float32Array, inp: Float32Array, w: Float32Array, bias: Float32Array | null, T: number, C: number, OC: number): void;
  /** GPT-2's gelu_new over N floats, where a kernel has a faster one than geluTanh below. */
  geluTanh?(out: Float32Array, inp: Float32Array, N: number): void;
  /** SiLU over N floats (Llama's gate), where a kernel has a faster one than silu below. */
  silu?(out: Float32Array, inp: Float32Array, N: number): void;
  /**
   * softmaxRow (attention.ts) over `rows` rows of n scores, where a kernel has a faster one:
   * weights = softmax(f32(raw · scale) + mask) row by row, each row's max and sum kept when asked.
   */
  softmaxRows?(weights: Float32Array, raw: Float32Array, mask: Float32Array, scale: number, rows: number, n: number, rowMax?: Float32Array, rowSum?: Float32Array): void;
  /**
   * Every head of one attention, where a kernel has it: per head h, with key/value head
   * g = ⌊h / (NH / NKV)⌋, raw = q_h · k_gᵀ, weights = softmaxRows(raw, mask, scale), and
   * weights · v_g written to out's columns of head h. False when it cannot (its scratch is
   * too small): attention.ts then does it in TypeScript.
   */
  attendHeads?(a: HeadsAttentionArgs): boolean;
  /**
   * `floats` floats of the kernel's own memory for a KV cache (kvCache.ts), so attendHeads
   * reads its rows in place; undefined when it has no such room free. One lease at a time,
   * until `release()`.
   */
  kvStore?(floats: number): { data: Float32Array; release(): void } | undefined;
}

/** One head's buffers in attendHeads: [Tq, Tk] scores and weights, [Tq] row max and sum when kept, [Tq, HD] output when kept. */
export interface HeadsAttentionHead { raw: Float32Array; weights: Float32Array; rowMax?: Float32Array; rowSum?: Float32Array; headOut?: Float32Array; mask: Float32Array }

export interface HeadsAttentionArgs {
  out: Float32Array; // [Tq, NH·HD] the heads' outputs side by side
  q: RowsView; k: RowsView; v: RowsView; // Tq rows of NH·HD; Tk rows of NKV·HD
  Tq: number; Tk: number; NH: number; NKV: number; HD: number; scale: number;
  heads: HeadsAttentionHead[];
  /** Nobody reads the heads' raw and weights afterwards (record level 'none'): a kernel may leave them unwritten. */
  discard?: boolean;
}

/**
 * Plain TypeScript matmul, register-blocked 4 rows × 2 columns: each step loads 6 values
 * for 8 multiply-adds, which roughly doubles a naive dot-product loop in V8.
 * Accumulation is in float64 (JS numbers), rounded once on store.
 */
export const tsKernels: Kernels = {
  name: 'typescript',
  matmul(out, inp, w, bias, T, C, OC) {
    let t = 0;
    for (; t + 4 <= T; t += 4) {
      const i0 = t * C, i1 = i0 + C, i2 = i1 + C, i3 = i2 + C;
      let o = 0;
      for (; o + 2 <= OC; o += 2) {
        const w0 = o * C, w1 = w0 + C;
        let a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
        for (let c = 0; c < C; c++) {
          const x0 = w[w0 + c], x1 = w[w1 + c];
          const v0 = inp[i0 + c], v1 = inp[i1 + c], v2 = inp[i2 + c], v3 = inp[i3 + c];
          a00 += v0 * x0; a01 += v0 * x1; a10 += v1 * x0; a11 += v1 * x1;
          a20 += v2 * x0; a21 += v2 * x1; a30 += v3 * x0; a31 += v3 * x1;
        }
        const b0 = bias ? bias[o] : 0, b1 = bias ? bias[o + 1] : 0;
        out[t * OC + o] = a00 + b0; out[t * OC + o + 1] = a01 + b1;
        out[(t + 1) * OC + o] = a10 + b0; out[(t + 1) * OC + o + 1] = a11 + b1;
        out[(t + 2) * OC + o] = a20 + b0; out[(t + 2) * OC + o + 1] = a21 + b1;
        out[(t + 3) * OC + o] = a30 + b0; out[(t + 3) * OC + o + 1] = a31 + b1;
      }
      for (; o < OC; o++) for (let r = 0; r < 4; r++) out[(t + r) * OC + o] = dot(inp, (t + r) * C, w, o * C, C) + (bias ? bias[o] : 0);
    }
    for (; t < T; t++) for (let o = 0; o < OC; o++) out[t * OC + o] = dot(inp, t * C, w, o * C, C) + (bias ? bias[o] : 0);
  },
};

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[ai + i] * b[bi + i]; s1 += a[ai + i + 1] * b[bi + i + 1];
    s2 += a[ai + i + 2] * b[bi + i + 2]; s3 += a[ai + i + 3] * b[bi + i + 3];
  }
  for (; i < n; i++) s0 += a[ai + i] * b[bi + i];
  return s0 + s1 + s2 + s3;
}

/**
 * out[T, C] = LayerNorm(inp[T, C]) · w + b, per row: (x − mean) / sqrt(var + eps), with
 * the biased variance, as torch.nn.LayerNorm. In float64: Σx and Σx² in one pass, var =
 * Σx²/C − mean² (its rounding error ~1e-16 of the mean square: invisible in float32 unless a
 * row's mean is 10⁴ times its spread, and eps bounds it then), then the output pass; ~20%
 * faster than a separate pass for the variance.
 */
export function layerNorm(out: Float32Array, inp: Float32Array, w: Float32Array, b: Float32Array, T: number, C: number, eps: number): void {
  for (let t = 0; t < T; t++) {
    const o = t * C;
    let sum = 0, squares = 0;
    for (let c = 0; c < C; c++) { const x = inp[o + c]; sum += x; squares += x * x; }
    const mean = sum / C;
    const rstd = 1 / Math.sqrt(Math.max(squares / C - mean * mean, 0) + eps);
    for (let c = 0; c < C; c++) out[o + c] = (inp[o + c] - mean) * rstd * w[c] + b[c];
  }
}

/**
 * out[T, C] = RMSNorm(inp[T, C]) · (offset + w), per row: x / sqrt(mean(x²) + eps), as
 * transformers' LlamaRMSNorm (the statistic in float32 there, float64 here; offset 1 is
 * Gemma's (1 + w)). Nothing is subtracted: no mean, no bias. `inp` may be `out`.
 */
export function rmsNorm(out: Float32Array, inp: Float32Array, w: Float32Array, T: number, C: number, eps: number, offset = 0): void {
  for (let t = 0; t < T; t++) {
    const o = t * C;
    let ss = 0;
    for (let c = 0; c < C; c++) ss += inp[o + c] * inp[o + c];
    const rstd = 1 / Math.sqrt(ss / C + eps);
    for (let c = 0; c < C; c++) out[o + c] = Math.fround(inp[o + c] * rstd) * (offset + w[c]);
  }
}

/** RMSNorm over each `width`-wide group of `groups` groups in each of T rows (stride `stride`, from column `offset`): Qwen3's per-head q/k norm. In place. */
export function rmsNormGroups(buf: Float32Array, w: Float32Array, T: number, stride: number, offset: number, groups: number, width: number, eps: number, normOffset = 0): void {
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < groups; g++) {
      const at = t * stride + offset + g * width;
      rmsNorm(buf.subarray(at, at + width), buf.subarray(at, at + width), w, 1, width, eps, normOffset);
    }
  }
}

/** SiLU (swish): x · σ(x) = x / (1 + e^(−x)). */
export function silu(out: Float32Array, inp: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) out[i] = inp[i] / (1 + Math.exp(-inp[i]));
}

/** out[N] = a[N] ⊙ b[N] (a gated FFN's gate times its up projection). */
export function mul(out: Float32Array, a: Float32Array, b: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) out[i] = a[i] * b[i];
}

/** out[N] = a[N] + b[N] (the residual connection). */
export function add(out: Float32Array, a: Float32Array, b: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) out[i] = a[i] + b[i];
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation (GPT-2's gelu_new): 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³).
 * Computed as x / (1 + e^(−2u)), the same value (0.5·(1 + tanh u) = σ(2u)); V8's Math.exp
 * is about 4× faster than Math.tanh, and this runs T·F times per layer.
 */
export function geluTanh(out: Float32Array, inp: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    out[i] = x / (1 + Math.exp(-2 * SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
  }
}

/** GELU, exact (BERT's gelu): x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
export function geluErf(out: Float32Array, inp: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    out[i] = 0.5 * x * (1 + erf(x / Math.SQRT2));
  }
}

export function relu(out: Float32Array, inp: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) out[i] = inp[i] > 0 ? inp[i] : 0;
}

/**
 * erf(x) to ~1e-15: the Maclaurin series for |x| < 2.5, a continued fraction for erfc
 * beyond. Float32 GELU only needs ~1e-8, but a plain rational approximation (A&S 7.1.26,
 * 1.5e-7) is visible at the 1e-6 level after a few layers.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = ax, sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + …)))))  (Lentz-free, evaluated backwards)
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + (k / 2) / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

/** Index of the k largest values of `v`, largest first (ties: lower index first). */
export function topK(v: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (best.length < k) best.push(i);
    else if (v[i] > v[best[k - 1]]) best[k - 1] = i;
    else continue;
    let j = best.length - 1;
    while (j > 0 && v[best[j - 1]] < v[i]) { best[j] = best[j - 1]; j--; }
    best[j] = i;
  }
  return best;
}
