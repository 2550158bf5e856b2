/**
 * The engine's weight buffers, whatever the architecture. Every matrix is stored in
 * nn.Linear layout, [out, in], row-major, so one matmul kernel serves every family:
 *   - GPT-2's Conv1D stores [in, out]; it is transposed while loading.
 *   - Q, K and V are stacked into one [(NH + 2·NKV)·HD, C] matrix (GPT-2's fused c_attn has
 *     this layout already), so one product gives q, k and v for every head.
 * Each family's module (architectures/*.ts) maps its Hugging Face tensor names onto these.
 * Biases and the second norm's bias are absent where the architecture has none (Llama).
 *
 * Dimension legend: V vocab, C channels, F FFN width, maxT positions, NTT token types,
 * NH query heads, NKV key/value heads, HD head size.
 */
import type { Checkpoint } from './checkpoint';
import { architectureModule, type ModelConfig } from './config';
import { WeightReader } from './weightReader';

/** Where weight buffers live (plain JS memory, or a WebAssembly memory for the SIMD kernels). */
export type Allocate = (n: number) => Float32Array;
export const jsAllocate: Allocate = (n) => new Float32Array(n);

export interface LayerWeights {
  /** pre-LN: the norm before attention (ln_1, input_layernorm); post-LN: after attention + residual. */
  lnAttnW: Float32Array; // [C]
  lnAttnB?: Float32Array; // [C]  LayerNorm only
  qkvW: Float32Array; // [(NH + 2·NKV)·HD, C]
  qkvB?: Float32Array; // [(NH + 2·NKV)·HD]
  /** Qwen3: RMSNorm weights over each head's q and k. */
  qNormW?: Float32Array; // [HD]
  kNormW?: Float32Array; // [HD]
  attnProjW: Float32Array; // [C, NH·HD]  W^O
  attnProjB?: Float32Array; // [C]
  /** Gemma sandwich norms: over the attention output, and over the FFN output, before each residual add. */
  postAttnNormW?: Float32Array; // [C]
  postFfnNormW?: Float32Array; // [C]
  /** pre-LN: the norm before the FFN (ln_2, post_attention_layernorm); post-LN: after FFN + residual. */
  lnFfnW: Float32Array; // [C]
  lnFfnB?: Float32Array; // [C]
  /** mlp: the first linear; gated: gate_proj. */
  fcW: Float32Array; // [F, C]
  fcB?: Float32Array; // [F]
  /** gated only: up_proj. */
  upW?: Float32Array; // [F, C]
  upB?: Float32Array; // [F]
  /** mlp: the second linear; gated: down_proj. */
  fcProjW: Float32Array; // [C, F]
  fcProjB?: Float32Array; // [C]
  /** Encoder–decoder decoders: cross attention between self attention and the FFN. */
  cross?: CrossWeights;
}

/** Cross attention: queries from the decoder stream, keys and values from the encoder's last hidden state. */
export interface CrossWeights {
  /** pre-norm: the norm before cross attention; post-LN: after it and its residual. */
  lnW: Float32Array; // [C]
  lnB?: Float32Array; // [C]
  qW: Float32Array; // [NH·HD, C]
  qB?: Float32Array;
  kvW: Float32Array; // [2·NKV·HD, C]  k then v
  kvB?: Float32Array;
  projW: Float32Array; // [C, NH·HD]
  projB?: Float32Array; // [C]
}

/** One stack of layers with its embeddings and final norm: a decoder-only model, an encoder, or an encoder–decoder's decoder. */
export interface StackWeights {
  tokEmb: Float32Array; // [V, C]
  posEmb?: Float32Array; // [offset + maxT, C]  learned (or computed sinusoidal) positions; absent with RoPE and relative positions
  typeEmb?: Float32Array; // [NTT, C]  BERT
  embLnW?: Float32Array; // [C]  BERT, DistilBERT, BART
  embLnB?: Float32Array; // [C]
  /** ALBERT: embedding_hidden_mapping_in, [C, E] and [C] (the embeddings above are E wide). */
  embProjW?: Float32Array;
  embProjB?: Float32Array;
  layers: LayerWeights[];
  finalLnW?: Float32Array; // [C]  GPT-2 ln_f, Llama norm, T5 final_layer_norm
  finalLnB?: Float32Array; // [C]
  /** T5: relative position bias, [buckets, NH], added to every layer's scores. */
  relBias?: Float32Array;
}

/** A model: its (first) stack, the decoder stack of an encoder–decoder, the output head. */
export interface ModelWeights extends StackWeights {
  /** Encoder–decoders: the decoder stack (this object's own fields are the encoder's). */
  decoder?: StackWeights;
  /** Output head: logits = decoder · h (+ bias); BERT/DistilBERT transform h first. */
  head: {
    decoder: Float32Array; // [V, C]  (the same buffer as tokEmb when tied)
    tied: boolean;
    bias?: Float32Array; // [V]  (BART/Marian: final_logits_bias)
    /** T5 with a tied head: the hidden state is multiplied by d_model^−½ first. */
    inputScale?: number;
    transformW?: Float32Array; // [C, C]
    transformB?: Float32Array; // [C]
    transformLnW?: Float32Array; // [C]
    transformLnB?: Float32Array; // [C]
  } | undefined;
  /** Total float32 values held (for the memory report). */
  floats: number;
}

/** `onFloats(n)`: called as tensors are read, with the floats read so far (for progress). */
export function loadWeights(ck: Checkpoint, cfg: ModelConfig, alloc: Allocate = jsAllocate, onFloats?: (floats: number) => void): ModelWeights {
  const module = architectureModule(cfg);
  return module.loadWeights(new WeightReader(ck, module.weightPrefixes, alloc, onFloats), cfg);
}
