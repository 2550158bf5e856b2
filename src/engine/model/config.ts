/**
 * `config.json` of a Hugging Face checkpoint → the engine's ModelConfig: what the forward
 * pass (transformer.ts) needs to know, declared as pieces (norm kind, attention shape,
 * FFN kind, positions, residual order, head kind) rather than as an architecture name.
 *
 * Each family's reading of config.json lives in its own module under `architectures/`
 * (gpt2.ts, bert.ts, distilbert.ts, llama.ts); this file picks the module by `model_type`
 * (or `architectures`), then checks the sizes against the memory budget, by field.
 */
import { modelError } from './modelError';
import { ARCHITECTURES, type ArchitectureModule, type FieldNames } from './architectures';
import type { Activation } from './architectures/configFields';
import type { RopeConfig } from './rope';
import type { CodedError } from '../../shared/engineErrors';
import { phrase } from '../../shared/l10nText';

export type { Activation } from './architectures/configFields';

/** Every `model_type` some module reads. */
export const SUPPORTED_ARCHITECTURES: readonly string[] = ARCHITECTURES.flatMap((m) => m.modelTypes);
export type Architecture = string;

/** What the output head does: predict the next token, or fill in masked ones. */
export type HeadKind = 'causal-lm' | 'masked-lm' | 'seq2seq';

export interface ModelConfig {
  /** The checkpoint's model_type (`gpt2`, `bert`, `llama`, `qwen3`, …). */
  arch: Architecture;
  /** The module under architectures/ that reads it (`llama` for qwen2, mistral, …). */
  family: string;
  head: HeadKind;
  /** V */
  vocabSize: number;
  /** maxT: the longest sequence the model reads (its position table, or max_position_embeddings with RoPE; × factor with dynamic RoPE). */
  maxPositions: number;
  /** C */
  hidden: number;
  /** NH: query heads */
  heads: number;
  /** NKV: key/value heads (= NH for multi-head attention; fewer for GQA, 1 for MQA) */
  kvHeads: number;
  /** HD = d_k (may differ from C / NH, e.g. Qwen3) */
  headDim: number;
  /** L */
  layers: number;
  /** F: the FFN's inner width. */
  ffnHidden: number;
  activation: Activation;
  /** `mlp`: act(x·W₁ᵀ + b₁)·W₂ᵀ; `gated` (SwiGLU): (act(x·W_gateᵀ) ⊙ x·W_upᵀ)·W_downᵀ. */
  ffn: 'mlp' | 'gated';
  /** LayerNorm (mean and variance) or RMSNorm (root mean square only, no bias). */
  normKind: 'layernorm' | 'rmsnorm';
  layerNormEps: number;
  /** pre-LN (GPT-2, Llama) or post-LN (BERT, DistilBERT). */
  norm: 'pre' | 'post';
  /** Where positions enter: a table added to the embeddings, rotations of q and k, or a bias on the scores (T5). */
  positions: 'table' | 'rope' | 'relative';
  rope?: RopeConfig;
  /** Gemma 3: the sliding-window layers rotate with their own θ (rope_local_base_freq); `rope` is for the full ones. */
  ropeSliding?: RopeConfig;
  /** Per layer: 0 = every earlier key; W > 0 = only the last W keys (a sliding window). */
  slidingWindows: number[];
  /** Qwen3/Gemma 3: RMSNorm over each head's q and k before RoPE. */
  qkNorm: boolean;
  /** The embeddings are multiplied by this (Gemma: √C); 1 elsewhere. */
  embeddingScale: number;
  /** RMSNorm multiplies by (normOffset + w): 0 for Llama, 1 for Gemma (its weights are stored around 0). */
  normOffset: number;
  /** Gemma 2/3: the attention and FFN outputs are normalized again before the residual add ("sandwich" norms). */
  sandwichNorm: boolean;
  /** Scores are multiplied by this instead of 1/√d_k (Gemma: query_pre_attn_scalar^−½). */
  attnScale?: number;
  /** BERT only: segment (token type) embeddings; 0 elsewhere. */
  typeVocabSize: number;
  /** DistilBERT option: fixed sinusoidal positions (the table is still stored in the checkpoint). */
  sinusoidalPositions: boolean;
  /** GPT-2 option: scores also divided by (layer index + 1). */
  scaleByInverseLayer: boolean;
  /** head === 'causal-lm': each token sees only itself and earlier ones. */
  causal: boolean;
  /** config.json's tie_word_embeddings: the output head reuses the input embeddings. */
  tiedEmbeddings: boolean;
  /** ALBERT: the embeddings' own width E (< C), projected to C before the first layer. */
  embeddingDim?: number;
  /** Learned positions start this many rows into the table (BART 2, RoBERTa pad_token_id + 1). */
  positionOffset?: number;
  /** T5: a learned bias per (bucketed key − query distance) and head, added to the scores. */
  relativeAttention?: { buckets: number; maxDistance: number; bidirectional: boolean };
  /** Encoder–decoders (head 'seq2seq'): this config is the encoder's; `decoder` is the decoder stack's. */
  decoder?: ModelConfig;
  /** Encoder–decoders: the first decoder input (decoder_start_token_id). */
  decoderStartId?: number;
  /** T5: the decoder output is multiplied by d_model^−½ before the head (scale_decoder_outputs). */
  t5ScaleOutputs?: boolean;
}

