/**
 * Output heads on top of the last hidden state:
 *   GPT-2 LM head:   logits[V] = wte · h_t                         (tied, no bias)
 *   BERT MLM head:   logits[V] = E · LN(gelu(W·h_t + b)) + bias     (cls.predictions.*)
 *   DistilBERT:      the same with vocab_transform / vocab_layer_norm / vocab_projector
 * Legend: C channels, V vocab.
 */
import type { ModelConfig } from './config';
import { layerNorm, topK, tsKernels, type Kernels } from './kernels';
import { modelError } from './modelError';
import { activate } from './transformer';
import type { ModelWeights } from './weights';
import { phrase, type L10nArg } from '../../shared/l10nText';

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
  if (!head) throw modelError`this ${cfg.arch} checkpoint has no language-model head (cls.predictions / vocab_projector), so it cannot predict tokens`;
  const C = cfg.hidden;
  let h: Float32Array = hidden.slice(from * C, (from + n) * C); // [n, C]
  if (head.inputScale !== undefined) for (let i = 0; i < h.length; i++) h[i] = Math.fround(h[i] * head.inputScale); // T5's tied head
  let width = C;
  if (head.transformW && head.transformB && head.transformLnW && head.transformLnB) {
    const E = head.transformB.length; // C, or ALBERT's embedding width
    const t = new Float32Array(n * E); // [n, E]
    kernels.matmul(t, h, head.transformW, head.transformB, n, C, E);
    activate(cfg, t, t, n * E);
    layerNorm(t, t, head.transformLnW, head.transformLnB, n, E, cfg.layerNormEps);
    h = t;
    width = E;
  }
  const logits = new Float32Array(n * cfg.vocabSize); // [n, V]
  kernels.matmul(logits, h, head.decoder, head.bias ?? null, n, width, cfg.vocabSize);
  checkFiniteOutput(logits, 'logits', cfg.vocabSize);
  return logits;
}

/**
 * Finite weights can still overflow float32 (values near 3.4e38), and NaN would then be
 * printed as blank cells or `null`: refuse the output instead, saying where it broke.
 * `what` names the buffer; `row` is its row length (for "position p").
 */
export function checkFiniteOutput(values: Float32Array, what: L10nArg, row: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) {
      throw modelError`the forward pass produced ${Number.isNaN(v) ? 'NaN' : phrase`an infinite value`} in the ${what} at position ${Math.floor(i / row)} (index ${i % row}): the weights overflow float32, so this checkpoint cannot be run`;
    }
  }
}

export function topLogits(logits: Float32Array, k: number): TopEntry[] {
  return topK(logits, k).map((id) => ({ id, logit: logits[id] }));
}
