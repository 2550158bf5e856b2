/**
 * Checkpoint tensors → the engine's weight buffers, name for name as Hugging Face writes
 * them. Every matrix is stored in nn.Linear layout, [out, in], row-major, so one matmul
 * kernel serves every architecture:
 *   - GPT-2's Conv1D stores [in, out]; it is transposed while loading.
 *   - BERT/DistilBERT keep Q, K and V apart; they are stacked into one [3C, C] matrix,
 *     which is exactly GPT-2's fused c_attn, so attention reads q, k, v from one [T, 3C].
 * Names are found with or without the model prefix (`transformer.`, `bert.`,
 * `distilbert.`), and the legacy LayerNorm names `gamma`/`beta` are accepted. A missing
 * LM head falls back to the tied input embeddings (one buffer, no copy); a checkpoint that
 * stores the head anyway is read as its own matrix.
 *
 * Dimension legend: V vocab, C channels, F FFN width, maxT positions, NTT token types.
 */
import type { Checkpoint } from './checkpoint';
import type { ModelConfig } from './config';
import { ModelError } from './modelError';

/** Where weight buffers live (plain JS memory, or a WebAssembly memory for the SIMD kernels). */
export type Allocate = (n: number) => Float32Array;
export const jsAllocate: Allocate = (n) => new Float32Array(n);

export interface LayerWeights {
  /** pre-LN: LayerNorm before attention (ln_1); post-LN: after attention + residual. */
  lnAttnW: Float32Array; // [C]
  lnAttnB: Float32Array; // [C]
  qkvW: Float32Array; // [3C, C]
  qkvB: Float32Array; // [3C]
  attnProjW: Float32Array; // [C, C]  W^O
  attnProjB: Float32Array; // [C]
  /** pre-LN: LayerNorm before the FFN (ln_2); post-LN: after FFN + residual. */
  lnFfnW: Float32Array; // [C]
  lnFfnB: Float32Array; // [C]
  fcW: Float32Array; // [F, C]
  fcB: Float32Array; // [F]
  fcProjW: Float32Array; // [C, F]
  fcProjB: Float32Array; // [C]
}

export interface ModelWeights {
  tokEmb: Float32Array; // [V, C]
  posEmb: Float32Array; // [maxT, C]
  typeEmb?: Float32Array; // [NTT, C]  BERT
  embLnW?: Float32Array; // [C]  BERT, DistilBERT
  embLnB?: Float32Array; // [C]
  layers: LayerWeights[];
  finalLnW?: Float32Array; // [C]  GPT-2 ln_f
  finalLnB?: Float32Array; // [C]
  /** Output head: logits = decoder · h (+ bias); BERT/DistilBERT transform h first. */
  head: {
    decoder: Float32Array; // [V, C]  (the same buffer as tokEmb when tied)
    tied: boolean;
    bias?: Float32Array; // [V]
    transformW?: Float32Array; // [C, C]
    transformB?: Float32Array; // [C]
    transformLnW?: Float32Array; // [C]
    transformLnB?: Float32Array; // [C]
  } | undefined;
  /** Total float32 values held (for the memory report). */
  floats: number;
}

class Reader {
  floats = 0;
  constructor(private readonly ck: Checkpoint, private readonly prefixes: string[], private readonly alloc: Allocate, private readonly onFloats?: (floats: number) => void) {}

  /** The stored name for `name` (with a model prefix or not, legacy LayerNorm names). */
  resolve(name: string): string | undefined {
    const variants = [name];
    if (name.endsWith('LayerNorm.weight')) variants.push(name.replace(/weight$/, 'gamma'));
    if (name.endsWith('LayerNorm.bias')) variants.push(name.replace(/bias$/, 'beta'));
    for (const p of this.prefixes) for (const v of variants) if (this.ck.info(p + v)) return p + v;
    return undefined;
  }

  has(name: string): boolean { return this.resolve(name) !== undefined; }

  /** Read `name`, checking its shape; `into` lets callers stack tensors into one buffer. */
  read(name: string, shape: number[], into?: Float32Array): Float32Array {
    const stored = this.resolve(name);
    if (!stored) throw new ModelError(`the checkpoint has no tensor ${name} (looked for it with prefixes ${this.prefixes.map((p) => JSON.stringify(p)).join(', ')})`);
    const info = this.ck.info(stored)!;
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new ModelError(`tensor ${stored} has shape [${info.shape.join(', ')}], but config.json implies [${shape.join(', ')}]`);
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const out = into ?? this.alloc(n);
    if (!into) this.floats += n;
    this.ck.readF32(stored, out);
    if (!into) this.onFloats?.(this.floats);
    return out;
  }

