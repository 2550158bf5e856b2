/**
 * The forward pass: a flat sequence of layer functions over typed buffers (llm.c's
 * `gpt2_forward`), assembled from the pieces the config declares (config.ts; each family's
 * module under architectures/ fills them in):
 *
 *   pre-norm (GPT-2, Llama)                post-norm (BERT, DistilBERT)
 *   x = emb[ids] (+ pos[pos]) (× scale)    x = LN(word[ids] + pos[pos] (+ type[tt]))
 *   per layer:                             per layer:
 *     a   = N₁(x)                            qkv = x · Wqkvᵀ
 *     qkv = a · Wqkvᵀ (+ b)                  …attention as on the left…
 *     q,k = qk-norm, RoPE (where declared)   r   = LN₁(x + cat · Woᵀ)
 *     cat = attention(q, k, v, mask_l)       x   = LN₂(r + FFN(r))
 *     r   = x + cat · Woᵀ
 *     x   = r + FFN(N₂(r))
 *   hidden = N_f(x)                        hidden = x
 *   Sandwich norms (Gemma): r = x + N(cat · Woᵀ), x = r + N(FFN(N₂(r))).
 *   N: LayerNorm or RMSNorm (Gemma: × (1 + w)). mask_l: causal and/or padding, a sliding window where layer l has one.
 *   FFN mlp:   act(h · W₁ᵀ + b₁) · W₂ᵀ + b₂           (gelu_new GPT-2, exact gelu BERT)
 *   FFN gated: (act(h · W_gateᵀ) ⊙ h · W_upᵀ) · W_downᵀ (SwiGLU: silu)
 *
 * Recording ('all') keeps every buffer per layer; otherwise one set is reused, and only
 * the attention weights ('weights') or nothing ('none') is kept.
 * Legend: T tokens, C channels, F FFN width, NH query heads, NKV key/value heads, HD head
 * size, QKV = (NH + 2·NKV)·HD, L layers.
 */
import { buildMask, fusedViews, multiHeadAttention, stepMask, type HeadRecord, type RecordLevel, type RowsView } from './attention';
import type { KvCache } from './kvCache';
import type { ModelConfig } from './config';
import { add, geluErf, geluTanh, layerNorm, mul, relu, rmsNorm, rmsNormGroups, silu, tsKernels, type Kernels } from './kernels';
import { CancelledError, modelError } from './modelError';
import { applyRope, ropeTables, type RopeTables } from './rope';
import { relativeBiasMasks } from './relativePosition';
import type { CrossWeights, LayerWeights, StackWeights } from './weights';
import { withCode } from '../../shared/engineErrors';

export interface ForwardInput {
  ids: readonly number[];
  /** BERT sentence-pair segments (0/1); zeros when absent. */
  typeIds?: readonly number[];
  /** 1 for real tokens, 0 for padding (padded keys get −∞). */
  attentionMask?: readonly number[];
}

export interface ForwardOptions {
  record?: RecordLevel;
  /**
   * Incremental decoding: the ids continue the tokens already in the cache (positions
   * cache.length …); their K/V rows are appended, and attention reads every cached row.
   */
  cache?: KvCache;
  /** Keep a copy of the residual stream after every layer (ForwardResult.residuals), for the logit lens. */
  keepResiduals?: boolean;
  kernels?: Kernels;
  shouldCancel?: () => boolean;
  /** An encoder–decoder's decoder: the encoder output its cross attention reads. */
  cross?: CrossInput;
}

export interface CrossInput {
  /** [Te, C] the encoder's last hidden state */
  hidden: Float32Array;
  Te: number;
  /** 1 for real source tokens, 0 for padding (masked in cross attention). */
  keyMask?: readonly number[];
  /** Per layer [Te, 2·NKV·HD]: k | v of the encoder output, computed once (the pass fills it when absent). */
  kv?: Float32Array[];
}

