/**
 * GPT-2 (`GPT2LMHeadModel`): learned positions, pre-LN LayerNorm, fused c_attn (Conv1D,
 * stored [in, out]), gelu_new MLP, causal, LM head tied to wte.
 * config.json: n_embd, n_head, n_layer, n_positions, n_inner (null → 4·n_embd),
 * activation_function, layer_norm_epsilon, vocab_size.
 */
import { modelError } from '../modelError';
import type { LayerWeights } from '../weights';
import { activation, headWidth, int, num } from './configFields';
import type { ArchitectureModule } from './types';

export const gpt2: ArchitectureModule = {
  family: 'gpt2',
  modelTypes: ['gpt2'],
  classPrefixes: { GPT2: 'gpt2' },
  fieldNames: { vocabSize: 'vocab_size', maxPositions: 'n_positions', hidden: 'n_embd', layers: 'n_layer', ffnHidden: 'n_inner', typeVocabSize: 'type_vocab_size' },
  weightPrefixes: ['transformer.', ''],
  standardTokenizer: { name: 'gpt2', size: 50257 },

  parseConfig(cfg) {
    const arch = 'gpt2';
    const hidden = int(cfg, 'n_embd', arch);
    const heads = int(cfg, 'n_head', arch);
    const headDim = headWidth(hidden, heads);
    if (cfg.scale_attn_weights === false) throw modelError`config.json: scale_attn_weights=false (attention without ÷√d_k) is not supported`;
    return {
      arch, family: 'gpt2', head: 'causal-lm', vocabSize: int(cfg, 'vocab_size', arch), maxPositions: int(cfg, 'n_positions', arch), hidden,
      heads, kvHeads: heads, headDim, layers: int(cfg, 'n_layer', arch),
      ffnHidden: cfg.n_inner == null ? 4 * hidden : int(cfg, 'n_inner', arch), ffn: 'mlp',
      activation: activation(cfg, 'activation_function', 'gelu_new'), normKind: 'layernorm', layerNormEps: num(cfg, 'layer_norm_epsilon', 1e-5),
      norm: 'pre', positions: 'table', slidingWindows: [], qkNorm: false, embeddingScale: 1, normOffset: 0, sandwichNorm: false,
      typeVocabSize: 0, sinusoidalPositions: false, scaleByInverseLayer: cfg.scale_attn_by_inverse_layer_idx === true,
      causal: true, tiedEmbeddings: true,
    };
  },

  loadWeights(r, cfg) {
    const { vocabSize: V, hidden: C, ffnHidden: F, maxPositions: P } = cfg;
    const tokEmb = r.read('wte.weight', [V, C]);
    const layers: LayerWeights[] = [];
    for (let l = 0; l < cfg.layers; l++) {
      const p = `h.${l}.`;
      layers.push({
        lnAttnW: r.read(`${p}ln_1.weight`, [C]), lnAttnB: r.read(`${p}ln_1.bias`, [C]),
        qkvW: r.readTransposed(`${p}attn.c_attn.weight`, C, 3 * C), qkvB: r.read(`${p}attn.c_attn.bias`, [3 * C]),
        attnProjW: r.readTransposed(`${p}attn.c_proj.weight`, C, C), attnProjB: r.read(`${p}attn.c_proj.bias`, [C]),
        lnFfnW: r.read(`${p}ln_2.weight`, [C]), lnFfnB: r.read(`${p}ln_2.bias`, [C]),
        fcW: r.readTransposed(`${p}mlp.c_fc.weight`, C, F), fcB: r.read(`${p}mlp.c_fc.bias`, [F]),
        fcProjW: r.readTransposed(`${p}mlp.c_proj.weight`, F, C), fcProjB: r.read(`${p}mlp.c_proj.bias`, [C]),
      });
    }
    const own = r.has('lm_head.weight');
    return {
      tokEmb, posEmb: r.read('wpe.weight', [P, C]), layers,
      finalLnW: r.read('ln_f.weight', [C]), finalLnB: r.read('ln_f.bias', [C]),
      head: { decoder: own ? r.read('lm_head.weight', [V, C]) : tokEmb, tied: !own },
      floats: r.floats,
    };
  },
};
