/**
 * The encoder–decoder part of the panel's attention (T5, BART, mBART, Marian), declared once
 * for the worker, the host and the webview: the decoder's tokens, its causal self attention
 * and its cross attention over the source, the source's padding mask, and T5's relative
 * position settings with each stack's bias table. The messages the panel's Encoder–decoder
 * view sends (a typed target, Translate) and the host's answers live here too; protocol.ts
 * validates through these functions.
 * Legend: L decoder layers, H decoder heads, Te source (encoder) tokens, Td decoder tokens, B buckets.
 */

/** Which attention of an encoder–decoder a step trace is of (StepTrace.kind). */
export type StepAttention = 'encoder-self' | 'decoder-self' | 'cross';
export const STEP_ATTENTIONS: readonly StepAttention[] = ['encoder-self', 'decoder-self', 'cross'];

/** T5: scores get a learned bias per bucket of the key − query distance (relativePosition.ts). */
export interface PanelRelativeBias {
  buckets: number;
  maxDistance: number;
  /** [B, H] row-major (bucket b, head h at b·H + h), the encoder's relative_attention_bias (plain numbers, so trace files keep them). */
  encoder: number[];
  /** [B, H] the decoder's (its buckets are causal: only distances to earlier keys). */
  decoder: number[];
}

export interface PanelSeq2Seq {
  /** The target text the decoder ran on ('' = the start token only). */
  target: string;
  /** The decoder's input: the start token, then the target's tokens. */
  decoderTokens: { id: number; text: string }[];
  Td: number;
  layers: number;
  heads: number;
  /** [L] of [H, Td, Td]: causal self attention. */
  decoderWeights: Float32Array[];
  /** [L] of [H, Td, Te]: queries from the decoder, keys and values from the encoder's output. */
  crossWeights: Float32Array[];
  /** [Te] 1 for a real source token, 0 for padding (its keys get −∞ in the encoder and in cross attention). */
  sourceMask: number[];
  relative?: PanelRelativeBias;
}

/** Longest target the panel sends (characters). */
export const MAX_TARGET_CHARS = 4096;

export type Seq2SeqWebviewToHost =
  /** Run the decoder on this target (the selection stays the source); '' = the start token only. */
  | { type: 'setTarget'; target: string }
  /** Greedy decoding of the source; the answer is `translated`. */
  | { type: 'requestTranslate'; maxNewTokens: number };

export type Seq2SeqHostToWebview =
  | { type: 'translated'; text: string; newIds: number[] }
  | { type: 'translateError'; message: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNumbers = (v: unknown, length: number): v is number[] => Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function relativeFits(v: unknown, heads: number): boolean {
  return isObj(v) && isInt(v.buckets) && v.buckets >= 2 && v.buckets <= 1024 && isInt(v.maxDistance) && v.maxDistance >= 1
    && isNumbers(v.encoder, v.buckets * heads) && isNumbers(v.decoder, v.buckets * heads);
}

/** The seq2seq part fits its shapes: Te source tokens (the PanelAttention's T), [H, Td, Td] and [H, Td, Te] per decoder layer. */
export function isPanelSeq2Seq(v: unknown, Te: number): v is PanelSeq2Seq {
  if (!isObj(v) || !isInt(v.Td) || !isInt(v.layers) || !isInt(v.heads) || v.Td === 0 || v.Td > 8192 || v.layers === 0 || v.layers > 256 || v.heads === 0 || v.heads > 256) return false;
  const { Td, heads: H, layers: L } = v;
  return typeof v.target === 'string' && v.target.length <= MAX_TARGET_CHARS
    && Array.isArray(v.decoderTokens) && v.decoderTokens.length === Td && v.decoderTokens.every((t) => isObj(t) && isInt(t.id) && typeof t.text === 'string')
    && Array.isArray(v.decoderWeights) && v.decoderWeights.length === L && v.decoderWeights.every((w) => w instanceof Float32Array && w.length === H * Td * Td)
    && Array.isArray(v.crossWeights) && v.crossWeights.length === L && v.crossWeights.every((w) => w instanceof Float32Array && w.length === H * Td * Te)
    && Array.isArray(v.sourceMask) && v.sourceMask.length === Te && v.sourceMask.every((m) => m === 0 || m === 1)
    && (v.relative === undefined || relativeFits(v.relative, H));
}

export function isSeq2SeqWebviewToHost(m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'setTarget': return typeof m.target === 'string' && m.target.length <= MAX_TARGET_CHARS;
    case 'requestTranslate': return isInt(m.maxNewTokens) && m.maxNewTokens >= 1 && m.maxNewTokens <= 512;
    default: return false;
  }
}

export function isSeq2SeqHostToWebview(m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'translated': return typeof m.text === 'string' && Array.isArray(m.newIds) && m.newIds.every(isInt);
    case 'translateError': return typeof m.message === 'string';
    default: return false;
  }
}