export interface LayerRecord {
  heads: HeadRecord[];
  // Kept at level 'all' only:
  input?: Float32Array; // [T, C] the residual stream entering the layer
  lnAttn?: Float32Array; // [T, C] pre-norm: N₁(x), the attention's input; post-LN: LN₁(x + attn)
  qkv?: Float32Array; // [T, QKV] q | k | v as attention reads them (after qk-norm and RoPE)
  qkvUnrotated?: Float32Array; // [T, QKV] RoPE models: the same before the rotation
  concat?: Float32Array; // [T, NH·HD]
  attnProj?: Float32Array; // [T, C] concat · Woᵀ + bo
  residualAttn?: Float32Array; // [T, C] x + attnProj
  lnFfn?: Float32Array; // [T, C] pre-norm: N₂(r), the FFN's input; post-LN: r + FFN(r), the sum LN₂ normalizes
  ffnPre?: Float32Array; // [T, F] before the activation (gated: the gate)
  ffnUp?: Float32Array; // [T, F] gated FFN: the up projection
  ffnAct?: Float32Array; // [T, F] the down projection's input (gated: act(gate) ⊙ up)
  ffnOut?: Float32Array; // [T, C]
  output?: Float32Array; // [T, C]
  /** Encoder–decoder decoders: the cross-attention heads ([T, Te] weights), and at 'all' its buffers. */
  cross?: HeadRecord[];
  lnCross?: Float32Array; // [T, C] pre-norm: the cross attention's input; post-LN: LN(r + cross)
  crossQ?: Float32Array; // [T, NH·HD]
  crossConcat?: Float32Array; // [T, NH·HD]
  crossProj?: Float32Array; // [T, C]
  residualCross?: Float32Array; // [T, C] the stream after cross attention's residual add (post-LN: before its norm)
}

export interface ForwardResult {
  /** Tokens run in this pass (queries). */
  T: number;
  /** Tokens before them (from the KV cache); keys = past + T. */
  past: number;
  /** [T, T]  0 / −∞ without a sliding window (causal and/or padding) */
  mask: Float32Array;
  /** Per layer, the mask that layer adds (the same buffer as `mask` unless the layer slides). */
  masks: Float32Array[];
  /** RoPE models: the rotation tables for these T positions (Gemma 3: of the full-attention layers). */
  rope?: RopeTables;
  /** Per layer, the tables that layer rotates with (Gemma 3's sliding layers have their own θ). */
  ropes?: RopeTables[];
  embeddings: Float32Array; // [T, C]  hidden_states[0]
  layers: LayerRecord[];
  /** keepResiduals: the stream after layer 1 … L, [T, C] each (before the final norm). */
  residuals?: Float32Array[];
  hidden: Float32Array; // [T, C]  last hidden state (after the final norm where the model has one)
  /** Decoders with cross attention: the encoder K/V per layer (pass back as cross.kv on the next step) and the [T, Te] mask. */
  crossKv?: Float32Array[];
  crossMask?: Float32Array;
}

interface LayerBuffers {
  lnAttn: Float32Array; qkv: Float32Array; qkvUnrotated?: Float32Array; concat: Float32Array; attnProj: Float32Array; residualAttn: Float32Array;
  lnFfn: Float32Array; ffnPre: Float32Array; ffnUp?: Float32Array; ffnAct: Float32Array; ffnOut: Float32Array; output: Float32Array;
  lnCross?: Float32Array; crossQ?: Float32Array; crossConcat?: Float32Array; crossProj?: Float32Array; residualCross?: Float32Array;
}

interface Shape { T: number; C: number; F: number; QKV: number; QD: number; gated: boolean; unrotated: boolean; cross: boolean }

/** One allocation carved into views: far cheaper than a dozen when every layer is kept. */
function layerBuffers(s: Shape): LayerBuffers {
  const { T, C, F, QKV, QD } = s;
  const block = new Float32Array(T * (6 * C + QKV * (s.unrotated ? 2 : 1) + QD + F * (s.gated ? 3 : 2) + (s.cross ? 3 * C + 2 * QD : 0)));
  let at = 0;
  const f = (n: number) => block.subarray(at, (at += n));
  return {
    lnAttn: f(T * C), qkv: f(T * QKV), qkvUnrotated: s.unrotated ? f(T * QKV) : undefined, concat: f(T * QD), attnProj: f(T * C), residualAttn: f(T * C),
    lnFfn: f(T * C), ffnPre: f(T * F), ffnUp: s.gated ? f(T * F) : undefined, ffnAct: f(T * F), ffnOut: f(T * C), output: f(T * C),
    ...(s.cross ? { lnCross: f(T * C), crossQ: f(T * QD), crossConcat: f(T * QD), crossProj: f(T * C), residualCross: f(T * C) } : {}),
  };
}

