/**
 * Gemma 3's text decoder (`Gemma3ForCausalLM`, model_type `gemma3_text`): the Llama block
 * with Gemma's changes:
 *   - RMSNorm multiplies by (1 + w) (weights stored around 0), q/k norm too;
 *   - embeddings × √hidden (rounded to float32, as transformers' embed_scale);
 *   - GeGLU: gelu_pytorch_tanh on the gate;
 *   - scores × query_pre_attn_scalar^−½ instead of 1/√head_dim;
 *   - sandwich norms: post_attention_layernorm over the attention output and
 *     post_feedforward_layernorm over the FFN output, before each residual add
 *     (pre_feedforward_layernorm is the FFN's input norm);
 *   - `layer_types` alternate sliding_attention (window `sliding_window`, RoPE θ
 *     rope_local_base_freq or rope_parameters.sliding_attention) and full_attention (its own θ
 *     and scaling); the head is tied to the embeddings.
 * Logit soft-capping (Gemma 2's attn/final_logit_softcapping) is refused by name.
 */
import type { ModelConfig } from '../config';
import { modelError } from '../modelError';
import { parseRope } from '../rope';
import type { LayerWeights } from '../weights';
import { GATE_ACTIVATIONS, activation, int, num, type ConfigJson } from './configFields';
import { readStackedQkv, slidingWindows } from './llama';
import { HIDDEN_SIZE_FIELDS, type ArchitectureModule } from './types';

function parseGemma3Config(cfg: ConfigJson, modelType: string): ModelConfig {
  const arch = modelType;
  for (const key of ['attn_logit_softcapping', 'final_logit_softcapping']) {
    if (cfg[key] != null) throw modelError`config.json (${arch}): "${key}" is ${JSON.stringify(cfg[key])}; logit soft-capping is not supported`;
  }
  if (cfg.use_bidirectional_attention === true) throw modelError`config.json (${arch}): use_bidirectional_attention (an embedding model) is not supported; only the causal decoder is`;
  const hidden = int(cfg, 'hidden_size', arch);
  const heads = int(cfg, 'num_attention_heads', arch);
  const kvHeads = int(cfg, 'num_key_value_heads', arch, heads);
  if (heads % kvHeads !== 0) throw modelError`config.json (${arch}): num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads} (each KV head must serve the same number of query heads)`;
  const headDim = int(cfg, 'head_dim', arch, 256);
  const layers = int(cfg, 'num_hidden_layers', arch);
  const maxPositions = int(cfg, 'max_position_embeddings', arch, 131072);
  const nested = cfg.rope_parameters && typeof cfg.rope_parameters === 'object' && 'sliding_attention' in (cfg.rope_parameters as object);
  const ropeSliding = nested
    ? parseRope(cfg, headDim, maxPositions, 'sliding_attention')
    : parseRope({ rope_theta: num(cfg, 'rope_local_base_freq', 10000) }, headDim, maxPositions);
  return {
    arch, family: 'gemma3', head: 'causal-lm', vocabSize: int(cfg, 'vocab_size', arch), maxPositions, hidden,
    heads, kvHeads, headDim, layers, ffnHidden: int(cfg, 'intermediate_size', arch), ffn: 'gated',
    activation: activation(cfg, 'hidden_activation', 'gelu_pytorch_tanh', GATE_ACTIVATIONS), normKind: 'rmsnorm', layerNormEps: num(cfg, 'rms_norm_eps', 1e-6),
    norm: 'pre', positions: 'rope', rope: parseRope(cfg, headDim, maxPositions, 'full_attention'), ropeSliding,
    slidingWindows: slidingWindows(cfg, arch, layers), qkNorm: true, embeddingScale: Math.fround(Math.sqrt(hidden)),
    normOffset: 1, sandwichNorm: true, attnScale: int(cfg, 'query_pre_attn_scalar', arch, headDim) ** -0.5,
    typeVocabSize: 0, sinusoidalPositions: false, scaleByInverseLayer: false, causal: true, tiedEmbeddings: true,
  };
}

export const gemma3: ArchitectureModule = {
  family: 'gemma3',
  modelTypes: ['gemma3_text'],
  classPrefixes: { Gemma3: 'gemma3_text' },
  fieldNames: HIDDEN_SIZE_FIELDS,
  weightPrefixes: ['model.', ''],
  parseConfig: parseGemma3Config,

  loadWeights(r, cfg) {
    const { vocabSize: V, hidden: C, ffnHidden: F, headDim: HD } = cfg;
    const QD = cfg.heads * HD;
    const tokEmb = r.read('embed_tokens.weight', [V, C]);
    const layers: LayerWeights[] = [];
    for (let l = 0; l < cfg.layers; l++) {
      const p = `layers.${l}.`;
      const a = `${p}self_attn.`;
      const qkv = readStackedQkv(r, a, cfg, false);
      layers.push({
        lnAttnW: r.read(`${p}input_layernorm.weight`, [C]),
        qkvW: qkv.w, qkvB: qkv.b, qNormW: r.read(`${a}q_norm.weight`, [HD]), kNormW: r.read(`${a}k_norm.weight`, [HD]),
        attnProjW: r.read(`${a}o_proj.weight`, [C, QD]), postAttnNormW: r.read(`${p}post_attention_layernorm.weight`, [C]),
        lnFfnW: r.read(`${p}pre_feedforward_layernorm.weight`, [C]),
        fcW: r.read(`${p}mlp.gate_proj.weight`, [F, C]), upW: r.read(`${p}mlp.up_proj.weight`, [F, C]),
        fcProjW: r.read(`${p}mlp.down_proj.weight`, [C, F]), postFfnNormW: r.read(`${p}post_feedforward_layernorm.weight`, [C]),
      });
    }
    return { tokEmb, layers, finalLnW: r.read('norm.weight', [C]), head: { decoder: tokEmb, tied: true }, floats: r.floats };
  },
};
