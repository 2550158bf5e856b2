/**
 * FLOPs of one prefill, as the bench counts them for GFLOP/s (both sides compute the same
 * thing, so one count serves both):
 *   matmuls  2 · (weights in the layers' matrix products) · T
 *            per layer: C·(NH + 2·NKV)·HD (q, k, v) + NH·HD·C (o) + C·F·(gated ? 3 : 2)
 *   scores   4 · T² · HD · NH per layer (QKᵀ and ·V over the full T×T square: the causal
 *            half is not subtracted, as neither side skips it in its matrix products)
 *   head     2 · C · V on the last position only (ours: logitsAt(T − 1); transformers:
 *            logits_to_keep=1)
 * Norms, activations, RoPE and softmax are left out (< 1% here).
 * Worked example, GPT-2 small at T = 128: 2·84.9M·128 + 12·4·128²·64·12 + 2·768·50,257
 * ≈ 21.74 + 0.60 + 0.08 = 22.4 GFLOP.
 */
import type { ModelConfig } from '../src/engine/model/config';

export interface PrefillFlops { matmuls: number; scores: number; head: number; total: number }

export function prefillFlops(cfg: ModelConfig, T: number): PrefillFlops {
  const { hidden: C, heads: NH, kvHeads: NKV, headDim: HD, ffnHidden: F, layers: L, vocabSize: V } = cfg;
  const perLayer = C * (NH + 2 * NKV) * HD + NH * HD * C + C * F * (cfg.ffn === 'gated' ? 3 : 2);
  const matmuls = 2 * perLayer * L * T;
  const scores = 4 * T * T * HD * NH * L;
  const head = 2 * C * V;
  return { matmuls, scores, head, total: matmuls + scores + head };
}

/** "12.3 GFLOP/s" for `flops` done in `ms`. */
export const gflops = (flops: number, ms: number): string => `${(flops / ms / 1e6).toFixed(1)} GFLOP/s`;