export function checkInput(cfg: ModelConfig, input: ForwardInput, past = 0): void {
  const T = input.ids.length;
  if (T === 0) throw withCode(modelError`no tokens to run the model on`, 'no-tokens');
  if (past + T > cfg.maxPositions) {
    throw past ? withCode(modelError`${past} cached + ${T} new tokens is more than this model's ${cfg.maxPositions} positions`, 'too-many-positions-cached', past, T, cfg.maxPositions)
      : withCode(modelError`${T} tokens is more than this model's ${cfg.maxPositions} positions; select less text`, 'too-many-positions', T, cfg.maxPositions);
  }
  for (const id of input.ids) {
    if (!Number.isInteger(id) || id < 0 || id >= cfg.vocabSize) throw modelError`token id ${id} is outside the model's vocabulary (0–${cfg.vocabSize - 1})`;
  }
  for (const [name, arr] of [['typeIds', input.typeIds], ['attentionMask', input.attentionMask]] as const) {
    if (arr && arr.length !== T) throw modelError`${name} has ${arr.length} entries for ${T} tokens`;
  }
  if (input.typeIds) {
    for (const tt of input.typeIds) {
      if (!Number.isInteger(tt) || tt < 0 || tt >= Math.max(1, cfg.typeVocabSize)) throw modelError`token type ${tt} is outside 0–${Math.max(1, cfg.typeVocabSize) - 1}`;
    }
  }
}

/** Each layer's mask: one per distinct sliding window, shared by the layers that use it. */
function layerMasks(cfg: ModelConfig, T: number, keyMask?: readonly number[]): { full: Float32Array; masks: Float32Array[] } {
  const full = buildMask(T, cfg.causal, keyMask);
  const byWindow = new Map<number, Float32Array>();
  const masks = Array.from({ length: cfg.layers }, (_, l) => {
    const w = cfg.slidingWindows[l] ?? 0;
    if (w <= 0 || w >= T) return full; // a window wider than the input hides nothing
    let m = byWindow.get(w);
    if (!m) byWindow.set(w, (m = buildMask(T, cfg.causal, keyMask, w)));
    return m;
  });
  return { full, masks };
}

/** The masks of T new tokens after `past` cached ones, [T, past + T] per layer. */
function stepMasks(cfg: ModelConfig, T: number, past: number): { full: Float32Array; masks: Float32Array[] } {
  const full = stepMask(T, past, cfg.causal);
  const byWindow = new Map<number, Float32Array>();
  const masks = Array.from({ length: cfg.layers }, (_, l) => {
    const w = cfg.slidingWindows[l] ?? 0;
    if (w <= 0 || w >= past + T) return full;
    let m = byWindow.get(w);
    if (!m) byWindow.set(w, (m = stepMask(T, past, cfg.causal, w)));
    return m;
  });
  return { full, masks };
}

/** out = N(inp) with the config's norm kind (LayerNorm needs its bias). */
export function normalize(cfg: ModelConfig, out: Float32Array, inp: Float32Array, w: Float32Array, b: Float32Array | undefined, T: number, C: number): void {
  if (cfg.normKind === 'rmsnorm') rmsNorm(out, inp, w, T, C, cfg.layerNormEps, cfg.normOffset);
  else layerNorm(out, inp, w, b!, T, C, cfg.layerNormEps);
}

