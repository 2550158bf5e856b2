/**
 * Rotary position embeddings (RoPE; Su et al. 2021, "RoFormer"), as Hugging Face's Llama
 * family applies them (`rotate_half` layout: channel i pairs with channel i + d/2):
 *
 *   invFreq_i = 1 / θ^(2i / d)                     i = 0 … d/2 − 1   (d = rotary dims)
 *   angle     = m · invFreq_i                       m = the token's position
 *   q'_i      = q_i · cos − q_{i+d/2} · sin
 *   q'_{i+d/2}= q_{i+d/2} · cos + q_i · sin          (the same for k; v is not rotated)
 *
 * so q'_m · k'_n depends on the positions only through m − n. `rope_scaling` /
 * `rope_parameters` types: `default`, `linear` (positions ÷ factor), `dynamic` (NTK: θ grows
 * once the input is longer than the trained length), `llama3` (long wavelengths ÷ factor,
 * short ones kept, a smooth ramp between). Partial rotary (`partial_rotary_factor`) rotates the
 * first d = factor × head_dim channels and passes the rest through.
 * Everything is computed in float32 steps as transformers does (`_compute_*_parameters`,
 * `LlamaRotaryEmbedding.forward`, `apply_rotary_pos_emb`).
 */
import { modelError } from './modelError';
import type { ConfigJson } from './architectures/configFields';
import type { RopeParameters } from '../../shared/protocol';

export type RopeType = 'default' | 'linear' | 'dynamic' | 'llama3';
export const ROPE_TYPES: readonly RopeType[] = ['default', 'linear', 'dynamic', 'llama3'];

export interface RopeConfig extends RopeParameters {
  type: RopeType;
}

const f32 = Math.fround;

/**
 * Read rope_parameters (transformers 5) or rope_theta + rope_scaling (earlier configs).
 * Models whose layer types rotate differently (Gemma 3) nest rope_parameters by layer type;
 * `layerType` picks one (default full_attention).
 */
