/**
 * LayerNorm vs BatchNorm on a small batch of the user's own tokens: the residual sums of block 6
 * as a tokens × features grid. LayerNorm's statistics run along a row (one token, all its
 * d_model features); BatchNorm's along a column (one feature, across the tokens of the batch —
 * for text, across sentences and positions). Population variance, as both norms use.
 * Pure functions (the panel tests call them).
 */

export interface AxisStats { mean: number; std: number }

function stats(x: readonly number[]): AxisStats {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return { mean, std: Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length) };
}

/** Per token (row): LayerNorm's mean and std over all its features. */
export const layerNormStats = (rows: readonly (readonly number[])[]): AxisStats[] => rows.map(stats);

/** Per feature (column) 0 … features − 1: BatchNorm's mean and std over the tokens. */
export function batchNormStats(rows: readonly (readonly number[])[], features: number): AxisStats[] {
  const n = Math.min(features, ...rows.map((r) => r.length));
  return Array.from({ length: n }, (_, c) => stats(rows.map((r) => r[c])));
}
