/**
 * T5's relative position bias (Raffel et al. 2020, §2.1): instead of position vectors, each
 * head learns one scalar per bucket of the key − query distance, added to the scores.
 * The buckets (src/shared/relativeBucket.ts) follow transformers'
 * `T5Attention._relative_position_bucket`; here, the bias tables the forward pass adds.
 */

import { relativeBucket } from '../../shared/relativeBucket';

export { relativeBucket };

/**
 * Per head, mask + bias: [Tq, Tk] for queries at positions past … past+Tq−1 over keys
 * 0 … Tk−1. `weights` is the stack's relative_attention_bias, [buckets, NH].
 */
export function relativeBiasMasks(weights: Float32Array, NH: number, mask: Float32Array, Tq: number, Tk: number, past: number, rel: { buckets: number; maxDistance: number; bidirectional: boolean }): Float32Array[] {
  const out = Array.from({ length: NH }, () => new Float32Array(Tq * Tk));
  for (let t = 0; t < Tq; t++) {
    for (let s = 0; s < Tk; s++) {
      const b = relativeBucket(s - (past + t), rel.bidirectional, rel.buckets, rel.maxDistance);
      for (let h = 0; h < NH; h++) out[h][t * Tk + s] = weights[b * NH + h] + mask[t * Tk + s];
    }
  }
  return out;
}
