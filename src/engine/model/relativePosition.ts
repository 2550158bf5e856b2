/**
 * T5's relative position bias (Raffel et al. 2020, §2.1): instead of position vectors, each
 * head learns one scalar per bucket of the key − query distance, added to the scores.
 * Buckets, as transformers' `T5Attention._relative_position_bucket`:
 *   bidirectional (encoder): half the buckets for keys after the query, half for before;
 *   causal (decoder): only distances to earlier keys (later ones are masked anyway);
 *   the first half of a side's buckets are exact distances 0, 1, …; the rest grow
 *   logarithmically up to max_distance, beyond which every distance shares the last bucket.
 */

const f32 = Math.fround;

export function relativeBucket(relativePosition: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  let bucket = 0;
  let n = relativePosition;
  let buckets = numBuckets;
  if (bidirectional) {
    buckets = Math.floor(buckets / 2);
    if (n > 0) bucket += buckets;
    n = Math.abs(n);
  } else {
    n = -Math.min(n, 0);
  }
  const maxExact = Math.floor(buckets / 2);
  if (n < maxExact) return bucket + n;
  // float32 steps as torch: log(n / max_exact) / log(max_distance / max_exact) * (buckets − max_exact), truncated
  const large = maxExact + Math.trunc(f32(f32(f32(Math.log(f32(n / maxExact))) / f32(Math.log(maxDistance / maxExact))) * (buckets - maxExact)));
  return bucket + Math.min(large, buckets - 1);
}

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
