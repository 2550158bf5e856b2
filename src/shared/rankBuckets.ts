/**
 * GLTR's rank buckets (Gehrmann, Strobelt & Rush 2019, "GLTR: Statistical Detection and
 * Visualization of Generated Text"): where the real token sat in the model's ranking of
 * the vocabulary — top 10, top 100, top 1000, beyond. Rank 0 is the model's top guess, so
 * ranks 0…9 are the top 10. Shared by the panel's loss view and the editor decorations.
 */

/** Upper bounds (exclusive) of the first three buckets. */
export const RANK_BUCKET_LIMITS = [10, 100, 1000] as const;

/** 0: top 10, 1: top 100, 2: top 1000, 3: beyond. `rankBucket(9) = 0`, `rankBucket(10) = 1`, `rankBucket(1000) = 3`. */
export function rankBucket(rank: number): 0 | 1 | 2 | 3 {
  if (!Number.isInteger(rank) || rank < 0) throw new RangeError(`a rank is a whole number ≥ 0, got ${rank}`);
  return rank < 10 ? 0 : rank < 100 ? 1 : rank < 1000 ? 2 : 3;
}
