/**
 * One head, one query token, every number: what the panel's step trace shows and what
 * the mask comparator re-masks. Read from a forward pass recorded at level 'all'
 * (transformer.ts), so the numbers are the pass's own, not a recomputation.
 *
 *   raw_k    = q · k_k                      scaled_k = raw_k × scale   (scale = 1/√d_k)
 *   masked_k = scaled_k + mask_k (0 | −∞)   shifted_k = masked_k − max_j masked_j
 *   w_k      = exp(shifted_k) / Σ_j exp(shifted_j)
 *   out      = Σ_k w_k · v_k                then concat, W^O, residual, LayerNorm, FFN.
 */
import type { StepTrace } from '../../shared/inspectTypes';
import type { ModelConfig } from './config';
import { ModelError } from './modelError';
import type { ForwardResult } from './transformer';
import type { ModelWeights } from './weights';

const row = (a: Float32Array | undefined, i: number, width: number): number[] => (a ? Array.from(a.subarray(i * width, (i + 1) * width)) : []);

export function stepTrace(cfg: ModelConfig, w: ModelWeights, r: ForwardResult, layer: number, head: number, query: number): StepTrace {
  const { T } = r;
  const C = cfg.hidden, NH = cfg.heads, HS = C / NH, F = cfg.ffnHidden;
  if (!Number.isInteger(layer) || layer < 0 || layer >= cfg.layers) throw new ModelError(`layer ${layer} is outside 0–${cfg.layers - 1}`);
  if (!Number.isInteger(head) || head < 0 || head >= NH) throw new ModelError(`head ${head} is outside 0–${NH - 1}`);
  if (!Number.isInteger(query) || query < 0 || query >= T) throw new ModelError(`query token ${query} is outside 0–${T - 1}`);
  const L = r.layers[layer];
  const h = L.heads[head];
  if (!L.qkv || !h.raw || !h.weights || !h.out || !h.rowMax || !h.rowSum) throw new ModelError('the step trace needs a forward pass recorded at level "all"');
  const scale = 1 / Math.sqrt(HS) / (cfg.scaleByInverseLayer ? layer + 1 : 1);
  const part = (t: number, which: 0 | 1 | 2) => Array.from(L.qkv!.subarray(t * 3 * C + which * C + head * HS, t * 3 * C + which * C + (head + 1) * HS));
  const scaledAll = h.scaled!; // [T, T]
  const masked = row(h.masked, query, T);
  const shifted = row(h.shifted, query, T);
  return {
    layer, head, query, T, headSize: HS, scale, norm: cfg.norm, causal: cfg.causal, activation: cfg.activation,
    q: part(query, 0),
    k: Array.from({ length: T }, (_, t) => part(t, 1)),
    v: Array.from({ length: T }, (_, t) => part(t, 2)),
    raw: row(h.raw, query, T), scaled: row(scaledAll, query, T), mask: row(r.mask, query, T), masked,
    max: h.rowMax[query], shifted, exp: shifted.map((s) => Math.fround(Math.exp(s))), sum: h.rowSum[query],
    weights: row(h.weights, query, T), headOut: row(h.out, query, HS),
    input: row(L.input, query, C), concat: row(L.concat, query, C), attnProj: row(L.attnProj, query, C),
    residualAttn: row(L.residualAttn, query, C), lnAttn: row(L.lnAttn, query, C), lnFfn: row(L.lnFfn, query, C),
    ffnPre: row(L.ffnPre, query, F), ffnAct: row(L.ffnAct, query, F), ffnOut: row(L.ffnOut, query, C), output: row(L.output, query, C),
    scores: Float32Array.from(scaledAll),
    positions: cfg.sinusoidalPositions ? undefined : Float32Array.from(w.posEmb.subarray(0, T * C)),
  };
}
