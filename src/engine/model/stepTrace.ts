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
import { modelError } from './modelError';
import type { ForwardResult } from './transformer';
import type { StackWeights } from './weights';
import { phrase, type L10nText } from '../../shared/l10nText';

const row = (a: Float32Array | undefined, i: number, width: number): number[] => (a ? Array.from(a.subarray(i * width, (i + 1) * width)) : []);

/** The layer, head and query token exist (`what` names the query in the message). */
function checkIndices(cfg: ModelConfig, layer: number, head: number, query: number, T: number, what: L10nText): void {
  if (!Number.isInteger(layer) || layer < 0 || layer >= cfg.layers) throw modelError`layer ${layer} is outside 0–${cfg.layers - 1}`;
  if (!Number.isInteger(head) || head < 0 || head >= cfg.heads) throw modelError`head ${head} is outside 0–${cfg.heads - 1}`;
  if (!Number.isInteger(query) || query < 0 || query >= T) throw modelError`${what} ${query} is outside 0–${T - 1}`;
}

/** Which stack and attention of an encoder–decoder (absent for one-stack models: self attention). */
export type TraceTarget = 'encoder-self' | 'decoder-self' | 'cross';

export function stepTrace(cfg: ModelConfig, w: StackWeights, r: ForwardResult, layer: number, head: number, query: number, kind?: TraceTarget): StepTrace {
  if (kind === 'cross') return crossStepTrace(cfg, r, layer, head, query);
  const { T } = r;
  const C = cfg.hidden, NH = cfg.heads, NKV = cfg.kvHeads, HS = cfg.headDim, F = cfg.ffnHidden;
  const QD = NH * HS, KD = NKV * HS, QKV = QD + 2 * KD;
  checkIndices(cfg, layer, head, query, T, phrase`query token`);
  const L = r.layers[layer];
  const h = L.heads[head];
  if (!L.qkv || !h.raw || !h.weights || !h.out || !h.rowMax || !h.rowSum) throw modelError`the step trace needs a forward pass recorded at level "all"`;
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
  const offset = cfg.positionOffset ?? 0;
  return {
    ...(kind ? { kind } : {}),
    layer, head, query, T, headSize: HS, scale, ...(cfg.scaleByInverseLayer ? { scaleByInverseLayer: true } : {}), norm: cfg.norm, normKind: cfg.normKind, causal: cfg.causal, activation: cfg.activation, ffn: cfg.ffn,
    heads: NH, kvHeads: NKV, kvHead, slidingWindow: cfg.slidingWindows[layer] ?? 0, ...(rope ? { rope } : {}),
    q: part(query, 0),
    k: Array.from({ length: T }, (_, t) => part(t, 1)),
    v: Array.from({ length: T }, (_, t) => part(t, 2)),
    raw: row(h.raw, query, T), scaled: row(scaledAll, query, T), mask: row(mask, query, T), masked,
    max: h.rowMax[query], shifted, exp: shifted.map((s) => Math.fround(Math.exp(s))), sum: h.rowSum[query],
    weights: row(h.weights, query, T), headOut: row(h.out, query, HS),
    input: row(L.input, query, C), concat: row(L.concat, query, QD), attnProj: row(L.attnProj, query, C),
    residualAttn: row(L.residualAttn, query, C), lnAttn: row(L.lnAttn, query, C), lnFfn: row(L.lnFfn, query, C),
    normBatch: Array.from({ length: Math.min(T, 8) }, (_, t) => row(L.residualAttn, t, C)),
    ffnPre: row(L.ffnPre, query, F), ...(L.ffnUp ? { ffnUp: row(L.ffnUp, query, F) } : {}), ffnAct: row(L.ffnAct, query, F), ffnOut: row(L.ffnOut, query, C), output: row(L.output, query, C),
    scores: Float32Array.from(scaledAll),
    positions: cfg.sinusoidalPositions || !w.posEmb || cfg.embeddingDim ? undefined : Float32Array.from(w.posEmb.subarray(offset * C, (offset + T) * C)),
  };
}

/**
 * A cross-attention head of an encoder–decoder's decoder: q from the decoder token `query`,
 * k and v from every encoder token (the encoder output through this layer's W_k, W_v), the
 * padding mask on the source keys, softmax, Σ w·v; then the layer's cross-attention residual.
 */
function crossStepTrace(cfg: ModelConfig, r: ForwardResult, layer: number, head: number, query: number): StepTrace {
  const Td = r.T, NH = cfg.heads, NKV = cfg.kvHeads, HS = cfg.headDim, C = cfg.hidden, F = cfg.ffnHidden;
  const QD = NH * HS, KD = NKV * HS;
  checkIndices(cfg, layer, head, query, Td, phrase`decoder token`);
  const L = r.layers[layer];
  const h = L.cross?.[head];
  const kv = r.crossKv?.[layer];
  if (!h || !kv || !r.crossMask) throw modelError`this pass has no cross attention (an encoder–decoder decoder pass is needed)`;
  if (!L.crossQ || !h.raw || !h.weights || !h.out || !h.rowMax || !h.rowSum) throw modelError`the step trace needs a forward pass recorded at level "all"`;
  const Te = kv.length / (2 * KD);
  const kvHead = Math.floor(head / (NH / NKV));
  const key = (t: number, which: 0 | 1) => Array.from(kv.subarray(t * 2 * KD + which * KD + kvHead * HS, t * 2 * KD + which * KD + (kvHead + 1) * HS));
  const masked = row(h.masked, query, Te), shifted = row(h.shifted, query, Te);
  return {
    kind: 'cross', queries: Td, layer, head, query, T: Te, headSize: HS, scale: cfg.attnScale ?? 1 / Math.sqrt(HS),
    norm: cfg.norm, normKind: cfg.normKind, causal: false, activation: cfg.activation, ffn: cfg.ffn,
    heads: NH, kvHeads: NKV, kvHead, slidingWindow: 0,
    q: Array.from(L.crossQ.subarray(query * QD + head * HS, query * QD + (head + 1) * HS)),
    k: Array.from({ length: Te }, (_, t) => key(t, 0)), v: Array.from({ length: Te }, (_, t) => key(t, 1)),
    raw: row(h.raw, query, Te), scaled: row(h.scaled, query, Te), mask: row(r.crossMask, query, Te), masked,
    max: h.rowMax[query], shifted, exp: shifted.map((s) => Math.fround(Math.exp(s))), sum: h.rowSum[query],
    weights: row(h.weights, query, Te), headOut: row(h.out, query, HS),
    input: row(cfg.norm === 'pre' ? L.residualAttn : L.lnAttn, query, C), concat: row(L.crossConcat, query, QD), attnProj: row(L.crossProj, query, C),
    residualAttn: row(L.residualCross, query, C), lnAttn: row(L.lnCross, query, C), lnFfn: row(L.lnFfn, query, C),
    ffnPre: row(L.ffnPre, query, F), ...(L.ffnUp ? { ffnUp: row(L.ffnUp, query, F) } : {}), ffnAct: row(L.ffnAct, query, F), ffnOut: row(L.ffnOut, query, C), output: row(L.output, query, C),
    scores: Float32Array.from(h.scaled!),
  };
}
