/**
 * ALBERT (`AlbertForMaskedLM`, Lan et al. 2019): BERT with two parameter savings —
 *   factorized embeddings: tokens, positions and types are E wide (embedding_size, e.g. 128),
 *     normalized, then projected to the hidden width C (embedding_hidden_mapping_in);
 *   cross-layer sharing: one layer's weights (albert_layer_groups.0.albert_layers.0) run
 *     num_hidden_layers times.
 * Layers are post-LN like BERT's; the MLM head maps C → E (predictions.dense, activation,
 * LayerNorm) and scores against the E-wide word embeddings (+ bias).
 * config.json: embedding_size, hidden_size, num_attention_heads, num_hidden_layers,
 * intermediate_size, hidden_act (gelu_new), layer_norm_eps, type_vocab_size,
 * max_position_embeddings, num_hidden_groups / inner_group_num (only 1 each).
 */
import type { ModelConfig } from '../config';
import { modelError } from '../modelError';
import { readStacked } from '../weightReader';
import type { LayerWeights } from '../weights';
import { activation, headWidth, int, num, POST_LN_ENCODER } from './configFields';
import { HIDDEN_SIZE_FIELDS, type ArchitectureModule } from './types';

export const albert: ArchitectureModule = {
  family: 'albert',
  modelTypes: ['albert'],
  classPrefixes: { Albert: 'albert' },
  fieldNames: HIDDEN_SIZE_FIELDS,
  weightPrefixes: ['albert.', ''],
  standardTokenizer: undefined,

  parseConfig(cfg, modelType): ModelConfig {
    const arch = modelType;
    for (const key of ['num_hidden_groups', 'inner_group_num']) {
      if (cfg[key] != null && cfg[key] !== 1) throw modelError`config.json (albert): "${key}" is ${JSON.stringify(cfg[key])}; only one shared layer group of one layer (1) is supported`;
    }
    const hidden = int(cfg, 'hidden_size', arch), heads = int(cfg, 'num_attention_heads', arch);
    return {
      ...POST_LN_ENCODER, arch, family: 'albert', vocabSize: int(cfg, 'vocab_size', arch), maxPositions: int(cfg, 'max_position_embeddings', arch, 512),
      hidden, heads, kvHeads: heads, headDim: headWidth(hidden, heads), layers: int(cfg, 'num_hidden_layers', arch), ffnHidden: int(cfg, 'intermediate_size', arch),
      activation: activation(cfg, 'hidden_act', 'gelu_new'), layerNormEps: num(cfg, 'layer_norm_eps', 1e-12),
      typeVocabSize: int(cfg, 'type_vocab_size', arch, 2), sinusoidalPositions: false, embeddingDim: int(cfg, 'embedding_size', arch, 128),
    };
  },

  loadWeights(r, cfg) {
    const { vocabSize: V, hidden: C, ffnHidden: F, maxPositions: P } = cfg;
    const E = cfg.embeddingDim!;
    const e = 'embeddings.';
    const tokEmb = r.read(`${e}word_embeddings.weight`, [V, E]);
    const p = 'encoder.albert_layer_groups.0.albert_layers.0.';
    const qkv = readStacked(r, [[`${p}attention.query`, C], [`${p}attention.key`, C], [`${p}attention.value`, C]], C, 'required');
    const shared: LayerWeights = {
      qkvW: qkv.w, qkvB: qkv.b,
      attnProjW: r.read(`${p}attention.dense.weight`, [C, C]), attnProjB: r.read(`${p}attention.dense.bias`, [C]),
      lnAttnW: r.read(`${p}attention.LayerNorm.weight`, [C]), lnAttnB: r.read(`${p}attention.LayerNorm.bias`, [C]),
      fcW: r.read(`${p}ffn.weight`, [F, C]), fcB: r.read(`${p}ffn.bias`, [F]),
      fcProjW: r.read(`${p}ffn_output.weight`, [C, F]), fcProjB: r.read(`${p}ffn_output.bias`, [C]),
      lnFfnW: r.read(`${p}full_layer_layer_norm.weight`, [C]), lnFfnB: r.read(`${p}full_layer_layer_norm.bias`, [C]),
    };
    const m = 'predictions.';
    const head = r.has(`${m}dense.weight`) ? {
      decoder: r.has(`${m}decoder.weight`) ? r.read(`${m}decoder.weight`, [V, E]) : tokEmb, tied: !r.has(`${m}decoder.weight`),
      bias: r.read(`${m}bias`, [V]),
      transformW: r.read(`${m}dense.weight`, [E, C]), transformB: r.read(`${m}dense.bias`, [E]),
      transformLnW: r.read(`${m}LayerNorm.weight`, [E]), transformLnB: r.read(`${m}LayerNorm.bias`, [E]),
    } : undefined;
    return {
      tokEmb, posEmb: r.read(`${e}position_embeddings.weight`, [P, E]), typeEmb: r.read(`${e}token_type_embeddings.weight`, [cfg.typeVocabSize, E]),
      embLnW: r.read(`${e}LayerNorm.weight`, [E]), embLnB: r.read(`${e}LayerNorm.bias`, [E]),
      embProjW: r.read('encoder.embedding_hidden_mapping_in.weight', [C, E]), embProjB: r.read('encoder.embedding_hidden_mapping_in.bias', [C]),
      layers: new Array<LayerWeights>(cfg.layers).fill(shared), head, floats: r.floats,
    };
  },
};
