/**
 * The Llama family of decoders: Llama 2/3 (and what is saved as `llama`: SmolLM2,
 * TinyLlama), Mistral, Qwen2/Qwen2.5, Qwen3. One block shape:
 *
 *   x = embed_tokens[ids]                                   (no position table: RoPE)
 *   per layer:
 *     a = RMSNorm₁(x)                                       (input_layernorm)
 *     q, k, v = a·W_qᵀ (+b), a·W_kᵀ (+b), a·W_vᵀ (+b)        (NH query heads, NKV ≤ NH KV heads: GQA)
 *     q, k = RMSNorm per head (Qwen3 q_norm / k_norm), then RoPE
 *     r = x + attention(q, k, v, causal (+ sliding window)) · W_oᵀ
 *     x = r + W_down·(silu(W_gate·RMSNorm₂(r)) ⊙ W_up·RMSNorm₂(r))   (SwiGLU)
 *   hidden = RMSNorm_f(x)                                   (model.norm)
 *   logits = lm_head · hidden                               (or embed_tokens when tied)
 *
 * Differences by model_type: Qwen2 always has q/k/v biases; Llama has them (and o_proj's)
 * when `attention_bias`; Qwen3 adds q/k RMSNorm; Mistral has a `sliding_window`; Qwen2/3
 * slide only where `layer_types` (or use_sliding_window + max_window_layers) says.
 * config.json: hidden_size, num_attention_heads, num_key_value_heads, head_dim,
 * num_hidden_layers, intermediate_size, hidden_act, rms_norm_eps, max_position_embeddings,
 * rope_parameters | rope_theta + rope_scaling, tie_word_embeddings, vocab_size.
 */
import type { ModelConfig } from '../config';
import { modelError } from '../modelError';
import { parseRope } from '../rope';
import type { LayerWeights } from '../weights';
import { readStacked, type WeightReader } from '../weightReader';
import { GATE_ACTIVATIONS, activation, bool, int, num, type ConfigJson } from './configFields';
import { HIDDEN_SIZE_FIELDS, type ArchitectureModule } from './types';

export function slidingWindows(cfg: ConfigJson, modelType: string, L: number): number[] {
  const window = (): number => {
    const w = cfg.sliding_window;
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w <= 0) throw modelError`config.json (${modelType}): sliding layers need a positive integer "sliding_window", got ${JSON.stringify(w)}`;
    return w;
  };
  const types = cfg.layer_types;
  if (Array.isArray(types)) {
    if (types.length !== L) throw modelError`config.json (${modelType}): "layer_types" lists ${types.length} layers for num_hidden_layers ${L}`;
    return types.map((t, i) => {
      if (t === 'full_attention') return 0;
      if (t === 'sliding_attention') return window();
      throw modelError`config.json (${modelType}): layer_types[${i}] is ${JSON.stringify(t)} (supported: full_attention, sliding_attention)`;
    });
  }
  if (modelType === 'mistral') return cfg.sliding_window == null ? new Array<number>(L).fill(0) : new Array<number>(L).fill(window());
  if ((modelType === 'qwen2' || modelType === 'qwen3') && cfg.use_sliding_window === true && cfg.sliding_window != null) {
    const from = int(cfg, 'max_window_layers', modelType, 28);
    return Array.from({ length: L }, (_, i) => (i >= from ? window() : 0));
  }
  return new Array<number>(L).fill(0);
}

function parseLlamaConfig(cfg: ConfigJson, modelType: string): ModelConfig {
  const arch = modelType;
  const hidden = int(cfg, 'hidden_size', arch);
  const heads = int(cfg, 'num_attention_heads', arch);
  const kvHeads = int(cfg, 'num_key_value_heads', arch, heads);
  if (heads % kvHeads !== 0) throw modelError`config.json (${arch}): num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads} (each KV head must serve the same number of query heads)`;
  if (cfg.head_dim == null && hidden % heads !== 0) throw modelError`config.json (${arch}): the width ${hidden} is not divisible by the ${heads} heads, and no "head_dim" is given`;
  const headDim = cfg.head_dim == null ? hidden / heads : int(cfg, 'head_dim', arch);
  const layers = int(cfg, 'num_hidden_layers', arch);
  const trainedPositions = int(cfg, 'max_position_embeddings', arch, 2048);
  const rope = parseRope(cfg, headDim, trainedPositions);
  // Dynamic NTK RoPE exists to read past the trained length (θ grows with T, rope.ts); the
  // engine lets it run to max_position_embeddings × factor, the length its name promises.
  const maxPositions = rope.type === 'dynamic' ? Math.max(trainedPositions, Math.floor(trainedPositions * rope.factor!)) : trainedPositions;
  return {
    arch, family: 'llama', head: 'causal-lm', vocabSize: int(cfg, 'vocab_size', arch), maxPositions, hidden,
    heads, kvHeads, headDim, layers, ffnHidden: int(cfg, 'intermediate_size', arch), ffn: 'gated',
    activation: activation(cfg, 'hidden_act', 'silu', GATE_ACTIVATIONS), normKind: 'rmsnorm', layerNormEps: num(cfg, 'rms_norm_eps', 1e-6),
    norm: 'pre', positions: 'rope', rope, slidingWindows: slidingWindows(cfg, arch, layers),
    qkNorm: modelType === 'qwen3', embeddingScale: 1, normOffset: 0, sandwichNorm: false, typeVocabSize: 0, sinusoidalPositions: false, scaleByInverseLayer: false,
    causal: true, tiedEmbeddings: bool(cfg, 'tie_word_embeddings', false),
  };
}