export function forward(cfg: ModelConfig, w: StackWeights, input: ForwardInput, opts: ForwardOptions = {}): ForwardResult {
  const cache = opts.cache;
  const past = cache?.length ?? 0;
  checkInput(cfg, input, past);
  const level = opts.record ?? 'weights';
  const kernels = opts.kernels ?? tsKernels;
  const { hidden: C, ffnHidden: F, heads: NH, kvHeads: NKV, headDim: HD } = cfg;
  const T = input.ids.length;
  if (cache) {
    if (input.attentionMask) throw modelError`a padding mask cannot be combined with the KV cache`;
    if (past + T > cache.capacity) throw modelError`the KV cache holds ${cache.capacity} tokens; ${past} + ${T} do not fit`;
    if (cache.k.length !== cfg.layers || cache.rowWidth !== NKV * HD) throw modelError`this KV cache was made for another model`;
  }
  const { full: mask, masks } = past === 0 ? layerMasks(cfg, T, input.attentionMask) : stepMasks(cfg, T, past);
  const rope = cfg.rope ? ropeTables(cfg.rope, past + T) : undefined;
  const ropeSliding = cfg.ropeSliding ? ropeTables(cfg.ropeSliding, past + T) : rope;
  const ropes = rope ? cfg.slidingWindows.map((w) => (w > 0 ? ropeSliding! : rope)) : undefined;

  // Embeddings: x[T, C] = tok[ids] (× scale: Gemma, BART, Marian) + pos[offset + past + t] + type[tt]
  const offset = cfg.positionOffset ?? 0;
  const sc = Math.fround(cfg.embeddingScale);
  const E = cfg.embeddingDim ?? C; // ALBERT embeds in E dims, then projects to C
  let embeddings = new Float32Array(T * E);
  for (let t = 0; t < T; t++) {
    const id = input.ids[t];
    const tt = input.typeIds?.[t] ?? 0;
    for (let c = 0; c < E; c++) {
      let v = sc === 1 ? w.tokEmb[id * E + c] : Math.fround(w.tokEmb[id * E + c] * sc);
      if (w.posEmb) v += w.posEmb[(offset + past + t) * E + c];
      if (w.typeEmb) v += w.typeEmb[tt * E + c];
      embeddings[t * E + c] = v;
    }
  }
  if (w.embLnW && w.embLnB) layerNorm(embeddings, embeddings, w.embLnW, w.embLnB, T, E, cfg.layerNormEps);
  if (w.embProjW) {
    const projected = new Float32Array(T * C);
    kernels.matmul(projected, embeddings, w.embProjW, w.embProjB ?? null, T, E, C);
    embeddings = projected;
  }

  const cross = opts.cross ? crossContext(cfg, w, opts.cross, T, kernels) : undefined;
  const headMasks = w.relBias && cfg.relativeAttention ? relativeBiasMasks(w.relBias, NH, mask, T, past + T, past, cfg.relativeAttention) : undefined;
  const shape: Shape = { T, C, F, QKV: (NH + 2 * NKV) * HD, QD: NH * HD, gated: cfg.ffn === 'gated', unrotated: level === 'all' && rope !== undefined, cross: cross !== undefined };
  const shared = level === 'all' ? undefined : layerBuffers(shape);
  const layers: LayerRecord[] = [];
  const residuals: Float32Array[] | undefined = opts.keepResiduals ? [] : undefined;
  let x: Float32Array = embeddings;
  for (let l = 0; l < cfg.layers; l++) {
    if (opts.shouldCancel?.()) throw new CancelledError();
    const b = shared ?? layerBuffers(shape);
    const scale = (cfg.attnScale ?? 1 / Math.sqrt(HD)) / (cfg.scaleByInverseLayer ? l + 1 : 1);
    const d: Dims = { T, C, F, NH, NKV, HD, QKV: shape.QKV, scale, level, kernels, mask: masks[l], headMasks, rope: ropes?.[l] ?? rope, past, layer: l, cache, cross, shouldCancel: opts.shouldCancel };
    const rec: { cross?: HeadRecord[] } = {};
    const heads = (cfg.norm === 'pre' ? preNormLayer : postLnLayer)(cfg, w.layers[l], x, b, d, rec);
    layers.push(level === 'all' ? { heads, input: x, ...b, ...rec } : { heads, ...rec });
    if (residuals) residuals.push(level === 'all' ? b.output : Float32Array.from(b.output));
    x = b.output;
  }
  const hidden = new Float32Array(T * C);
  if (w.finalLnW) normalize(cfg, hidden, x, w.finalLnW, w.finalLnB, T, C);
  else hidden.set(x);
  if (cache) cache.length = past + T;
  return { T, past, mask, masks, rope, ropes, embeddings, layers, hidden, ...(residuals ? { residuals } : {}), ...(cross ? { crossKv: cross.kv, crossMask: cross.mask } : {}) };
}

interface Dims {
  T: number; C: number; F: number; NH: number; NKV: number; HD: number; QKV: number; scale: number; level: RecordLevel; kernels: Kernels;
  mask: Float32Array; rope?: RopeTables; shouldCancel?: () => boolean;
  /** Incremental decoding: tokens already cached, this layer's index, the cache. */
  past: number; layer: number; cache?: KvCache;
  headMasks?: Float32Array[];
  cross?: CrossContext;
}