export function parseRope(cfg: ConfigJson, headDim: number, maxPositions: number, layerType = 'full_attention'): RopeConfig {
  let params = (cfg.rope_parameters && typeof cfg.rope_parameters === 'object' ? cfg.rope_parameters : null) as ConfigJson | null;
  if (params && typeof params[layerType] === 'object' && params[layerType] !== null) params = params[layerType] as ConfigJson;
  else if (params && Object.values(params).some((v) => typeof v === 'object' && v !== null)) {
    throw modelError`config.json: rope_parameters has no entry for "${layerType}" layers (it has ${Object.keys(params).join(', ')})`;
  }
  const scaling = (cfg.rope_scaling && typeof cfg.rope_scaling === 'object' ? cfg.rope_scaling : null) as ConfigJson | null;
  const p: ConfigJson = { ...(scaling ?? {}), ...(params ?? {}) };
  const rawType = p.rope_type ?? p.type ?? 'default';
  if (typeof rawType !== 'string' || !(ROPE_TYPES as readonly string[]).includes(rawType)) {
    const key = p.rope_type !== undefined ? 'rope_type' : 'type';
    const field = params && params[key] !== undefined ? (params === cfg.rope_parameters ? 'rope_parameters' : `rope_parameters.${layerType}`) : 'rope_scaling';
    throw modelError`config.json: "${field}.${key}" is ${JSON.stringify(rawType)}, a RoPE scaling the engine does not implement (supported: ${ROPE_TYPES.join(', ')})`;
  }
  const type = rawType as RopeType;
  const theta = p.rope_theta ?? cfg.rope_theta ?? 10000;
  if (typeof theta !== 'number' || !Number.isFinite(theta) || theta <= 1) throw modelError`config.json: "rope_theta" must be a number above 1, got ${JSON.stringify(theta)}`;
  const partial = p.partial_rotary_factor ?? cfg.partial_rotary_factor ?? 1;
  if (typeof partial !== 'number' || !(partial > 0 && partial <= 1)) throw modelError`config.json: "partial_rotary_factor" must be in (0, 1], got ${JSON.stringify(partial)}`;
  const rotaryDim = Math.floor(headDim * partial);
  if (rotaryDim < 2 || rotaryDim % 2 !== 0) throw modelError`config.json: RoPE would rotate ${rotaryDim} of the ${headDim} head channels; it needs an even number ≥ 2`;
  const rope: RopeConfig = { type, theta, rotaryDim };
  const positive = (key: string, fallback?: number): number => {
    const v = p[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw modelError`config.json: rope type "${type}" needs a positive "${key}", got ${JSON.stringify(p[key])}`;
    return v;
  };
  if (type !== 'default') rope.factor = positive('factor');
  if (type === 'llama3') {
    rope.lowFreqFactor = positive('low_freq_factor');
    rope.highFreqFactor = positive('high_freq_factor');
    rope.originalMaxPositions = positive('original_max_position_embeddings');
    if (rope.highFreqFactor <= rope.lowFreqFactor) throw modelError`config.json: rope type "llama3" needs high_freq_factor above low_freq_factor`;
  }
  // transformers' _compute_dynamic_ntk_parameters scales from max_position_embeddings and
  // ignores any original_max_position_embeddings, so this does too.
  if (type === 'dynamic') rope.originalMaxPositions = maxPositions;
  return rope;
}

/** invFreq[d/2] for a sequence of T tokens (only `dynamic` depends on T). */
export function inverseFrequencies(rope: RopeConfig, T: number): Float32Array {
  const d = rope.rotaryDim;
  let base = rope.theta;
  if (rope.type === 'dynamic' && T > rope.originalMaxPositions!) {
    const factor = rope.factor!;
    base = base * ((factor * T) / rope.originalMaxPositions! - (factor - 1)) ** (d / (d - 2));
  }
  const inv = new Float32Array(d / 2);
  for (let i = 0; i < d / 2; i++) inv[i] = f32(1 / f32(base ** f32((2 * i) / d)));
  if (rope.type === 'linear') for (let i = 0; i < inv.length; i++) inv[i] = f32(inv[i] / rope.factor!);
  if (rope.type === 'llama3') {
    const { factor, lowFreqFactor: lo, highFreqFactor: hi, originalMaxPositions: old } = rope as Required<RopeConfig>;
    const lowWavelen = old / lo, highWavelen = old / hi;
    for (let i = 0; i < inv.length; i++) {
      const wavelen = (2 * Math.PI) / inv[i];
      if (wavelen > lowWavelen) inv[i] = f32(inv[i] / factor);
      else if (wavelen >= highWavelen) {
        const smooth = (old / wavelen - lo) / (hi - lo);
        inv[i] = f32((1 - smooth) * (inv[i] / factor) + smooth * inv[i]);
      }
    }
  }
  return inv;
}

export interface RopeTables {
  /** [T, d/2] */
  cos: Float32Array;
  sin: Float32Array;
  /** [T, d/2] the angle m · invFreq_i, for the panel */
  angle: Float32Array;
  invFreq: Float32Array;
  half: number;
}

export function ropeTables(rope: RopeConfig, T: number): RopeTables {
  const invFreq = inverseFrequencies(rope, T);
  const half = invFreq.length;
  const cos = new Float32Array(T * half), sin = new Float32Array(T * half), angle = new Float32Array(T * half);
  for (let m = 0; m < T; m++) {
    for (let i = 0; i < half; i++) {
      const a = f32(invFreq[i] * m);
      angle[m * half + i] = a;
      cos[m * half + i] = Math.cos(a);
      sin[m * half + i] = Math.sin(a);
    }
  }
  return { cos, sin, angle, invFreq, half };
}

/**
 * Rotate `heads` heads of width HD in each of T rows of `buf` (row stride `stride`, first
 * head at column `offset`), in place; row t is position `firstPos + t`.
 */
export function applyRope(buf: Float32Array, tables: RopeTables, T: number, stride: number, offset: number, heads: number, HD: number, firstPos = 0): void {
  const { cos, sin, half } = tables;
  for (let t = 0; t < T; t++) {
    const tab = (firstPos + t) * half;
    for (let h = 0; h < heads; h++) {
      const at = t * stride + offset + h * HD;
      for (let i = 0; i < half; i++) {
        const x1 = buf[at + i], x2 = buf[at + i + half];
        const c = cos[tab + i], s = sin[tab + i];
        buf[at + i] = f32(f32(x1 * c) - f32(x2 * s));
        buf[at + i + half] = f32(f32(x2 * c) + f32(x1 * s));
      }
    }
  }
}
