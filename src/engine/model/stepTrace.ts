/**
 * One head, one query token, every number: what the panel's step trace shows and what
 * the mask comparator re-masks. Read from a forward pass recorded at level 'all'
 * (transformer.ts), so the numbers are the pass's own, not a recomputation.
 *
 *   raw_k    = q · k_k                      scaled_k = raw_k × scale   (scale = 1/√d_k)
 *   masked_k = scaled_k + mask_k (0 | −∞)   shifted_k = masked_k − max_j masked_j
 *   w_k      = exp(shifted_k) / Σ_j exp(shifted_j)
 *   out      = Σ_k w_k · v_k                then concat, W^O, residual, norm, FFN.
 * With grouped-query attention head h reads K/V head ⌊h / (NH / NKV)⌋; with RoPE q and k are
 * shown rotated (what the scores use) and before the rotation, with the angles.
 */
import type { StepTrace } from '../../shared/inspectTypes';
import type { ModelConfig } from './config';
import { ModelError } from './modelError';
import type { ForwardResult } from './transformer';
import type { ModelWeights } from './weights';

const row = (a: Float32Array | undefined, i: number, width: number): number[] => (a ? Array.from(a.subarray(i * width, (i + 1) * width)) : []);

export function stepTrace(cfg: ModelConfig, w: ModelWeights, r: ForwardResult, layer: number, head: number, query: number): StepTrace {
  const { T } = r;
  const C = cfg.hidden, NH = cfg.heads, NKV = cfg.kvHeads, HS = cfg.headDim, F = cfg.ffnHidden;
  const QD = NH * HS, KD = NKV * HS, QKV = QD + 2 * KD;
  if (!Number.isInteger(layer) || layer < 0 || layer >= cfg.layers) throw new ModelError(`layer ${layer} is outside 0–${cfg.layers - 1}`);
  if (!Number.isInteger(head) || head < 0 || head >= NH) throw new ModelError(`head ${head} is outside 0–${NH - 1}`);
  if (!Number.isInteger(query) || query < 0 || query >= T) throw new ModelError(`query token ${query} is outside 0–${T - 1}`);
  const L = r.layers[layer];
  const h = L.heads[head];
  if (!L.qkv || !h.raw || !h.weights || !h.out || !h.rowMax || !h.rowSum) throw new ModelError('the step trace needs a forward pass recorded at level "all"');
  const scale = (cfg.attnScale ?? 1 / Math.sqrt(HS)) / (cfg.scaleByInverseLayer ? layer + 1 : 1);
  const kvHead = Math.floor(head / (NH / NKV));
  const at = (which: 0 | 1 | 2) => (which === 0 ? head * HS : which === 1 ? QD + kvHead * HS : QD + KD + kvHead * HS);
  const part = (t: number, which: 0 | 1 | 2, buf = L.qkv!) => Array.from(buf.subarray(t * QKV + at(which), t * QKV + at(which) + HS));
  const mask = r.masks[layer] ?? r.mask;
  const ropeCfg = (cfg.slidingWindows[layer] ?? 0) > 0 && cfg.ropeSliding ? cfg.ropeSliding : cfg.rope;
  const tables = r.ropes?.[layer] ?? r.rope;
  const rope = ropeCfg && tables && L.qkvUnrotated ? {
    type: ropeCfg.type, theta: ropeCfg.theta, rotaryDim: ropeCfg.rotaryDim, invFreq: Array.from(tables.invFreq),
    qUnrotated: part(query, 0, L.qkvUnrotated), kUnrotated: Array.from({ length: T }, (_, t) => part(t, 1, L.qkvUnrotated)),
    angles: Array.from({ length: T }, (_, t) => row(tables.angle, t, tables.half)),
  } : undefined;
  const scaledAll = h.scaled!; // [T, T]
  const masked = row(h.masked, query, T);
  const shifted = row(h.shifted, query, T);
  return {
    layer, head, query, T, headSize: HS, scale, norm: cfg.norm, normKind: cfg.normKind, causal: cfg.causal, activation: cfg.activation, ffn: cfg.ffn,
    heads: NH, kvHeads: NKV, kvHead, slidingWindow: cfg.slidingWindows[layer] ?? 0, ...(rope ? { rope } : {}),
    q: part(query, 0),
    k: Array.from({ length: T }, (_, t) => part(t, 1)),
    v: Array.from({ length: T }, (_, t) => part(t, 2)),
    raw: row(h.raw, query, T), scaled: row(scaledAll, query, T), mask: row(mask, query, T), masked,
    max: h.rowMax[query], shifted, exp: shifted.map((s) => Math.fround(Math.exp(s))), sum: h.rowSum[query],
    weights: row(h.weights, query, T), headOut: row(h.out, query, HS),
    input: row(L.input, query, C), concat: row(L.concat, query, QD), attnProj: row(L.attnProj, query, C),
    residualAttn: row(L.residualAttn, query, C), lnAttn: row(L.lnAttn, query, C), lnFfn: row(L.lnFfn, query, C),
    ffnPre: row(L.ffnPre, query, F), ...(L.ffnUp ? { ffnUp: row(L.ffnUp, query, F) } : {}), ffnAct: row(L.ffnAct, query, F), ffnOut: row(L.ffnOut, query, C), output: row(L.output, query, C),
    scores: Float32Array.from(scaledAll),
    positions: cfg.sinusoidalPositions || !w.posEmb ? undefined : Float32Array.from(w.posEmb.subarray(0, T * C)),
  };
}