function pickModule(cfg: Record<string, unknown>): { module: ArchitectureModule; modelType: string } {
  const type = cfg.model_type;
  if (typeof type === 'string') {
    const module = ARCHITECTURES.find((m) => m.modelTypes.includes(type));
    if (module) return { module, modelType: type };
  }
  const archs = Array.isArray(cfg.architectures) ? cfg.architectures.filter((a): a is string => typeof a === 'string') : [];
  if (typeof type !== 'string') {
    for (const a of archs) {
      for (const module of ARCHITECTURES) {
        const hit = Object.entries(module.classPrefixes).find(([prefix]) => new RegExp(`^${prefix}(For|LMHead|Model$)`).test(a));
        if (hit) return { module, modelType: hit[1] };
      }
    }
  }
  const what = typeof type === 'string' ? phrase`model_type "${type}"` : archs.length ? phrase`architectures ${archs.join(', ')}` : phrase`no model_type`;
  throw modelError`config.json: ${what} is not supported (supported architectures: ${SUPPORTED_ARCHITECTURES.join(', ')})`;
}

/** The model_type config.json names, checked against the supported ones. */
export function detectArchitecture(cfg: Record<string, unknown>): Architecture {
  return pickModule(cfg).modelType;
}

/** The family module that reads this config (for weights.ts and the tokenizer fallback). */
export function architectureModule(c: Pick<ModelConfig, 'family'>): ArchitectureModule {
  const m = ARCHITECTURES.find((a) => a.family === c.family);
  if (!m) throw modelError`no architecture module "${c.family}"`;
  return m;
}

export function parseConfig(json: unknown): ModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw modelError`config.json must hold a JSON object`;
  const cfg = json as Record<string, unknown>;
  const { module, modelType } = pickModule(cfg);
  const c = module.parseConfig(cfg, modelType);
  checkMemoryBudget(c, module.fieldNames);
  return c;
}

/**
 * The most float32 values the engine allocates for one model's weights: 2 G floats (8 GiB),
 * room for GPT-2 XL (1.6 G). Every buffer is sized from config.json before a tensor's shape
 * is compared with it, so a config such as `n_inner: 1e9` is refused here, by field, rather
 * than failing as "Invalid typed array length" or exhausting memory.
 */
export const MAX_MODEL_FLOATS = 2 * 1024 ** 3;
/** One buffer's limit: a JavaScript typed array holds at most 2^32 − 1 elements on 64-bit V8 (Node 20). */
export const MAX_TENSOR_FLOATS = 2 ** 32 - 1;
/** Positions: T×T attention tables per head are built for sequences up to this long. */
export const MAX_POSITIONS = 1 << 20;

/** Float32 values one layer of this stack holds (with cross attention for an encoder–decoder's decoder). */
function layerFloats(c: ModelConfig, cross: boolean): number {
  const C = c.hidden, F = c.ffnHidden, QD = c.heads * c.headDim, KD = c.kvHeads * c.headDim;
  const self = (QD + 2 * KD) * C + QD * C + (c.ffn === 'gated' ? 3 : 2) * C * F + (QD + 2 * KD) + 6 * C + 2 * F + 2 * c.headDim;
  return self + (cross ? 2 * QD * C + 2 * KD * C + QD + 2 * KD + 3 * C : 0);
}