  /** Read a Conv1D weight stored [rows, cols] and return it transposed, [cols, rows]. */
  readTransposed(name: string, rows: number, cols: number): Float32Array {
    const tmp = this.read(name, [rows, cols], new Float32Array(rows * cols));
    const out = this.alloc(rows * cols);
    this.floats += rows * cols;
    // 32 × 32 tiles: both sides stay in cache (a plain double loop is ~4× slower on 768 × 3072)
    for (let r0 = 0; r0 < rows; r0 += 32) {
      for (let c0 = 0; c0 < cols; c0 += 32) {
        const rEnd = Math.min(r0 + 32, rows), cEnd = Math.min(c0 + 32, cols);
        for (let r = r0; r < rEnd; r++) for (let c = c0; c < cEnd; c++) out[c * rows + r] = tmp[r * cols + c];
      }
    }
    this.onFloats?.(this.floats);
    return out;
  }

  allocCounted(n: number): Float32Array {
    this.floats += n;
    return this.alloc(n);
  }
}

/** `onFloats(n)`: called as tensors are read, with the floats read so far (for progress). */
export function loadWeights(ck: Checkpoint, cfg: ModelConfig, alloc: Allocate = jsAllocate, onFloats?: (floats: number) => void): ModelWeights {
  switch (cfg.arch) {
    case 'gpt2': return loadGpt2(new Reader(ck, ['transformer.', ''], alloc, onFloats), cfg);
    case 'bert': return loadBert(new Reader(ck, ['bert.', ''], alloc, onFloats), cfg);
    case 'distilbert': return loadDistilBert(new Reader(ck, ['distilbert.', ''], alloc, onFloats), cfg);
  }
}

function loadGpt2(r: Reader, cfg: ModelConfig): ModelWeights {
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
}

/** Q, K and V stacked into [3C, C] / [3C]. */
function readQkv(r: Reader, names: [string, string, string], C: number): { w: Float32Array; b: Float32Array } {
  const w = r.allocCounted(3 * C * C);
  const b = r.allocCounted(3 * C);
  names.forEach((n, i) => {
    r.read(`${n}.weight`, [C, C], w.subarray(i * C * C, (i + 1) * C * C));
    r.read(`${n}.bias`, [C], b.subarray(i * C, (i + 1) * C));
  });
  return { w, b };
}

function loadBert(r: Reader, cfg: ModelConfig): ModelWeights {
  const { vocabSize: V, hidden: C, ffnHidden: F, maxPositions: P } = cfg;
  const e = 'embeddings.';
  const tokEmb = r.read(`${e}word_embeddings.weight`, [V, C]);
  const layers: LayerWeights[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `encoder.layer.${l}.`;
    const qkv = readQkv(r, [`${p}attention.self.query`, `${p}attention.self.key`, `${p}attention.self.value`], C);
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
  if (r.has(`${m}transform.dense.weight`)) {
    const own = r.has(`${m}decoder.weight`);
    head = {
      decoder: own ? r.read(`${m}decoder.weight`, [V, C]) : tokEmb, tied: !own,
      bias: r.read(r.has(`${m}bias`) ? `${m}bias` : `${m}decoder.bias`, [V]),
      transformW: r.read(`${m}transform.dense.weight`, [C, C]), transformB: r.read(`${m}transform.dense.bias`, [C]),
      transformLnW: r.read(`${m}transform.LayerNorm.weight`, [C]), transformLnB: r.read(`${m}transform.LayerNorm.bias`, [C]),
    };
  }
  return {
    tokEmb, posEmb: r.read(`${e}position_embeddings.weight`, [P, C]),
    typeEmb: r.read(`${e}token_type_embeddings.weight`, [cfg.typeVocabSize, C]),
    embLnW: r.read(`${e}LayerNorm.weight`, [C]), embLnB: r.read(`${e}LayerNorm.bias`, [C]),
    layers, head, floats: r.floats,
  };
}

function loadDistilBert(r: Reader, cfg: ModelConfig): ModelWeights {
  const { vocabSize: V, hidden: C, ffnHidden: F, maxPositions: P } = cfg;
  const e = 'embeddings.';
  const tokEmb = r.read(`${e}word_embeddings.weight`, [V, C]);
  const layers: LayerWeights[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `transformer.layer.${l}.`;
    const qkv = readQkv(r, [`${p}attention.q_lin`, `${p}attention.k_lin`, `${p}attention.v_lin`], C);
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
}
