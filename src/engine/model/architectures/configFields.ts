/**
 * Reading `config.json` fields with errors that name the field and the architecture, shared
 * by every family module under this folder.
 */
import { modelError } from '../modelError';

export type ConfigJson = Record<string, unknown>;

/** A positive integer field (or `fallback` when absent). */
export function int(cfg: ConfigJson, key: string, arch: string, fallback?: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw modelError`config.json (${arch}): "${key}" must be a positive integer, got ${JSON.stringify(cfg[key])}`;
  }
  return v;
}

/** A non-negative finite number field (or `fallback` when absent). */
export function num(cfg: ConfigJson, key: string, fallback: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw modelError`config.json: "${key}" must be a non-negative number, got ${JSON.stringify(cfg[key])}`;
  return v;
}

/** A boolean field; absent → fallback. */
export function bool(cfg: ConfigJson, key: string, fallback: boolean): boolean {
  const v = cfg[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw modelError`config.json: "${key}" must be true or false, got ${JSON.stringify(v)}`;
  return v;
}

export type Activation = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu' | 'silu';
/** The activations of the 2019 families' MLPs (GPT-2, BERT, DistilBERT). */
export const MLP_ACTIVATIONS: readonly string[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'relu'];
/** The activations a gated FFN (SwiGLU, GeGLU) applies to its gate. */
export const GATE_ACTIVATIONS: readonly string[] = ['silu', 'swish', 'gelu', 'gelu_pytorch_tanh', 'gelu_new', 'relu'];

export function activation(cfg: ConfigJson, key: string, fallback: string, allowed: readonly string[] = MLP_ACTIVATIONS): Activation {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw modelError`config.json: activation ${JSON.stringify(v)} in "${key}" is not supported (supported: ${allowed.join(', ')})`;
  }
  // gelu_fast is the tanh approximation, like gelu_new; swish is silu.
  if (v === 'gelu_fast') return 'gelu_new';
  if (v === 'swish') return 'silu';
  return v as Activation;
}

/** The width every head shares: hidden / heads, or a named error when it does not divide. */
export function headWidth(hidden: number, heads: number): number {
  if (hidden % heads !== 0) throw modelError`config.json: the width ${hidden} is not divisible by the ${heads} heads`;
  return hidden / heads;
}

/** What the 2019 post-LN encoders (BERT, RoBERTa, DistilBERT, ALBERT) share beyond their own fields. */
export const POST_LN_ENCODER = {
  head: 'masked-lm', ffn: 'mlp', normKind: 'layernorm', norm: 'post', positions: 'table',
  slidingWindows: [] as number[], qkNorm: false, embeddingScale: 1, normOffset: 0, sandwichNorm: false,
  scaleByInverseLayer: false, causal: false, tiedEmbeddings: true,
} as const;
