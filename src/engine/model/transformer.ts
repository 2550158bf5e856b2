/**
 * The forward pass: a flat sequence of layer functions over typed buffers (llm.c's
 * `gpt2_forward`), for both layer orders:
 *
 *   GPT-2, pre-LN, causal                 BERT / DistilBERT, post-LN, bidirectional
 *   x = wte[ids] + wpe[pos]               x = LN(word[ids] + pos[pos] (+ type[tt]))
 *   per layer:                            per layer:
 *     a   = LN₁(x)                          qkv = x · Wqkvᵀ
 *     qkv = a · Wqkvᵀ                       …attention as on the left…
 *     cat = attention(qkv, causal mask)     r   = LN₁(x + cat · Woᵀ)
 *     r   = x + cat · Woᵀ                   x   = LN₂(r + FFN(r))
 *     x   = r + FFN(LN₂(r))
 *   hidden = LN_f(x)                      hidden = x
 *   FFN(h) = act(h · W₁ᵀ + b₁) · W₂ᵀ + b₂  (act: gelu_new for GPT-2, exact gelu for BERT)
 *
 * Recording ('all') keeps every buffer per layer; otherwise one set is reused, and only
 * the attention weights ('weights') or nothing ('none') is kept.
 * Legend: T tokens, C channels, F FFN width, NH heads, L layers.
 */
import { buildMask, multiHeadAttention, type HeadRecord, type RecordLevel } from './attention';
import type { ModelConfig } from './config';
import { add, geluErf, geluTanh, layerNorm, relu, tsKernels, type Kernels } from './kernels';
import { CancelledError, ModelError } from './modelError';
import type { LayerWeights, ModelWeights } from './weights';

export interface ForwardInput {
  ids: readonly number[];
  /** BERT sentence-pair segments (0/1); zeros when absent. */
  typeIds?: readonly number[];
  /** 1 for real tokens, 0 for padding (padded keys get −∞). */
  attentionMask?: readonly number[];
}

export interface ForwardOptions {
  record?: RecordLevel;
  kernels?: Kernels;
  shouldCancel?: () => boolean;
}

export interface LayerRecord {
  heads: HeadRecord[];
  // Kept at level 'all' only:
  input?: Float32Array; // [T, C] the residual stream entering the layer
  lnAttn?: Float32Array; // [T, C] pre-LN: LN₁(x), the attention's input; post-LN: LN₁(x + attn)
  qkv?: Float32Array; // [T, 3C]
  concat?: Float32Array; // [T, C]
  attnProj?: Float32Array; // [T, C] concat · Woᵀ + bo
  residualAttn?: Float32Array; // [T, C] x + attnProj
  lnFfn?: Float32Array; // [T, C] pre-LN: LN₂(r), the FFN's input; post-LN: r + FFN(r), the sum LN₂ normalizes
  ffnPre?: Float32Array; // [T, F] before the activation
  ffnAct?: Float32Array; // [T, F]
  ffnOut?: Float32Array; // [T, C]
  output?: Float32Array; // [T, C]
}

export interface ForwardResult {
  T: number;
  mask: Float32Array; // [T, T]  0 / −∞
  embeddings: Float32Array; // [T, C]  hidden_states[0]
  layers: LayerRecord[];
  hidden: Float32Array; // [T, C]  last hidden state (GPT-2: after ln_f)
}

interface LayerBuffers {
  lnAttn: Float32Array; qkv: Float32Array; concat: Float32Array; attnProj: Float32Array; residualAttn: Float32Array;
  lnFfn: Float32Array; ffnPre: Float32Array; ffnAct: Float32Array; ffnOut: Float32Array; output: Float32Array;
}

/** One allocation carved into views: far cheaper than ten when every layer is kept. */
function layerBuffers(T: number, C: number, F: number): LayerBuffers {
  const block = new Float32Array(T * (12 * C + 2 * F));
  let at = 0;
  const f = (n: number) => block.subarray(at, (at += n));
  return {
    lnAttn: f(T * C), qkv: f(T * 3 * C), concat: f(T * C), attnProj: f(T * C), residualAttn: f(T * C),
    lnFfn: f(T * C), ffnPre: f(T * F), ffnAct: f(T * F), ffnOut: f(T * C), output: f(T * C),
  };
}

export function checkInput(cfg: ModelConfig, input: ForwardInput): void {
  const T = input.ids.length;
  if (T === 0) throw new ModelError('no tokens to run the model on');
  if (T > cfg.maxPositions) throw new ModelError(`${T} tokens is more than this model's ${cfg.maxPositions} positions; select less text`);
  for (const id of input.ids) {
    if (!Number.isInteger(id) || id < 0 || id >= cfg.vocabSize) throw new ModelError(`token id ${id} is outside the model's vocabulary (0–${cfg.vocabSize - 1})`);
  }
  for (const [name, arr] of [['typeIds', input.typeIds], ['attentionMask', input.attentionMask]] as const) {
    if (arr && arr.length !== T) throw new ModelError(`${name} has ${arr.length} entries for ${T} tokens`);
  }
  if (input.typeIds) {
    for (const tt of input.typeIds) {
      if (!Number.isInteger(tt) || tt < 0 || tt >= Math.max(1, cfg.typeVocabSize)) throw new ModelError(`token type ${tt} is outside 0–${Math.max(1, cfg.typeVocabSize) - 1}`);
    }
  }
}

