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
  const head = w.head;
  if (!head) throw new ModelError(`this ${cfg.arch} checkpoint has no language-model head (cls.predictions / vocab_projector), so it cannot predict tokens`);
  const C = cfg.hidden;
  let h: Float32Array = hidden.slice(pos * C, (pos + 1) * C); // [C]
  if (head.transformW && head.transformB && head.transformLnW && head.transformLnB) {
    const t = new Float32Array(C);
    kernels.matmul(t, h, head.transformW, head.transformB, 1, C, C);
    activate(cfg, t, t, C);
    layerNorm(t, t, head.transformLnW, head.transformLnB, 1, C, cfg.layerNormEps);
    h = t;
  }
  const logits = new Float32Array(cfg.vocabSize); // [V]
  kernels.matmul(logits, h, head.decoder, head.bias ?? null, 1, C, cfg.vocabSize);
  return logits;
}

export function topLogits(logits: Float32Array, k: number): TopEntry[] {
  return topK(logits, k).map((id) => ({ id, logit: logits[id] }));
}
