/**
 * BERT (`BertForMaskedLM`, `BertModel`): word + position + token-type embeddings with a
 * LayerNorm, post-LN LayerNorm layers, separate query/key/value (stacked here), GELU,
 * bidirectional; the MLM head `cls.predictions` (transform, LayerNorm, decoder tied to the
 * word embeddings, bias). RoBERTa (`roberta`) is the same encoder with positions offset by
 * pad_token_id + 1 (the table's first rows are never used for real tokens), one token type
 * and the head named lm_head.{dense, layer_norm, decoder, bias}.
 * config.json: hidden_size, num_attention_heads, num_hidden_layers, intermediate_size,
 * hidden_act, layer_norm_eps, type_vocab_size, max_position_embeddings.
 */
import { modelError } from '../modelError';
import type { LayerWeights, ModelWeights } from '../weights';
import { readStacked } from '../weightReader';
import { activation, headWidth, int, num, POST_LN_ENCODER } from './configFields';
import { HIDDEN_SIZE_FIELDS, type ArchitectureModule } from './types';

export const bert: ArchitectureModule = {
  family: 'bert',
  modelTypes: ['bert', 'roberta'],
  classPrefixes: { Bert: 'bert', Roberta: 'roberta' },
  fieldNames: HIDDEN_SIZE_FIELDS,
  weightPrefixes: ['bert.', 'roberta.', ''],
  standardTokenizer: { name: 'bert-base-uncased', size: 30522 },

  parseConfig(cfg, modelType) {
    const arch = modelType;
    const offset = arch === 'roberta' ? int(cfg, 'pad_token_id', arch, 1) + 1 : 0;
    const hidden = int(cfg, 'hidden_size', arch), heads = int(cfg, 'num_attention_heads', arch);
    const c = {
      ...POST_LN_ENCODER, arch, family: 'bert', vocabSize: int(cfg, 'vocab_size', arch), maxPositions: int(cfg, 'max_position_embeddings', arch, 512) - offset,
      hidden, heads, kvHeads: heads, headDim: headWidth(hidden, heads), layers: int(cfg, 'num_hidden_layers', arch),
      ffnHidden: int(cfg, 'intermediate_size', arch), activation: activation(cfg, 'hidden_act', 'gelu'),
      layerNormEps: num(cfg, 'layer_norm_eps', 1e-12), typeVocabSize: int(cfg, 'type_vocab_size', arch, 2),
      sinusoidalPositions: false, positionOffset: offset,
    };
    if (c.maxPositions < 1) throw modelError`config.json (${arch}): max_position_embeddings leaves no position after the offset pad_token_id + 1 = ${offset}`;
    if (cfg.position_embedding_type !== undefined && cfg.position_embedding_type !== 'absolute') {
      throw modelError`config.json: position_embedding_type "${String(cfg.position_embedding_type)}" is not supported (only "absolute")`;
    }
    return c;
  },

  loadWeights(r, cfg) {
    const { vocabSize: V, hidden: C, ffnHidden: F, maxPositions: P } = cfg;
    const e = 'embeddings.';
    const tokEmb = r.read(`${e}word_embeddings.weight`, [V, C]);
    const layers: LayerWeights[] = [];
    for (let l = 0; l < cfg.layers; l++) {
      const p = `encoder.layer.${l}.`;
      const qkv = readStacked(r, [[`${p}attention.self.query`, C], [`${p}attention.self.key`, C], [`${p}attention.self.value`, C]], C, 'required');
      layers.push({
        qkvW: qkv.w, qkvB: qkv.b,
        attnProjW: r.read(`${p}attention.output.dense.weight`, [C, C]), attnProjB: r.read(`${p}attention.output.dense.bias`, [C]),
        lnAttnW: r.read(`${p}attention.output.LayerNorm.weight`, [C]), lnAttnB: r.read(`${p}attention.output.LayerNorm.bias`, [C]),
        fcW: r.read(`${p}intermediate.dense.weight`, [F, C]), fcB: r.read(`${p}intermediate.dense.bias`, [F]),
        fcProjW: r.read(`${p}output.dense.weight`, [C, F]), fcProjB: r.read(`${p}output.dense.bias`, [C]),
        lnFfnW: r.read(`${p}output.LayerNorm.weight`, [C]), lnFfnB: r.read(`${p}output.LayerNorm.bias`, [C]),
      });
    }
    const m = 'cls.predictions.';
    let head: ModelWeights['head'];
    if (cfg.arch === 'roberta' && r.has('lm_head.dense.weight')) {
      const own = r.has('lm_head.decoder.weight');
      head = {
        decoder: own ? r.read('lm_head.decoder.weight', [V, C]) : tokEmb, tied: !own, bias: r.read('lm_head.bias', [V]),
        transformW: r.read('lm_head.dense.weight', [C, C]), transformB: r.read('lm_head.dense.bias', [C]),
        transformLnW: r.read('lm_head.layer_norm.weight', [C]), transformLnB: r.read('lm_head.layer_norm.bias', [C]),
      };
    } else if (r.has(`${m}transform.dense.weight`)) {
      const own = r.has(`${m}decoder.weight`);
      head = {
        decoder: own ? r.read(`${m}decoder.weight`, [V, C]) : tokEmb, tied: !own,
        bias: r.read(r.has(`${m}bias`) ? `${m}bias` : `${m}decoder.bias`, [V]),
        transformW: r.read(`${m}transform.dense.weight`, [C, C]), transformB: r.read(`${m}transform.dense.bias`, [C]),
        transformLnW: r.read(`${m}transform.LayerNorm.weight`, [C]), transformLnB: r.read(`${m}transform.LayerNorm.bias`, [C]),
      };
    }
    return {
      tokEmb, posEmb: r.read(`${e}position_embeddings.weight`, [P + (cfg.positionOffset ?? 0), C]),
      typeEmb: r.read(`${e}token_type_embeddings.weight`, [cfg.typeVocabSize, C]),
      embLnW: r.read(`${e}LayerNorm.weight`, [C]), embLnB: r.read(`${e}LayerNorm.bias`, [C]),
      layers, head, floats: r.floats,
    };
  },
};