/** q, k and v projections stacked into [(NH + 2·NKV)·HD, C], their biases likewise (when the checkpoint has them). */
export function readStackedQkv(r: WeightReader, p: string, cfg: ModelConfig, biasRequired: boolean): { w: Float32Array; b?: Float32Array } {
  const QD = cfg.heads * cfg.headDim, KD = cfg.kvHeads * cfg.headDim;
  // Checked before the stacked buffer is allocated, naming the config fields behind each row count.
  const fields = (heads: string, n: number) => `${heads} ${n} × head_dim ${cfg.headDim}`;
  for (const [name, rows, why] of [[`${p}q_proj`, QD, fields('num_attention_heads', cfg.heads)], [`${p}k_proj`, KD, fields('num_key_value_heads', cfg.kvHeads)], [`${p}v_proj`, KD, fields('num_key_value_heads', cfg.kvHeads)]] as const) {
    const shape = r.shape(`${name}.weight`);
    if (shape && (shape.length !== 2 || shape[0] !== rows || shape[1] !== cfg.hidden)) {
      throw modelError`tensor ${r.resolve(`${name}.weight`)} has shape [${shape.join(', ')}], but config.json implies [${rows}, ${cfg.hidden}] (${why} rows, hidden_size ${cfg.hidden} columns)`;
    }
  }
  return readStacked(r, [[`${p}q_proj`, QD], [`${p}k_proj`, KD], [`${p}v_proj`, KD]], cfg.hidden, biasRequired ? 'required' : 'optional');
}

export const llama: ArchitectureModule = {
  family: 'llama',
  modelTypes: ['llama', 'mistral', 'qwen2', 'qwen3'],
  classPrefixes: { Llama: 'llama', Mistral: 'mistral', Qwen2: 'qwen2', Qwen3: 'qwen3' },
  fieldNames: HIDDEN_SIZE_FIELDS,
  weightPrefixes: ['model.', ''],
  parseConfig: parseLlamaConfig,

  loadWeights(r, cfg) {
    const { vocabSize: V, hidden: C, ffnHidden: F, headDim: HD } = cfg;
    const QD = cfg.heads * HD;
    const tokEmb = r.read('embed_tokens.weight', [V, C]);
    const layers: LayerWeights[] = [];
    for (let l = 0; l < cfg.layers; l++) {
      const p = `layers.${l}.`;
      const a = `${p}self_attn.`;
      const qkv = readStackedQkv(r, a, cfg, cfg.arch === 'qwen2');
      const lw: LayerWeights = {
        lnAttnW: r.read(`${p}input_layernorm.weight`, [C]),
        qkvW: qkv.w, qkvB: qkv.b,
        attnProjW: r.read(`${a}o_proj.weight`, [C, QD]), attnProjB: r.maybe(`${a}o_proj.bias`, [C]),
        lnFfnW: r.read(`${p}post_attention_layernorm.weight`, [C]),
        fcW: r.read(`${p}mlp.gate_proj.weight`, [F, C]), fcB: r.maybe(`${p}mlp.gate_proj.bias`, [F]),
        upW: r.read(`${p}mlp.up_proj.weight`, [F, C]), upB: r.maybe(`${p}mlp.up_proj.bias`, [F]),
        fcProjW: r.read(`${p}mlp.down_proj.weight`, [C, F]), fcProjB: r.maybe(`${p}mlp.down_proj.bias`, [C]),
      };
      if (cfg.qkNorm) {
        for (const n of ['q_norm', 'k_norm']) {
          if (!r.has(`${a}${n}.weight`)) throw modelError`the checkpoint has no ${a}${n}.weight: config.json says model_type "${cfg.arch}", which normalizes each head's q and k (q_norm, k_norm) before RoPE`;
        }
        lw.qNormW = r.read(`${a}q_norm.weight`, [HD]);
        lw.kNormW = r.read(`${a}k_norm.weight`, [HD]);
      }
      layers.push(lw);
    }
    const finalLnW = r.read('norm.weight', [C]);
    let decoder = tokEmb;
    if (!cfg.tiedEmbeddings) {
      if (!r.has('lm_head.weight')) throw modelError`the checkpoint has no lm_head.weight, and config.json says tie_word_embeddings: false (the head is not the input embeddings)`;
      decoder = r.read('lm_head.weight', [V, C]);
    }
    return { tokEmb, layers, finalLnW, head: { decoder, tied: cfg.tiedEmbeddings }, floats: r.floats };
  },
};