interface CrossContext { kv: Float32Array[]; Te: number; mask: Float32Array; scale: number }

/** The encoder's K and V for every decoder layer (once per source), and the [T, Te] padding mask. */
function crossContext(cfg: ModelConfig, w: StackWeights, c: CrossInput, T: number, kernels: Kernels): CrossContext {
  const KD = cfg.kvHeads * cfg.headDim;
  const kv = c.kv ?? w.layers.map((lw) => {
    if (!lw.cross) throw modelError`this stack has no cross attention`;
    const out = new Float32Array(c.Te * 2 * KD);
    kernels.matmul(out, c.hidden, lw.cross.kvW, lw.cross.kvB ?? null, c.Te, cfg.hidden, 2 * KD);
    return out;
  });
  const mask = new Float32Array(T * c.Te);
  if (c.keyMask) for (let t = 0; t < T; t++) for (let s = 0; s < c.Te; s++) if (c.keyMask[s] === 0) mask[t * c.Te + s] = -Infinity;
  return { kv, Te: c.Te, mask, scale: cfg.attnScale ?? 1 / Math.sqrt(cfg.headDim) };
}

/** Cross attention of T decoder rows (`inp`, already normalized where pre-norm) over the encoder's K/V; writes b.crossProj. */
function crossAttend(cfg: ModelConfig, cw: CrossWeights, inp: Float32Array, b: LayerBuffers, d: Dims): HeadRecord[] {
  const { T, C, NH, NKV, HD } = d;
  const cx = d.cross!;
  const KD = NKV * HD;
  d.kernels.matmul(b.crossQ!, inp, cw.qW, cw.qB ?? null, T, C, NH * HD);
  const kv = cx.kv[d.layer];
  const heads = multiHeadAttention({
    out: b.crossConcat!, q: { data: b.crossQ!, offset: 0, stride: NH * HD }, k: { data: kv, offset: 0, stride: 2 * KD }, v: { data: kv, offset: KD, stride: 2 * KD },
    Tq: T, Tk: cx.Te, NH, NKV, HD, mask: cx.mask, scale: cx.scale, level: d.level, kernels: d.kernels, shouldCancel: d.shouldCancel,
  });
  d.kernels.matmul(b.crossProj!, b.crossConcat!, cw.projW, cw.projB ?? null, T, NH * HD, C);
  return heads;
}

function attend(cfg: ModelConfig, lw: LayerWeights, inp: Float32Array, b: LayerBuffers, d: Dims): HeadRecord[] {
  const { T, C, NH, NKV, HD, QKV } = d;
  d.kernels.matmul(b.qkv, inp, lw.qkvW, lw.qkvB ?? null, T, C, QKV);
  if (lw.qNormW && lw.kNormW) {
    rmsNormGroups(b.qkv, lw.qNormW, T, QKV, 0, NH, HD, cfg.layerNormEps, cfg.normOffset);
    rmsNormGroups(b.qkv, lw.kNormW, T, QKV, NH * HD, NKV, HD, cfg.layerNormEps, cfg.normOffset);
  }
  if (d.rope) {
    b.qkvUnrotated?.set(b.qkv);
    applyRope(b.qkv, d.rope, T, QKV, 0, NH, HD, d.past);
    applyRope(b.qkv, d.rope, T, QKV, NH * HD, NKV, HD, d.past);
  }
  let views = fusedViews(b.qkv, NH, NKV, HD);
  let Tk = T;
  if (d.cache) { // append this pass's K and V rows, then attend over every cached row
    const KD = NKV * HD, K = d.cache.k[d.layer], V = d.cache.v[d.layer];
    for (let t = 0; t < T; t++) {
      const row = t * QKV;
      K.set(b.qkv.subarray(row + NH * HD, row + NH * HD + KD), (d.past + t) * KD);
      V.set(b.qkv.subarray(row + NH * HD + KD, row + NH * HD + 2 * KD), (d.past + t) * KD);
    }
    const cached = (data: Float32Array): RowsView => ({ data, offset: 0, stride: KD });
    views = { q: views.q, k: cached(K), v: cached(V) };
    Tk = d.past + T;
  }
  const heads = multiHeadAttention({
    out: b.concat, ...views, Tq: T, Tk, NH, NKV, HD,
    mask: d.mask, headMasks: d.headMasks, scale: d.scale, level: d.level, kernels: d.kernels, shouldCancel: d.shouldCancel,
  });
  d.kernels.matmul(b.attnProj, b.concat, lw.attnProjW, lw.attnProjB ?? null, T, NH * HD, C);
  return heads;
}

