/**
 * T5's relative position buckets, as transformers' `T5Attention._relative_position_bucket`
 * computes them (float32 steps), shared by the engine (relativePosition.ts) and the panel
 * (webview/views/seq2seq/relativeBucket.ts):
 *   bidirectional (encoder): half the buckets for keys after the query, half for before;
 *   causal (decoder): only distances to earlier keys (later ones are masked anyway);
 *   the first half of a side's buckets are exact distances 0, 1, …; the rest grow
 *   logarithmically up to max_distance, beyond which every distance shares the last bucket.
 * Worked example (32 buckets, max distance 128, encoder): key − query = −3 → bucket 3;
 * +3 → 19; −8 → 8 (the first log-spaced bucket); −200 → 15 (the last).
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
