/**
 * `config.json` of a Hugging Face checkpoint → the engine's ModelConfig.
 *
 * Field names per architecture, as transformers writes them:
 *   GPT-2       n_embd, n_head, n_layer, n_positions, n_inner (null → 4·n_embd),
 *               activation_function, layer_norm_epsilon, vocab_size
 *   BERT        hidden_size, num_attention_heads, num_hidden_layers, intermediate_size,
 *               hidden_act, layer_norm_eps, type_vocab_size, max_position_embeddings
 *   DistilBERT  dim, n_heads, n_layers, hidden_dim, activation, sinusoidal_pos_embds,
 *               max_position_embeddings (LayerNorm eps is fixed at 1e-12 in transformers)
 */
import { ModelError } from './modelError';

export const SUPPORTED_ARCHITECTURES = ['gpt2', 'bert', 'distilbert'] as const;
export type Architecture = (typeof SUPPORTED_ARCHITECTURES)[number];

export type Activation = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';
const ACTIVATIONS: readonly string[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'relu'];

export interface ModelConfig {
  arch: Architecture;
  /** V */
  vocabSize: number;
  /** maxT: the longest sequence the position embeddings cover. */
  maxPositions: number;
  /** C */
  hidden: number;
  /** NH */
  heads: number;
  /** L */
  layers: number;
  /** F: the FFN's inner width. */
  ffnHidden: number;
  activation: Activation;
  layerNormEps: number;
  /** BERT only: segment (token type) embeddings; 0 elsewhere. */
  typeVocabSize: number;
  /** DistilBERT option: fixed sinusoidal positions (the table is still stored in the checkpoint). */
  sinusoidalPositions: boolean;
  /** GPT-2 option: scores also divided by (layer index + 1). */
  scaleByInverseLayer: boolean;
  /** pre-LN (GPT-2) or post-LN (BERT, DistilBERT). */
  norm: 'pre' | 'post';
  causal: boolean;
}

function int(cfg: Record<string, unknown>, key: string, arch: string, fallback?: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw new ModelError(`config.json (${arch}): "${key}" must be a positive integer, got ${JSON.stringify(cfg[key])}`);
  }
  return v;
}

function num(cfg: Record<string, unknown>, key: string, fallback: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ModelError(`config.json: "${key}" must be a non-negative number, got ${JSON.stringify(cfg[key])}`);
  return v;
}

function activation(cfg: Record<string, unknown>, key: string, fallback: string): Activation {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'string' || !ACTIVATIONS.includes(v)) {
    throw new ModelError(`config.json: activation ${JSON.stringify(v)} in "${key}" is not supported (supported: ${ACTIVATIONS.join(', ')})`);
  }
  // gelu_fast and gelu_pytorch_tanh are the tanh approximation, like gelu_new.
  return v === 'gelu_fast' ? 'gelu_new' : (v as Activation);
}

export function detectArchitecture(cfg: Record<string, unknown>): Architecture {
  const type = cfg.model_type;
  if (typeof type === 'string' && (SUPPORTED_ARCHITECTURES as readonly string[]).includes(type)) return type as Architecture;
  const archs = Array.isArray(cfg.architectures) ? cfg.architectures.filter((a): a is string => typeof a === 'string') : [];
  for (const a of archs) {
    if (a.startsWith('GPT2')) return 'gpt2';
    if (a.startsWith('DistilBert')) return 'distilbert';
    if (a.startsWith('Bert')) return 'bert';
  }
  const what = typeof type === 'string' ? `model_type "${type}"` : archs.length ? `architectures ${archs.join(', ')}` : 'no model_type';
  throw new ModelError(`config.json: ${what} is not supported (supported architectures: ${SUPPORTED_ARCHITECTURES.join(', ')})`);
}

