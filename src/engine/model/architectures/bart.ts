/**
 * BART-style encoder–decoders: BART (`bart`), mBART (`mbart`) and Marian (`marian`,
 * the opus-mt translators). One layer shape, three settings:
 *
 *   encoder layer (post-LN: BART, Marian)    decoder layer: the same, with cross attention
 *     x = LN(x + SelfAttn(x))                  x = LN(x + SelfAttn(x, causal))
 *     x = LN(x + FFN(x))                       x = LN(x + CrossAttn(q = x, k = v = encoder output))
 *                                              x = LN(x + FFN(x))
 *   mBART is pre-LN (x = x + F(LN(x))) with a final layer_norm per stack.
 *
 *   embeddings = tok[ids] × (√d_model if scale_embedding) + pos
 *     BART/mBART: learned positions offset by 2, then layernorm_embedding
 *     Marian: a fixed sinusoidal table in Marian's layout (first half sin, second half cos)
 *   logits = shared · h + final_logits_bias      (the head tied to the shared embeddings)
 * q is scaled by head_dim^−½ as in "Attention Is All You Need". Activations: gelu (BART),
 * swish = SiLU (Marian). config.json: d_model, encoder_/decoder_layers, _attention_heads,
 * _ffn_dim, activation_function, max_position_embeddings, scale_embedding,
 * decoder_start_token_id, vocab_size.
 */
import type { ModelConfig } from '../config';
import { modelError } from '../modelError';
import { readStacked, type WeightReader } from '../weightReader';
import type { LayerWeights, StackWeights } from '../weights';
import { activation, bool, int, type ConfigJson } from './configFields';
import type { ArchitectureModule } from './types';

const ACTS = ['gelu', 'relu', 'swish', 'silu', 'gelu_new'];

function stack(cfg: ConfigJson, arch: string, side: 'encoder' | 'decoder', base: Omit<ModelConfig, 'layers' | 'heads' | 'kvHeads' | 'headDim' | 'ffnHidden' | 'causal'>): ModelConfig {
  const heads = int(cfg, `${side}_attention_heads`, arch);
  if (base.hidden % heads !== 0) throw modelError`config.json (${arch}): d_model ${base.hidden} is not divisible by ${side}_attention_heads ${heads}`;
  return {
    ...base, layers: int(cfg, `${side}_layers`, arch), heads, kvHeads: heads, headDim: base.hidden / heads,
    ffnHidden: int(cfg, `${side}_ffn_dim`, arch), causal: side === 'decoder',
  };
}

function parseBartConfig(cfg: ConfigJson, modelType: string): ModelConfig {
  const arch = modelType;
  const hidden = int(cfg, 'd_model', arch);
  const marian = modelType === 'marian';
  if (marian && cfg.share_encoder_decoder_embeddings === false) throw modelError`config.json (marian): separate source and target embeddings (share_encoder_decoder_embeddings: false) are not supported`;
  const vocabSize = int(cfg, 'vocab_size', arch);
  if (marian && cfg.decoder_vocab_size != null && cfg.decoder_vocab_size !== vocabSize) throw modelError`config.json (marian): decoder_vocab_size ${JSON.stringify(cfg.decoder_vocab_size)} differs from vocab_size ${vocabSize}; only a shared vocabulary is supported`;
  const base = {
    arch, family: 'bart', head: 'seq2seq' as const, vocabSize, maxPositions: int(cfg, 'max_position_embeddings', arch, 1024), hidden,
    activation: activation(cfg, 'activation_function', 'gelu', ACTS), ffn: 'mlp' as const, normKind: 'layernorm' as const, layerNormEps: 1e-5,
    norm: modelType === 'mbart' ? 'pre' as const : 'post' as const, positions: 'table' as const, slidingWindows: [], qkNorm: false,
    embeddingScale: bool(cfg, 'scale_embedding', false) ? Math.sqrt(hidden) : 1, normOffset: 0, sandwichNorm: false,
    typeVocabSize: 0, sinusoidalPositions: marian, scaleByInverseLayer: false, tiedEmbeddings: bool(cfg, 'tie_word_embeddings', true),
    positionOffset: marian ? 0 : 2,
  };
  const encoder = stack(cfg, arch, 'encoder', base);
  const decoder = stack(cfg, arch, 'decoder', base);
  return { ...encoder, decoder, decoderStartId: typeof cfg.decoder_start_token_id === 'number' && Number.isSafeInteger(cfg.decoder_start_token_id) && cfg.decoder_start_token_id >= 0 ? cfg.decoder_start_token_id : 2, causal: false };
}

