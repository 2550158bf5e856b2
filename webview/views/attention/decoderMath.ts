/**
 * The arithmetic behind the panel's modern-decoder explanations, as pure functions (no
 * DOM, so mocha tests them): which query heads share a key/value head (GQA), the KV
 * cache's size per token, RoPE's rotation and its shift invariance, and the statistics
 * LayerNorm and RMSNorm use.
 *
 * RoPE here follows src/engine/model/rope.ts (Hugging Face's `rotate_half` layout: channel
 * i pairs with channel i + d/2; channels from d on pass through), in float32 steps:
 *   angle_i = m · θ_i,  x'_i = x_i cos − x_{i+d/2} sin,  x'_{i+d/2} = x_{i+d/2} cos + x_i sin
 * so rot(q, m) · rot(k, n) depends on m and n only through m − n.
 * Legend: NH query heads, NKV key/value heads, HD head size, L layers, d rotary dims.
 */
import type { PanelArchitecture, PanelAttention } from '../../../src/shared/protocol';

const f32 = Math.fround;

/** The architecture fields of `a`, with what older trace files (which lack them) imply: plain multi-head attention. */
export function panelArchitecture(a: Pick<PanelAttention, 'heads' | 'layers'> & Partial<PanelArchitecture>): PanelArchitecture & { headDim?: number } {
  return {
    kvHeads: a.kvHeads ?? a.heads,
    headDim: a.headDim as number,
    normKind: a.normKind ?? 'layernorm',
    ffn: a.ffn ?? 'mlp',
    positions: a.positions ?? 'table',
    ...(a.rope ? { rope: a.rope } : {}),
    slidingWindows: a.slidingWindows ?? Array.from({ length: a.layers }, () => 0),
  };
}

export interface KvGroup {
  /** The key/value head. */
  kv: number;
  /** The query heads that read it: first … last. */
  first: number;
  last: number;
}

/**
 * Query heads grouped by the K/V head they share: head h reads K/V head ⌊h / (NH / NKV)⌋
 * (as `repeat_kv` lays them out). NH = 4, NKV = 2 → [{kv 0: heads 0–1}, {kv 1: heads 2–3}].
 */
export function kvGroups(heads: number, kvHeads: number): KvGroup[] {
  if (!(kvHeads > 0) || heads % kvHeads !== 0) throw new Error(`${heads} query heads cannot share ${kvHeads} key/value heads evenly`);
  const size = heads / kvHeads;
  return Array.from({ length: kvHeads }, (_, kv) => ({ kv, first: kv * size, last: kv * size + size - 1 }));
}

/** The KV head query head `head` reads. */
export const kvHeadOf = (head: number, heads: number, kvHeads: number): number => Math.floor(head / (heads / kvHeads));

/**
 * Bytes the KV cache holds per token: K and V, for every layer and key/value head, HD
 * numbers each: 2 × L × NKV × HD × bytes. SmolLM2-135M (L 30, NKV 3, HD 64) in float32:
 * 2 × 30 × 3 × 64 × 4 = 46,080 B; as multi-head (NKV = NH = 9): 138,240 B.
 */
export function kvCacheBytesPerToken(c: { layers: number; kvHeads: number; headDim: number }, bytesPerNumber: number): number {
  return 2 * c.layers * c.kvHeads * c.headDim * bytesPerNumber;
}

/** 46080 → "46,080 B (45.0 KiB)"; under 1 KiB: bytes only. */
export function formatBytes(n: number): string {
  const b = `${n.toLocaleString('en-US')} B`;
  if (n < 1024) return b;
  const [v, unit] = n >= 1024 ** 3 ? [n / 1024 ** 3, 'GiB'] : n >= 1024 ** 2 ? [n / 1024 ** 2, 'MiB'] : [n / 1024, 'KiB'];
  return `${b} (${Number.isInteger(v) ? v : v.toFixed(1)} ${unit})`;
}

/** x [HD] rotated to position `pos` with inverse frequencies invFreq [d/2] (d = 2 · invFreq.length ≤ HD). */
export function rotate(x: readonly number[], invFreq: readonly number[], pos: number): number[] {
  const half = invFreq.length, out = x.slice();
  for (let i = 0; i < half; i++) {
    const a = f32(invFreq[i] * pos), c = f32(Math.cos(a)), s = f32(Math.sin(a)); // the engine's tables are float32
    const x1 = x[i], x2 = x[i + half];
    out[i] = f32(f32(x1 * c) - f32(x2 * s));
    out[i + half] = f32(f32(x2 * c) + f32(x1 * s));
  }
  return out;
}

export const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i], 0);

export interface ShiftedScore { shift: number; m: number; n: number; score: number }

/**
 * q·k of the same unrotated q and k placed at positions (m + s, n + s) for each shift s:
 * the relative position m − n is the same, so every score equals the one at (m, n) up to
 * float rounding of the angles.
 */
export function shiftedScores(qUnrotated: readonly number[], kUnrotated: readonly number[], invFreq: readonly number[], m: number, n: number, shifts: readonly number[]): ShiftedScore[] {
  return shifts.map((shift) => ({ shift, m: m + shift, n: n + shift, score: dot(rotate(qUnrotated, invFreq, m + shift), rotate(kUnrotated, invFreq, n + shift)) }));
}

/** One wavelength per frequency pair: 2π / θ_i positions for a full turn. */
export const wavelengths = (invFreq: readonly number[]): number[] => invFreq.map((f) => (2 * Math.PI) / f);

/** What a norm layer sees in its input x [C]: the mean LayerNorm subtracts, its standard deviation, and the root mean square RMSNorm divides by. */
export function normStats(x: readonly number[]): { mean: number; std: number; rms: number } {
  const n = Math.max(1, x.length);
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / n);
  return { mean, std: Math.sqrt(variance), rms };
}

/**
 * The keys a sliding window hides from query `q` that the causal mask alone would show:
 * with window W, keys ≤ q − W. W = 3, q = 5 → [0, 1, 2]. W = 0: none.
 */
export function windowHidden(q: number, window: number): number[] {
  if (!(window > 0)) return [];
  return Array.from({ length: Math.max(0, q - window + 1) }, (_, k) => k);
}

/** The additive mask [T, T] of a layer with sliding window W (as the engine's buildMask): −∞ for future keys (causal) and for keys W or more behind. */
export function slidingMask(T: number, causal: boolean, window: number): Float32Array {
  const m = new Float32Array(T * T);
  for (let q = 0; q < T; q++) for (let k = 0; k < T; k++) if ((causal && k > q) || (window > 0 && q - k >= window)) m[q * T + k] = -Infinity;
  return m;
}
