/**
 * Training numbers the panel computes without training anything: the Noam learning-rate
 * schedule of "Attention Is All You Need" (§5.3, eq. 3), lr = d_model^−0.5 · min(step^−0.5,
 * step · warmup^−1.5), and Adam's update (Kingma & Ba 2015, Algorithm 1) for one weight.
 * Pure functions (the panel tests call them).
 */

/** The Noam rate at `step` (≥ 1) for this d_model and warm-up. */
export function noamRate(step: number, dModel: number, warmup: number): number {
  return dModel ** -0.5 * Math.min(step ** -0.5, step * warmup ** -1.5);
}

/** `points` samples of the schedule over steps 1 … `lastStep`, for a plot. */
export function noamCurve(dModel: number, warmup: number, lastStep = 4 * warmup, points = 120): { step: number; lr: number }[] {
  return Array.from({ length: points }, (_, i) => {
    const step = Math.max(1, Math.round(1 + (i * (lastStep - 1)) / (points - 1)));
    return { step, lr: noamRate(step, dModel, warmup) };
  });
}

export interface AdamStep { m: number; v: number; delta: number }

/**
 * Adam's updates for one weight given its gradient at steps 1, 2, …: m = β₁m + (1 − β₁)g,
 * v = β₂v + (1 − β₂)g², Δw = −lr · m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
 * Defaults: the Transformer paper's β₁ = 0.9, β₂ = 0.98, ε = 1e−9.
 */
export function adamSteps(grads: readonly number[], lr: number, beta1 = 0.9, beta2 = 0.98, eps = 1e-9): AdamStep[] {
  let m = 0, v = 0;
  return grads.map((g, i) => {
    const t = i + 1;
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    const mHat = m / (1 - beta1 ** t), vHat = v / (1 - beta2 ** t);
    return { m, v, delta: (-lr * mHat) / (Math.sqrt(vHat) + eps) };
  });
}