/** Marian's fixed table: row p, column j < d/2: sin(p / 10000^(2j/d)); j ≥ d/2: cos(p / 10000^(2(j − d/2)/d)). */
export function marianSinusoids(rows: number, d: number): Float32Array {
  const out = new Float32Array(rows * d);
  const half = Math.ceil(d / 2);
  for (let p = 0; p < rows; p++) {
    for (let j = 0; j < d; j += 2) out[p * d + j / 2] = Math.sin(p / 10000 ** (j / d));
    for (let j = 1; j < d; j += 2) out[p * d + half + (j - 1) / 2] = Math.cos(p / 10000 ** ((j - 1) / d));
  }
  return out;
}

function loadStack(r: WeightReader, cfg: ModelConfig, side: 'encoder' | 'decoder', tokEmb: Float32Array): StackWeights {
  const C = cfg.hidden, F = cfg.ffnHidden, QD = cfg.heads * cfg.headDim, KD = cfg.kvHeads * cfg.headDim;
  const s = `${side}.`;
  const layers: LayerWeights[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `${s}layers.${l}.`;
    const a = `${p}self_attn.`;
    const qkv = readStacked(r, [[`${a}q_proj`, QD], [`${a}k_proj`, KD], [`${a}v_proj`, KD]], C, 'required');
    const lw: LayerWeights = {
      qkvW: qkv.w, qkvB: qkv.b, attnProjW: r.read(`${a}out_proj.weight`, [C, QD]), attnProjB: r.read(`${a}out_proj.bias`, [C]),
      lnAttnW: r.read(`${p}self_attn_layer_norm.weight`, [C]), lnAttnB: r.read(`${p}self_attn_layer_norm.bias`, [C]),
      fcW: r.read(`${p}fc1.weight`, [F, C]), fcB: r.read(`${p}fc1.bias`, [F]),
      fcProjW: r.read(`${p}fc2.weight`, [C, F]), fcProjB: r.read(`${p}fc2.bias`, [C]),
      lnFfnW: r.read(`${p}final_layer_norm.weight`, [C]), lnFfnB: r.read(`${p}final_layer_norm.bias`, [C]),
    };
    if (side === 'decoder') {
      const x = `${p}encoder_attn.`;
      const kv = readStacked(r, [[`${x}k_proj`, KD], [`${x}v_proj`, KD]], C, 'required');
      lw.cross = {
        lnW: r.read(`${p}encoder_attn_layer_norm.weight`, [C]), lnB: r.read(`${p}encoder_attn_layer_norm.bias`, [C]),
        qW: r.read(`${x}q_proj.weight`, [QD, C]), qB: r.read(`${x}q_proj.bias`, [QD]), kvW: kv.w, kvB: kv.b,
        projW: r.read(`${x}out_proj.weight`, [C, QD]), projB: r.read(`${x}out_proj.bias`, [C]),
      };
    }
    layers.push(lw);
  }
  const rows = (cfg.positionOffset ?? 0) + cfg.maxPositions;
  const w: StackWeights = {
    tokEmb, layers,
    posEmb: cfg.arch === 'marian' ? r.countedCopy(marianSinusoids(rows, C)) : r.read(`${s}embed_positions.weight`, [rows, C]),
  };
  if (cfg.arch !== 'marian') {
    w.embLnW = r.read(`${s}layernorm_embedding.weight`, [C]);
    w.embLnB = r.read(`${s}layernorm_embedding.bias`, [C]);
  }
  if (cfg.norm === 'pre') {
    w.finalLnW = r.read(`${s}layer_norm.weight`, [C]);
    w.finalLnB = r.read(`${s}layer_norm.bias`, [C]);
  }
  return w;
}

export const bart: ArchitectureModule = {
  family: 'bart',
  modelTypes: ['bart', 'mbart', 'marian'],
  classPrefixes: { Bart: 'bart', MBart: 'mbart', Marian: 'marian' },
  fieldNames: { vocabSize: 'vocab_size', maxPositions: 'max_position_embeddings', hidden: 'd_model', layers: 'encoder_layers', ffnHidden: 'encoder_ffn_dim', typeVocabSize: 'type_vocab_size' },
  weightPrefixes: ['model.', ''],
  parseConfig: parseBartConfig,
  computedFloats: (cfg) => (cfg.arch === 'marian' ? 2 * ((cfg.positionOffset ?? 0) + cfg.maxPositions) * cfg.hidden : 0),

  loadWeights(r, cfg) {
    const V = cfg.vocabSize, C = cfg.hidden;
    const shared = r.read(r.has('shared.weight') ? 'shared.weight' : 'encoder.embed_tokens.weight', [V, C]);
    const encoder = loadStack(r, cfg, 'encoder', shared);
    const decoder = loadStack(r, cfg.decoder!, 'decoder', shared);
    const own = !cfg.tiedEmbeddings && r.has('lm_head.weight');
    return {
      ...encoder, decoder,
      head: { decoder: own ? r.read('lm_head.weight', [V, C]) : shared, tied: !own, bias: r.has('final_logits_bias') ? r.read('final_logits_bias', [1, V]) : undefined },
      floats: r.floats,
    };
  },
};
