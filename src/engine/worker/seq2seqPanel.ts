/**
 * The encoder–decoder part of the panel's attention (seq2seqProtocol.ts PanelSeq2Seq), made
 * from the attention job's report: the decoder pass's causal self attention [H, Td, Td] and
 * cross attention [H, Td, Te] per layer, one array per layer as the encoder's `attentions`,
 * the source's padding mask (the panel runs one unpadded sequence: every key is real) and,
 * for T5, the relative position settings with both stacks' bias tables ([B, H], a few
 * hundred numbers for t5-small), so the webview can show the bias each head adds.
 * Legend: L decoder layers, H heads, Td decoder tokens, Te source tokens, B buckets.
 */
import type { AttentionReport } from '../model/attentionJob';
import type { HeadRecord } from '../model/attention';
import type { PanelSeq2Seq } from '../../shared/seq2seqProtocol';

/** Heads of one layer side by side: [H, rows, cols]. */
function stacked(heads: readonly HeadRecord[], rows: number, cols: number): Float32Array {
  const all = new Float32Array(heads.length * rows * cols);
  heads.forEach((h, i) => all.set(h.weights!, i * rows * cols));
  return all;
}

/** undefined for a one-stack model. `target` is the text the decoder ran on ('' = start token only). */
export function panelSeq2Seq(r: AttentionReport, target: string | undefined): PanelSeq2Seq | undefined {
  if (!r.seq2seq) return undefined;
  const dec = r.seq2seq.decoder, Td = dec.T, Te = r.result.T;
  const cfg = r.loaded.config, dcfg = cfg.decoder ?? cfg;
  const rel = cfg.relativeAttention, encBias = r.loaded.weights.relBias, decBias = r.loaded.weights.decoder?.relBias;
  return {
    target: target ?? '',
    decoderTokens: r.seq2seq.decoderTokens.map((t) => ({ id: t.id, text: t.text })),
    Td, layers: dcfg.layers, heads: dcfg.heads,
    decoderWeights: dec.layers.map((l) => stacked(l.heads, Td, Td)),
    crossWeights: dec.layers.map((l) => stacked(l.cross ?? [], Td, Te)),
    sourceMask: Array.from({ length: Te }, () => 1),
    ...(rel && encBias && decBias ? { relative: { buckets: rel.buckets, maxDistance: rel.maxDistance, encoder: Array.from(encBias), decoder: Array.from(decBias) } } : {}),
  };
}