export function parseConfig(json: unknown): ModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelError('config.json must hold a JSON object');
  const cfg = json as Record<string, unknown>;
  const arch = detectArchitecture(cfg);
  let c: ModelConfig;
  switch (arch) {
    case 'gpt2': {
      const hidden = int(cfg, 'n_embd', arch);
      c = {
        arch, vocabSize: int(cfg, 'vocab_size', arch), maxPositions: int(cfg, 'n_positions', arch), hidden,
        heads: int(cfg, 'n_head', arch), layers: int(cfg, 'n_layer', arch),
        ffnHidden: cfg.n_inner == null ? 4 * hidden : int(cfg, 'n_inner', arch),
        activation: activation(cfg, 'activation_function', 'gelu_new'), layerNormEps: num(cfg, 'layer_norm_epsilon', 1e-5),
        typeVocabSize: 0, sinusoidalPositions: false, scaleByInverseLayer: cfg.scale_attn_by_inverse_layer_idx === true,
        norm: 'pre', causal: true,
      };
      if (cfg.scale_attn_weights === false) throw new ModelError('config.json: scale_attn_weights=false (attention without ÷√d_k) is not supported');
      break;
    }
    case 'bert':
      c = {
        arch, vocabSize: int(cfg, 'vocab_size', arch), maxPositions: int(cfg, 'max_position_embeddings', arch, 512),
        hidden: int(cfg, 'hidden_size', arch), heads: int(cfg, 'num_attention_heads', arch), layers: int(cfg, 'num_hidden_layers', arch),
        ffnHidden: int(cfg, 'intermediate_size', arch), activation: activation(cfg, 'hidden_act', 'gelu'),
        layerNormEps: num(cfg, 'layer_norm_eps', 1e-12), typeVocabSize: int(cfg, 'type_vocab_size', arch, 2),
        sinusoidalPositions: false, scaleByInverseLayer: false, norm: 'post', causal: false,
      };
      if (cfg.position_embedding_type !== undefined && cfg.position_embedding_type !== 'absolute') {
        throw new ModelError(`config.json: position_embedding_type "${String(cfg.position_embedding_type)}" is not supported (only "absolute")`);
      }
      break;
    case 'distilbert':
      c = {
        arch, vocabSize: int(cfg, 'vocab_size', arch), maxPositions: int(cfg, 'max_position_embeddings', arch, 512),
        hidden: int(cfg, 'dim', arch), heads: int(cfg, 'n_heads', arch), layers: int(cfg, 'n_layers', arch),
        ffnHidden: int(cfg, 'hidden_dim', arch), activation: activation(cfg, 'activation', 'gelu'),
        layerNormEps: 1e-12, typeVocabSize: 0, sinusoidalPositions: cfg.sinusoidal_pos_embds === true,
        scaleByInverseLayer: false, norm: 'post', causal: false,
      };
      break;
  }
  if (c.hidden % c.heads !== 0) throw new ModelError(`config.json: the width ${c.hidden} is not divisible by the ${c.heads} heads`);
  checkMemoryBudget(c, FIELD_NAMES[arch]);
  return c;
}

/** The config.json field behind each size, per architecture, for error messages. */
const FIELD_NAMES: Record<Architecture, Record<'vocabSize' | 'maxPositions' | 'hidden' | 'layers' | 'ffnHidden' | 'typeVocabSize', string>> = {
  gpt2: { vocabSize: 'vocab_size', maxPositions: 'n_positions', hidden: 'n_embd', layers: 'n_layer', ffnHidden: 'n_inner', typeVocabSize: 'type_vocab_size' },
  bert: { vocabSize: 'vocab_size', maxPositions: 'max_position_embeddings', hidden: 'hidden_size', layers: 'num_hidden_layers', ffnHidden: 'intermediate_size', typeVocabSize: 'type_vocab_size' },
  distilbert: { vocabSize: 'vocab_size', maxPositions: 'max_position_embeddings', hidden: 'dim', layers: 'n_layers', ffnHidden: 'hidden_dim', typeVocabSize: 'type_vocab_size' },
};

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

/** Refuse sizes whose weights or largest buffer cannot be allocated, naming the field. */
export function checkMemoryBudget(c: ModelConfig, names: Record<'vocabSize' | 'maxPositions' | 'hidden' | 'layers' | 'ffnHidden' | 'typeVocabSize', string>): void {
  const { vocabSize: V, maxPositions: P, hidden: C, layers: L, ffnHidden: F, typeVocabSize: NTT } = c;
  if (P > MAX_POSITIONS) throw new ModelError(`config.json: "${names.maxPositions}" is ${P}; the engine handles at most ${MAX_POSITIONS} positions`);
  const matrices: [number, string][] = [
    [V * C, `${names.vocabSize} ${V} × ${names.hidden} ${C}`],
    [P * C, `${names.maxPositions} ${P} × ${names.hidden} ${C}`],
    [3 * C * C, `3 × ${names.hidden} ${C} × ${C}`],
    [F * C, `${names.ffnHidden} ${F} × ${names.hidden} ${C}`],
    [NTT * C, `${names.typeVocabSize} ${NTT} × ${names.hidden} ${C}`],
  ];
  for (const [n, what] of matrices) {
    if (n > MAX_TENSOR_FLOATS) throw new ModelError(`config.json: one weight matrix would be ${what} = ${n} values, over the ${MAX_TENSOR_FLOATS} a buffer can hold`);
  }
  const perLayer = 4 * C * C + 2 * C * F + 9 * C + F;
  const total = V * C + P * C + NTT * C + L * perLayer + 2 * V + 6 * C;
  if (total > MAX_MODEL_FLOATS) {
    const biggest = [[V * C, names.vocabSize], [P * C, names.maxPositions], [L * perLayer, `${names.layers}, ${names.hidden} and ${names.ffnHidden}`]].sort((a, b) => (b[0] as number) - (a[0] as number))[0][1];
    throw new ModelError(`config.json: these sizes need ${(total * 4 / 1024 ** 3).toFixed(1)} GiB of float32 weights, over the ${MAX_MODEL_FLOATS * 4 / 1024 ** 3} GiB budget (most of it from ${biggest})`);
  }
}

/** A one-line description, e.g. `gpt2 · 12 layers × 12 heads · 768 wide · 50257 tokens`. */
export function describeConfig(c: ModelConfig): string {
  return `${c.arch} · ${c.layers} layers × ${c.heads} heads · ${c.hidden} wide · ${c.vocabSize} tokens`;
}