function ffn(cfg: ModelConfig, lw: LayerWeights, inp: Float32Array, b: LayerBuffers, d: Dims): void {
  const n = d.T * d.F;
  d.kernels.matmul(b.ffnPre, inp, lw.fcW, lw.fcB ?? null, d.T, d.C, d.F);
  activate(cfg, b.ffnAct, b.ffnPre, n, d.kernels);
  if (b.ffnUp) {
    if (!lw.upW) throw modelError`a gated FFN needs its up projection`;
    d.kernels.matmul(b.ffnUp, inp, lw.upW, lw.upB ?? null, d.T, d.C, d.F);
    mul(b.ffnAct, b.ffnAct, b.ffnUp, n);
  }
  d.kernels.matmul(b.ffnOut, b.ffnAct, lw.fcProjW, lw.fcProjB ?? null, d.T, d.F, d.C);
}

export function activate(cfg: Pick<ModelConfig, 'activation'>, out: Float32Array, inp: Float32Array, n: number, kernels: Kernels = tsKernels): void {
  switch (cfg.activation) {
    case 'gelu': geluErf(out, inp, n); break;
    case 'gelu_new': case 'gelu_pytorch_tanh': (kernels.geluTanh ?? geluTanh)(out, inp, n); break;
    case 'relu': relu(out, inp, n); break;
    case 'silu': (kernels.silu ?? silu)(out, inp, n); break;
  }
}

function preNormLayer(cfg: ModelConfig, lw: LayerWeights, x: Float32Array, b: LayerBuffers, d: Dims, rec: { cross?: HeadRecord[] }): HeadRecord[] {
  const { T, C } = d;
  normalize(cfg, b.lnAttn, x, lw.lnAttnW, lw.lnAttnB, T, C);
  const heads = attend(cfg, lw, b.lnAttn, b, d);
  if (lw.postAttnNormW) normalize(cfg, b.attnProj, b.attnProj, lw.postAttnNormW, undefined, T, C); // sandwich: N(attn) before the add
  add(b.residualAttn, x, b.attnProj, T * C);
  let r = b.residualAttn;
  if (lw.cross && d.cross) { // r₂ = r + Cross(N_c(r))
    normalize(cfg, b.lnCross!, r, lw.cross.lnW, lw.cross.lnB, T, C);
    rec.cross = crossAttend(cfg, lw.cross, b.lnCross!, b, d);
    add(b.residualCross!, r, b.crossProj!, T * C);
    r = b.residualCross!;
  }
  normalize(cfg, b.lnFfn, r, lw.lnFfnW, lw.lnFfnB, T, C);
  ffn(cfg, lw, b.lnFfn, b, d);
  if (lw.postFfnNormW) normalize(cfg, b.ffnOut, b.ffnOut, lw.postFfnNormW, undefined, T, C);
  add(b.output, r, b.ffnOut, T * C);
  return heads;
}

function postLnLayer(cfg: ModelConfig, lw: LayerWeights, x: Float32Array, b: LayerBuffers, d: Dims, rec: { cross?: HeadRecord[] }): HeadRecord[] {
  const { T, C } = d;
  const heads = attend(cfg, lw, x, b, d);
  add(b.residualAttn, x, b.attnProj, T * C);
  normalize(cfg, b.lnAttn, b.residualAttn, lw.lnAttnW, lw.lnAttnB, T, C);
  let r = b.lnAttn;
  if (lw.cross && d.cross) { // r₂ = LN_c(r + Cross(r))
    rec.cross = crossAttend(cfg, lw.cross, r, b, d);
    add(b.residualCross!, r, b.crossProj!, T * C);
    normalize(cfg, b.lnCross!, b.residualCross!, lw.cross.lnW, lw.cross.lnB, T, C);
    r = b.lnCross!;
  }
  ffn(cfg, lw, r, b, d);
  add(b.lnFfn, r, b.ffnOut, T * C); // post-LN: lnFfn holds the sum LN₂ normalizes
  normalize(cfg, b.output, b.lnFfn, lw.lnFfnW, lw.lnFfnB, T, C);
  return heads;
}