export function forward(cfg: ModelConfig, w: ModelWeights, input: ForwardInput, opts: ForwardOptions = {}): ForwardResult {
  checkInput(cfg, input);
  const level = opts.record ?? 'weights';
  const kernels = opts.kernels ?? tsKernels;
  const { hidden: C, ffnHidden: F, heads: NH } = cfg;
  const T = input.ids.length;
  const mask = buildMask(T, cfg.causal, input.attentionMask);

  // Embeddings: x[T, C]
  const embeddings = new Float32Array(T * C);
  for (let t = 0; t < T; t++) {
    const id = input.ids[t];
    const tt = input.typeIds?.[t] ?? 0;
    for (let c = 0; c < C; c++) {
      let v = w.tokEmb[id * C + c] + w.posEmb[t * C + c];
      if (w.typeEmb) v += w.typeEmb[tt * C + c];
      embeddings[t * C + c] = v;
    }
  }
  if (w.embLnW && w.embLnB) layerNorm(embeddings, embeddings, w.embLnW, w.embLnB, T, C, cfg.layerNormEps);

  const shared = level === 'all' ? undefined : layerBuffers(T, C, F);
  const layers: LayerRecord[] = [];
  let x: Float32Array = embeddings;
  for (let l = 0; l < cfg.layers; l++) {
    if (opts.shouldCancel?.()) throw new CancelledError();
    const b = shared ?? layerBuffers(T, C, F);
    const scale = 1 / Math.sqrt(C / NH) / (cfg.scaleByInverseLayer ? l + 1 : 1);
    const heads = (cfg.norm === 'pre' ? preLnLayer : postLnLayer)(cfg, w.layers[l], x, b, { T, C, F, NH, scale, level, kernels, mask, shouldCancel: opts.shouldCancel });
    layers.push(level === 'all' ? { heads, input: x, ...b } : { heads });
    x = b.output;
  }
  const hidden = new Float32Array(T * C);
  if (w.finalLnW && w.finalLnB) layerNorm(hidden, x, w.finalLnW, w.finalLnB, T, C, cfg.layerNormEps);
  else hidden.set(x);
  return { T, mask, embeddings, layers, hidden };
}

interface Dims {
  T: number; C: number; F: number; NH: number; scale: number; level: RecordLevel; kernels: Kernels; mask: Float32Array; shouldCancel?: () => boolean;
}

function attend(lw: LayerWeights, inp: Float32Array, b: LayerBuffers, d: Dims): HeadRecord[] {
  d.kernels.matmul(b.qkv, inp, lw.qkvW, lw.qkvB, d.T, d.C, 3 * d.C);
  const heads = multiHeadAttention({ out: b.concat, qkv: b.qkv, mask: d.mask, T: d.T, C: d.C, NH: d.NH, scale: d.scale, level: d.level, kernels: d.kernels, shouldCancel: d.shouldCancel });
  d.kernels.matmul(b.attnProj, b.concat, lw.attnProjW, lw.attnProjB, d.T, d.C, d.C);
  return heads;
}

function ffn(cfg: ModelConfig, lw: LayerWeights, inp: Float32Array, b: LayerBuffers, d: Dims): void {
  d.kernels.matmul(b.ffnPre, inp, lw.fcW, lw.fcB, d.T, d.C, d.F);
  activate(cfg, b.ffnAct, b.ffnPre, d.T * d.F, d.kernels);
  d.kernels.matmul(b.ffnOut, b.ffnAct, lw.fcProjW, lw.fcProjB, d.T, d.F, d.C);
}

export function activate(cfg: ModelConfig, out: Float32Array, inp: Float32Array, n: number, kernels: Kernels = tsKernels): void {
  switch (cfg.activation) {
    case 'gelu': geluErf(out, inp, n); break;
    case 'gelu_new': case 'gelu_pytorch_tanh': (kernels.geluTanh ?? geluTanh)(out, inp, n); break;
    case 'relu': relu(out, inp, n); break;
  }
}

function preLnLayer(cfg: ModelConfig, lw: LayerWeights, x: Float32Array, b: LayerBuffers, d: Dims): HeadRecord[] {
  const { T, C } = d;
  layerNorm(b.lnAttn, x, lw.lnAttnW, lw.lnAttnB, T, C, cfg.layerNormEps);
  const heads = attend(lw, b.lnAttn, b, d);
  add(b.residualAttn, x, b.attnProj, T * C);
  layerNorm(b.lnFfn, b.residualAttn, lw.lnFfnW, lw.lnFfnB, T, C, cfg.layerNormEps);
  ffn(cfg, lw, b.lnFfn, b, d);
  add(b.output, b.residualAttn, b.ffnOut, T * C);
  return heads;
}

function postLnLayer(cfg: ModelConfig, lw: LayerWeights, x: Float32Array, b: LayerBuffers, d: Dims): HeadRecord[] {
  const { T, C } = d;
  const heads = attend(lw, x, b, d);
  add(b.residualAttn, x, b.attnProj, T * C);
  layerNorm(b.lnAttn, b.residualAttn, lw.lnAttnW, lw.lnAttnB, T, C, cfg.layerNormEps);
  ffn(cfg, lw, b.lnAttn, b, d);
  add(b.lnFfn, b.lnAttn, b.ffnOut, T * C); // post-LN: lnFfn holds the sum LN₂ normalizes
  layerNorm(b.output, b.lnFfn, lw.lnFfnW, lw.lnFfnB, T, C, cfg.layerNormEps);
  return heads;
}
