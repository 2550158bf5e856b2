/**
 * Output heads on top of the last hidden state:
 *   GPT-2 LM head:   logits[V] = wte · h_t                         (tied, no bias)
 *   BERT MLM head:   logits[V] = E · LN(gelu(W·h_t + b)) + bias     (cls.predictions.*)
 *   DistilBERT:      the same with vocab_transform / vocab_layer_norm / vocab_projector
 * Legend: C channels, V vocab.
 */
import type { ModelConfig } from './config';
import { layerNorm, topK, tsKernels, type Kernels } from './kernels';
import { ModelError } from './modelError';
import { activate } from './transformer';
import type { ModelWeights } from './weights';

export interface TopEntry { id: number; logit: number }

/** logits[V] for position `pos` of hidden[T, C]. */
export function logitsAt(cfg: ModelConfig, w: ModelWeights, hidden: Float32Array, pos: number, kernels: Kernels = tsKernels): Float32Array {
  return logitsRows(cfg, w, hidden, pos, 1, kernels);
}

/**
 * logits[n, V] for positions `from … from+n−1` of hidden[T, C], as one matrix product
 * (scoring a whole window, e.g. perplexity, is then one pass over the vocabulary matrix
 * instead of one per position).
 */
export function logitsRows(cfg: ModelConfig, w: ModelWeights, hidden: Float32Array, from: number, n: number, kernels: Kernels = tsKernels): Float32Array {
  const head = w.head;
  if (!head) throw new ModelError(`this ${cfg.arch} checkpoint has no language-model head (cls.predictions / vocab_projector), so it cannot predict tokens`);
  const C = cfg.hidden;
  let h: Float32Array = hidden.slice(from * C, (from + n) * C); // [n, C]
  if (head.transformW && head.transformB && head.transformLnW && head.transformLnB) {
    const t = new Float32Array(n * C); // [n, C]
    kernels.matmul(t, h, head.transformW, head.transformB, n, C, C);
    activate(cfg, t, t, n * C);
    layerNorm(t, t, head.transformLnW, head.transformLnB, n, C, cfg.layerNormEps);
    h = t;
  }
  const logits = new Float32Array(n * cfg.vocabSize); // [n, V]
  kernels.matmul(logits, h, head.decoder, head.bias ?? null, n, C, cfg.vocabSize);
  return logits;
}

export function topLogits(logits: Float32Array, k: number): TopEntry[] {
  return topK(logits, k).map((id) => ({ id, logit: logits[id] }));
}