/** Float32 values the weights of this config hold (embeddings, layers, head), as loadWeights allocates them. */
export function weightFloats(c: ModelConfig): number {
  const { vocabSize: V, maxPositions: P, hidden: C, layers: L, typeVocabSize: NTT } = c;
  const table = c.positions === 'table' ? ((c.positionOffset ?? 0) + P) * C : 0;
  const decoder = c.decoder ? c.decoder.layers * layerFloats(c.decoder, true) + table + 4 * C : 0;
  return V * C + table + NTT * C + L * layerFloats(c, false) + decoder + (c.tiedEmbeddings ? 0 : V * C) + 2 * V + 6 * C;
}

/** Refuse sizes whose weights or largest buffer cannot be allocated, naming the field. */
export function checkMemoryBudget(c: ModelConfig, names: FieldNames): void {
  const { vocabSize: V, maxPositions: P, hidden: C, layers: L, ffnHidden: F, typeVocabSize: NTT } = c;
  const QKV = (c.heads + 2 * c.kvHeads) * c.headDim;
  if (P > MAX_POSITIONS) throw modelError`config.json: "${names.maxPositions}" is ${P}; the engine handles at most ${MAX_POSITIONS} positions`;
  const matrices: [number, string][] = [
    [V * C, `${names.vocabSize} ${V} × ${names.hidden} ${C}`],
    [c.positions === 'table' ? P * C : 0, `${names.maxPositions} ${P} × ${names.hidden} ${C}`],
    [QKV * C, `(${c.heads} + 2 × ${c.kvHeads}) heads × ${c.headDim} × ${names.hidden} ${C}`],
    [F * C, `${names.ffnHidden} ${F} × ${names.hidden} ${C}`],
    [NTT * C, `${names.typeVocabSize} ${NTT} × ${names.hidden} ${C}`],
  ];
  for (const [n, what] of matrices) {
    if (n > MAX_TENSOR_FLOATS) throw modelError`config.json: one weight matrix would be ${what} = ${n} values, over the ${MAX_TENSOR_FLOATS} a buffer can hold`;
  }
  const total = weightFloats(c);
  if (total > MAX_MODEL_FLOATS) {
    const perLayer = (total - V * C - (c.tiedEmbeddings ? 0 : V * C) - (c.positions === 'table' ? P * C : 0) - NTT * C) / Math.max(1, L);
    const biggest = [[(c.tiedEmbeddings ? 1 : 2) * V * C, names.vocabSize], [c.positions === 'table' ? P * C : 0, names.maxPositions], [L * perLayer, `${names.layers}, ${names.hidden} and ${names.ffnHidden}`]]
      .sort((a, b) => (b[0] as number) - (a[0] as number))[0][1];
    throw modelError`config.json: these sizes need ${(total * 4 / 1024 ** 3).toFixed(1)} GiB of float32 weights, over the ${MAX_MODEL_FLOATS * 4 / 1024 ** 3} GiB budget (most of it from ${biggest})`;
  }
}

/** A one-line description, e.g. `gpt2 · 12 layers × 12 heads · 768 wide · 50257 tokens` (· `4 KV heads` with GQA). */
export function describeConfig(c: ModelConfig): string {
  const kv = c.kvHeads !== c.heads ? ` (${c.kvHeads} KV)` : '';
  return `${c.arch} · ${c.layers} layers × ${c.heads} heads${kv} · ${c.hidden} wide · ${c.vocabSize} tokens`;
}

/** describeConfig's line as a code and arguments, for the panel to show in the display language. */
export function describeConfigCoded(c: ModelConfig): CodedError {
  return c.kvHeads !== c.heads ? { code: 'model-shape-kv', args: [c.arch, c.layers, c.heads, c.kvHeads, c.hidden, c.vocabSize] }
    : { code: 'model-shape', args: [c.arch, c.layers, c.heads, c.hidden, c.vocabSize] };
}
