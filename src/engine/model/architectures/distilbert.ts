/**
 * DistilBERT (`DistilBertForMaskedLM`): BERT's layers without token types, learned (or
 * stored sinusoidal) positions, post-LN, q_lin/k_lin/v_lin (stacked here); MLM head
 * vocab_transform → vocab_layer_norm → vocab_projector.
 * config.json: dim, n_heads, n_layers, hidden_dim, activation, sinusoidal_pos_embds,
 * max_position_embeddings (LayerNorm eps is fixed at 1e-12 in transformers).
 */
import type { LayerWeights, ModelWeights } from '../weights';
import { readStacked } from '../weightReader';
import { activation, headWidth, int, POST_LN_ENCODER } from './configFields';
import type { ArchitectureModule } from './types';

export const distilbert: ArchitectureModule = {
  family: 'distilbert',
  modelTypes: ['distilbert'],
  classPrefixes: { DistilBert: 'distilbert' },
  fieldNames: { vocabSize: 'vocab_size', maxPositions: 'max_position_embeddings', hidden: 'dim', layers: 'n_layers', ffnHidden: 'hidden_dim', typeVocabSize: 'type_vocab_size' },
  weightPrefixes: ['distilbert.', ''],
  standardTokenizer: { name: 'bert-base-uncased', size: 30522 },

  parseConfig(cfg) {
    const arch = 'distilbert';
    const hidden = int(cfg, 'dim', arch), heads = int(cfg, 'n_heads', arch);
    return {
      ...POST_LN_ENCODER, arch, family: 'distilbert', vocabSize: int(cfg, 'vocab_size', arch), maxPositions: int(cfg, 'max_position_embeddings', arch, 512),
      hidden, heads, kvHeads: heads, headDim: headWidth(hidden, heads), layers: int(cfg, 'n_layers', arch),
      ffnHidden: int(cfg, 'hidden_dim', arch), activation: activation(cfg, 'activation', 'gelu'),
      layerNormEps: 1e-12, typeVocabSize: 0, sinusoidalPositions: cfg.sinusoidal_pos_embds === true,
    };
  },

  loadWeights(r, cfg) {
    const { vocabSize: V, hidden: C, ffnHidden: F, maxPositions: P } = cfg;
    const e = 'embeddings.';
    const tokEmb = r.read(`${e}word_embeddings.weight`, [V, C]);
    const layers: LayerWeights[] = [];
    for (let l = 0; l < cfg.layers; l++) {
      const p = `transformer.layer.${l}.`;
      const qkv = readStacked(r, [[`${p}attention.q_lin`, C], [`${p}attention.k_lin`, C], [`${p}attention.v_lin`, C]], C, 'required');
      layers.push({
        qkvW: qkv.w, qkvB: qkv.b,
        attnProjW: r.read(`${p}attention.out_lin.weight`, [C, C]), attnProjB: r.read(`${p}attention.out_lin.bias`, [C]),
        lnAttnW: r.read(`${p}sa_layer_norm.weight`, [C]), lnAttnB: r.read(`${p}sa_layer_norm.bias`, [C]),
        fcW: r.read(`${p}ffn.lin1.weight`, [F, C]), fcB: r.read(`${p}ffn.lin1.bias`, [F]),
        fcProjW: r.read(`${p}ffn.lin2.weight`, [C, F]), fcProjB: r.read(`${p}ffn.lin2.bias`, [C]),
        lnFfnW: r.read(`${p}output_layer_norm.weight`, [C]), lnFfnB: r.read(`${p}output_layer_norm.bias`, [C]),
      });
    }
    let head: ModelWeights['head'];
    if (r.has('vocab_transform.weight')) {
      const own = r.has('vocab_projector.weight');
      head = {
        decoder: own ? r.read('vocab_projector.weight', [V, C]) : tokEmb, tied: !own,
        bias: r.read('vocab_projector.bias', [V]),
        transformW: r.read('vocab_transform.weight', [C, C]), transformB: r.read('vocab_transform.bias', [C]),
        transformLnW: r.read('vocab_layer_norm.weight', [C]), transformLnB: r.read('vocab_layer_norm.bias', [C]),
      };
    }
    return {
      tokEmb, posEmb: r.read(`${e}position_embeddings.weight`, [P, C]),
      embLnW: r.read(`${e}LayerNorm.weight`, [C]), embLnB: r.read(`${e}LayerNorm.bias`, [C]),
      layers, head, floats: r.floats,
    };
  },
};
