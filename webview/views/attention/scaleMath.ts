/**
 * The numbers behind "why divide by √d_k" and "why subtract the max" for one query row of
 * the step trace: the scale the model actually uses (1/√d_k, GPT-2's 1/(√d_k · (layer + 1)),
 * T5's 1, Gemma's query_pre_attn_scalar^−½), the variance of q·k over the keys this query
 * sees before and after scaling, and what float32 exp does to the scores × 100 with and
 * without the row max subtracted. Pure functions, no DOM (the panel tests call them).
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';

type ScaleFacts = Pick<StepTrace, 'scale' | 'headSize' | 'layer' | 'scaleByInverseLayer'>;

/** The step table's header for the scaled column, e.g. `× 1/√64`, `× 1/(√64 · 3)`, `× 1`, `× 0.0625`. */
export function scaleHeader(s: ScaleFacts): string {
  const root = Math.sqrt(s.headSize);
  if (s.scaleByInverseLayer && Math.abs(s.scale * root * (s.layer + 1) - 1) < 1e-6) return s.layer === 0 ? `× 1/√${s.headSize}` : `× 1/(√${s.headSize} · ${s.layer + 1})`;
  if (Math.abs(s.scale * root - 1) < 1e-6) return `× 1/√${s.headSize}`;
  if (Math.abs(s.scale - 1) < 1e-9) return '× 1';
  return `× ${(Math.round(s.scale * 1e4) / 1e4).toString()}`;
}

const variance = (x: readonly number[]): number => {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
};

/** Population variance of q·k and of the scaled scores over the keys the mask leaves visible (undefined under 2 keys). */
export function scoreVariance(s: Pick<StepTrace, 'raw' | 'scaled' | 'mask'>): { keys: number; raw: number; scaled: number } | undefined {
  const seen = s.mask.map((m, k) => (m === -Infinity ? -1 : k)).filter((k) => k >= 0);
  if (seen.length < 2) return undefined;
  return { keys: seen.length, raw: variance(seen.map((k) => s.raw[k])), scaled: variance(seen.map((k) => s.scaled[k])) };
}

export interface SoftmaxRun { overflowed: number; sum: number; weights: number[]; nan: boolean }

/** softmax in float32 as a naive kernel would do it: exp of each score, their sum, each exp / sum. */
export function float32Softmax(scores: readonly number[], subtractMax: boolean): SoftmaxRun {
  const finite = scores.filter((x) => x !== -Infinity);
  const max = subtractMax && finite.length ? Math.max(...finite) : 0;
  const exps = scores.map((x) => Math.fround(Math.exp(Math.fround(x - max))));
  const sum = exps.reduce((a, b) => Math.fround(a + b), 0);
  const weights = exps.map((e) => Math.fround(e / sum));
  return { overflowed: exps.filter((e) => e === Infinity).length, sum, weights, nan: weights.some(Number.isNaN) };
}

/** The masked scores of this row multiplied by `factor` (−∞ stays −∞), run with and without the max subtracted. */
export function overflowDemo(masked: readonly number[], factor = 100): { scores: number[]; naive: SoftmaxRun; safe: SoftmaxRun } {
  const scores = masked.map((x) => (x === -Infinity ? x : x * factor));
  return { scores, naive: float32Softmax(scores, false), safe: float32Softmax(scores, true) };
}
