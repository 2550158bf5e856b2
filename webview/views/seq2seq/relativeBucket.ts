/**
 * T5's relative position bias for the panel: the buckets are the engine's own function
 * (src/shared/relativeBucket.ts, transformers' T5Attention._relative_position_bucket);
 * here, the bias a head adds at each (query, key) cell: table[bucket · H + head].
 *
 * Worked example (32 buckets, max distance 128, encoder): distance key − query = −3 →
 * bucket 3; +3 → 16 + 3 = 19; −8 → 8 (the first log-spaced bucket); −200 → 15 (the last).
 */

import { relativeBucket } from '../../../src/shared/relativeBucket';

export { relativeBucket };

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
