/**
 * T5 (`T5ForConditionalGeneration`; T5 v1.1 and FLAN-T5 with gated-GELU): an
 * encoder–decoder with no position vectors at all. Instead each stack's first layer owns a
 * relative position bias (relativePosition.ts; bidirectional buckets in the encoder,
 * causal in the decoder) that every layer adds to its scores, and the scores are *not*
 * divided by √d_k (the initialization absorbs it).
 *
 *   encoder layer: x = x + SelfAttn(RMS(x));  x = x + FFN(RMS(x))
 *   decoder layer: x = x + SelfAttn(RMS(x), causal);  x = x + CrossAttn(RMS(x), encoder);  x = x + FFN(RMS(x))
 *   FFN relu: wo · relu(wi · x);  gated-gelu: wo · (gelu_new(wi_0 · x) ⊙ wi_1 · x)
 *   logits = shared · (h × d_model^−½) with the tied head, lm_head · h untied
 * T5's LayerNorm is an RMSNorm (no mean, no bias). config.json: d_model, d_kv, d_ff,
 * num_layers, num_decoder_layers, num_heads, relative_attention_num_buckets,
 * relative_attention_max_distance, feed_forward_proj, layer_norm_epsilon,
 * tie_word_embeddings, decoder_start_token_id, vocab_size.
 */
import type { ModelConfig } from '../config';
import { modelError } from '../modelError';
import { readStacked, type WeightReader } from '../weightReader';
import type { LayerWeights, StackWeights } from '../weights';
import { activation, bool, int, num, type ConfigJson } from './configFields';
import type { ArchitectureModule } from './types';

/** A token id field (0 allowed), or `fallback` when absent. */
function tokenId(cfg: ConfigJson, key: string, fallback: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw modelError`config.json (t5): "${key}" must be a token id (an integer ≥ 0), got ${JSON.stringify(cfg[key])}`;
  return v;
}

function parseT5Config(cfg: ConfigJson, modelType: string): ModelConfig {
  const arch = modelType;
  const proj = cfg.feed_forward_proj ?? 'relu';
  if (proj !== 'relu' && proj !== 'gated-gelu') throw modelError`config.json (t5): feed_forward_proj ${JSON.stringify(proj)} is not supported (supported: relu, gated-gelu)`;
  const gated = proj === 'gated-gelu';
  const hidden = int(cfg, 'd_model', arch), heads = int(cfg, 'num_heads', arch), headDim = int(cfg, 'd_kv', arch);
  const layers = int(cfg, 'num_layers', arch);
  const tied = bool(cfg, 'tie_word_embeddings', true);
  const rel = { buckets: int(cfg, 'relative_attention_num_buckets', arch, 32), maxDistance: int(cfg, 'relative_attention_max_distance', arch, 128) };
  const base: ModelConfig = {
    arch, family: 't5', head: 'seq2seq', vocabSize: int(cfg, 'vocab_size', arch), maxPositions: int(cfg, 'n_positions', arch, 1024), hidden,
    heads, kvHeads: heads, headDim, layers, ffnHidden: int(cfg, 'd_ff', arch), ffn: gated ? 'gated' : 'mlp',
    activation: gated ? activation({ a: cfg.dense_act_fn ?? 'gelu_new' }, 'a', 'gelu_new') : 'relu',
    normKind: 'rmsnorm', layerNormEps: num(cfg, 'layer_norm_epsilon', 1e-6), norm: 'pre', positions: 'relative', slidingWindows: [],
    qkNorm: false, embeddingScale: 1, normOffset: 0, sandwichNorm: false, attnScale: 1, typeVocabSize: 0, sinusoidalPositions: false,
    scaleByInverseLayer: false, causal: false, tiedEmbeddings: tied, relativeAttention: { ...rel, bidirectional: true },
    t5ScaleOutputs: bool(cfg, 'scale_decoder_outputs', tied),
  };
  return {
    ...base,
    decoder: { ...base, layers: int(cfg, 'num_decoder_layers', arch, layers), causal: true, relativeAttention: { ...rel, bidirectional: false } },
    decoderStartId: tokenId(cfg, 'decoder_start_token_id', 0),
  };
}

function loadStack(r: WeightReader, cfg: ModelConfig, side: 'encoder' | 'decoder', tokEmb: Float32Array): StackWeights {
  const C = cfg.hidden, F = cfg.ffnHidden, QD = cfg.heads * cfg.headDim;
  const layers: LayerWeights[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `${side}.block.${l}.layer.`;
    const a = `${p}0.SelfAttention.`;
    const qkv = readStacked(r, [[`${a}q`, QD], [`${a}k`, QD], [`${a}v`, QD]], C, 'none');
    const f = `${p}${side === 'decoder' ? 2 : 1}.`;
    const lw: LayerWeights = {
      lnAttnW: r.read(`${p}0.layer_norm.weight`, [C]), qkvW: qkv.w, attnProjW: r.read(`${a}o.weight`, [C, QD]),
      lnFfnW: r.read(`${f}layer_norm.weight`, [C]),
      fcW: r.read(`${f}DenseReluDense.${cfg.ffn === 'gated' ? 'wi_0' : 'wi'}.weight`, [F, C]),
      upW: cfg.ffn === 'gated' ? r.read(`${f}DenseReluDense.wi_1.weight`, [F, C]) : undefined,
      fcProjW: r.read(`${f}DenseReluDense.wo.weight`, [C, F]),
    };
    if (side === 'decoder') {
      const x = `${p}1.EncDecAttention.`;
      const kv = readStacked(r, [[`${x}k`, QD], [`${x}v`, QD]], C, 'none');
      lw.cross = { lnW: r.read(`${p}1.layer_norm.weight`, [C]), qW: r.read(`${x}q.weight`, [QD, C]), kvW: kv.w, projW: r.read(`${x}o.weight`, [C, QD]) };
    }
    layers.push(lw);
  }
  const rel = cfg.relativeAttention!;
  return {
    tokEmb, layers, finalLnW: r.read(`${side}.final_layer_norm.weight`, [C]),
    relBias: r.read(`${side}.block.0.layer.0.SelfAttention.relative_attention_bias.weight`, [rel.buckets, cfg.heads]),
  };
}

export const t5: ArchitectureModule = {
  family: 't5',
  modelTypes: ['t5'],
  classPrefixes: { T5: 't5' },
  fieldNames: { vocabSize: 'vocab_size', maxPositions: 'n_positions', hidden: 'd_model', layers: 'num_layers', ffnHidden: 'd_ff', typeVocabSize: 'type_vocab_size' },
  weightPrefixes: [''],
  parseConfig: parseT5Config,

  loadWeights(r, cfg) {
    const V = cfg.vocabSize, C = cfg.hidden;
    const shared = r.read('shared.weight', [V, C]);
    const encoder = loadStack(r, cfg, 'encoder', shared);
    const decoder = loadStack(r, cfg.decoder!, 'decoder', shared);
    const scaleOutputs = cfg.t5ScaleOutputs ?? cfg.tiedEmbeddings; // transformers: scale_decoder_outputs, by default tie_word_embeddings
    let head = shared;
    if (!cfg.tiedEmbeddings) {
      if (!r.has('lm_head.weight')) throw modelError`the checkpoint has no lm_head.weight, and config.json says tie_word_embeddings: false`;
      head = r.read('lm_head.weight', [V, C]);
    }
    return { ...encoder, decoder, head: { decoder: head, tied: cfg.tiedEmbeddings, ...(scaleOutputs ? { inputScale: C ** -0.5 } : {}) }, floats: r.floats };
  },
};
