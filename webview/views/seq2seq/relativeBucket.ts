/**
 * T5's relative position buckets, for the panel (webview code imports nothing from the
 * engine): a pure copy of src/engine/model/relativePosition.ts relativeBucket — and so of
 * transformers' T5Attention._relative_position_bucket — checked equal to it on a grid of
 * distances by test/panel/seq2seqPanel.test.ts. Then the bias a head adds at each (query,
 * key) cell: table[bucket · H + head].
 *
 * Worked example (32 buckets, max distance 128, encoder): distance key − query = −3 →
 * bucket 3; +3 → 16 + 3 = 19; −8 → 8 (the first log-spaced bucket); −200 → 15 (the last).
 */

const f32 = Math.fround;

/** The bucket of `relativePosition` = key − query. Bidirectional (encoder): half the buckets for later keys. */
export function relativeBucket(relativePosition: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  let bucket = 0;
  let n = relativePosition;
  let buckets = numBuckets;
  if (bidirectional) {
    buckets = Math.floor(buckets / 2);
    if (n > 0) bucket += buckets;
    n = Math.abs(n);
  } else {
    n = -Math.min(n, 0); // causal: a later key is masked anyway; it shares bucket 0
  }
  const maxExact = Math.floor(buckets / 2);
  if (n < maxExact) return bucket + n;
  // float32 steps, as torch computes it: log(n / max_exact) / log(max_distance / max_exact) × (buckets − max_exact), truncated
  const large = maxExact + Math.trunc(f32(f32(f32(Math.log(f32(n / maxExact))) / f32(Math.log(maxDistance / maxExact))) * (buckets - maxExact)));
  return bucket + Math.min(large, buckets - 1);
}

export interface BiasGrid {
  /** [Tq, Tk] the bucket of key − query */
  buckets: Int32Array;
  /** [Tq, Tk] the bias head `head` adds to the score */
  bias: Float32Array;
}

/** One head's buckets and biases over Tq queries × Tk keys (positions 0 …); `table` is [B, H] row-major. */
export function biasGrid(table: readonly number[], heads: number, head: number, Tq: number, Tk: number, bidirectional: boolean, numBuckets: number, maxDistance: number): BiasGrid {
  const buckets = new Int32Array(Tq * Tk), bias = new Float32Array(Tq * Tk);
  for (let q = 0; q < Tq; q++) {
    for (let k = 0; k < Tk; k++) {
      const b = relativeBucket(k - q, bidirectional, numBuckets, maxDistance);
      buckets[q * Tk + k] = b;
      bias[q * Tk + k] = table[b * heads + head];
    }
  }
  return { buckets, bias };
}

/** The distances key − query that occur among T positions, −(T−1) … T−1, with each one's bucket and this head's bias. */
export function distanceRows(table: readonly number[], heads: number, head: number, T: number, bidirectional: boolean, numBuckets: number, maxDistance: number): { distance: number; bucket: number; bias: number }[] {
  const rows: { distance: number; bucket: number; bias: number }[] = [];
  for (let d = -(T - 1); d <= T - 1; d++) {
    const bucket = relativeBucket(d, bidirectional, numBuckets, maxDistance);
    rows.push({ distance: d, bucket, bias: table[bucket * heads + head] });
  }
  return rows;
}
