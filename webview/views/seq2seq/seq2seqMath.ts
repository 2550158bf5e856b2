/**
 * The Encoder–decoder view's arithmetic, DOM-free (mocha tests it): one head's slice of a
 * [H, rows, cols] layer, heads combined (mean or max) over a rectangular matrix, the model's
 * real masks for its three attentions — encoder self [Te, Te] and cross [Td, Te] mask padded
 * source keys, decoder self [Td, Td] is causal — and the numbers the seed question's answer
 * quotes, read from the real weights.
 * Legend: H heads, Te source tokens, Td decoder tokens.
 */
import type { PanelAttention } from '../../../src/shared/protocol';
import type { PanelSeq2Seq } from '../../../src/shared/seq2seqProtocol';

export type AttentionKind = 'encoder-self' | 'decoder-self' | 'cross';

/** The [rows, cols] matrix of head `h` in a layer laid out [H, rows, cols] (a view, not a copy). */
export function headSlice(layer: Float32Array, h: number, rows: number, cols: number): Float32Array {
  return layer.subarray(h * rows * cols, (h + 1) * rows * cols);
}

/** The chosen heads combined cell by cell: their mean or their max, [rows, cols]. */
export function combineHeads(layer: Float32Array, rows: number, cols: number, heads: readonly number[], how: 'mean' | 'max'): Float32Array {
  const out = new Float32Array(rows * cols);
  if (how === 'max') out.fill(-Infinity);
  for (const h of heads) {
    const m = headSlice(layer, h, rows, cols);
    for (let i = 0; i < out.length; i++) out[i] = how === 'max' ? Math.max(out[i], m[i]) : out[i] + m[i] / heads.length;
  }
  return out;
}

/** Rows, columns and the matrix of one kind in decoder layer `layer` (the encoder's own layer for encoder-self). */
export function kindMatrix(a: PanelAttention, s: PanelSeq2Seq, kind: AttentionKind, layer: number): { rows: number; cols: number; layer: Float32Array } {
  if (kind === 'encoder-self') return { rows: a.T, cols: a.T, layer: a.weights[Math.min(layer, a.layers - 1)] };
  const l = Math.min(layer, s.layers - 1);
  return kind === 'cross' ? { rows: s.Td, cols: a.T, layer: s.crossWeights[l] } : { rows: s.Td, cols: s.Td, layer: s.decoderWeights[l] };
}

/** The additive mask the model used: 0 where a key is read, −∞ where it is hidden, [rows, cols]. */
export function realMask(s: PanelSeq2Seq, kind: AttentionKind): { rows: number; cols: number; mask: Float32Array } {
  const Te = s.sourceMask.length, Td = s.Td;
  const rows = kind === 'encoder-self' ? Te : Td, cols = kind === 'decoder-self' ? Td : Te;
  const mask = new Float32Array(rows * cols);
  for (let q = 0; q < rows; q++) {
    for (let k = 0; k < cols; k++) {
      const hidden = kind === 'decoder-self' ? k > q : s.sourceMask[k] === 0;
      if (hidden) mask[q * cols + k] = -Infinity;
    }
  }
  return { rows, cols, mask };
}

export interface MaskFacts {
  Te: number;
  Td: number;
  /** source keys that are padding */
  padded: number;
  encoderCells: number;
  encoderMasked: number;
  /** encoder cells above the diagonal (a later source key) with weight > 0.01, of encoderLater */
  encoderLaterRead: number;
  encoderLater: number;
  crossCells: number;
  crossMasked: number;
  /** the start token's (decoder position 0) cross weight on the last real source token */
  startOnLastSource: number;
  decoderCells: number;
  decoderMasked: number;
  /** the largest decoder self-attention weight on a later key (0 exactly: exp(−∞) = 0) */
  decoderFutureMax: number;
}

/** The numbers behind the answer, for one layer and head (decoder layer clamped to the decoder's). */
export function maskFacts(a: PanelAttention, s: PanelSeq2Seq, layer: number, head: number): MaskFacts {
  const Te = a.T, Td = s.Td;
  const enc = headSlice(kindMatrix(a, s, 'encoder-self', layer).layer, head, Te, Te);
  const cross = headSlice(kindMatrix(a, s, 'cross', layer).layer, head, Td, Te);
  const dec = headSlice(kindMatrix(a, s, 'decoder-self', layer).layer, head, Td, Td);
  const count = (m: Float32Array) => m.reduce((n, v) => n + (v === -Infinity ? 1 : 0), 0);
  let laterRead = 0, futureMax = 0;
  for (let q = 0; q < Te; q++) for (let k = q + 1; k < Te; k++) if (enc[q * Te + k] > 0.01) laterRead++;
  for (let q = 0; q < Td; q++) for (let k = q + 1; k < Td; k++) futureMax = Math.max(futureMax, dec[q * Td + k]);
  const lastReal = s.sourceMask.lastIndexOf(1);
  return {
    Te, Td, padded: s.sourceMask.filter((m) => m === 0).length,
    encoderCells: Te * Te, encoderMasked: count(realMask(s, 'encoder-self').mask),
    encoderLaterRead: laterRead, encoderLater: (Te * (Te - 1)) / 2,
    crossCells: Td * Te, crossMasked: count(realMask(s, 'cross').mask), startOnLastSource: lastReal >= 0 ? cross[lastReal] : 0,
    decoderCells: Td * Td, decoderMasked: count(realMask(s, 'decoder-self').mask), decoderFutureMax: futureMax,
  };
}
