/**
 * The benchmark's model folders, written once under the temp folder (later runs reuse
 * them) by TypeScript alone, so our side never needs Python:
 * - GPT-2-small shape (`tt-bench-gpt2-small-v1`, ≈ 500 MB): 12 layers × 12 heads, 768 wide,
 *   50,257 tokens, 1,024 positions;
 * - SmolLM2-135M shape (`tt-bench-smollm2-135m-v1`, ≈ 540 MB): model_type llama with
 *   SmolLM2-135M's real config.json values (30 layers, 576 wide, 9 heads / 3 KV heads,
 *   head_dim 64, 1,536 FFN, 49,152 tokens, tied, rope_theta 100000, rms_norm_eps 1e-5).
 * Weights are seeded N(0, 0.02) (GPT-2's wpe 0.01), norms 1 and biases 0, all F32, in the
 * names and layouts Hugging Face saves (GPT-2's Conv1D [in, out]; Llama's Linear [out, in]),
 * so transformers' from_pretrained loads the same folder.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors, f32Bytes, type TensorToWrite } from '../src/engine/model/safetensorsWrite';
import { mulberry32 } from './corpus';

/** Seeded N(0, std²) floats (Box–Muller) and the tensor helpers both writers use. */
function tensorMaker(seed: number) {
  const rand = mulberry32(seed);
  const normal = (n: number, std: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(rand() + 1e-12)), th = 2 * Math.PI * rand();
      a[i] = r * Math.cos(th) * std;
      if (i + 1 < n) a[i + 1] = r * Math.sin(th) * std;
    }
    return a;
  };
  const t = (name: string, shape: number[], data: Float32Array): TensorToWrite => ({ name, dtype: 'F32', shape, bytes: f32Bytes(data) });
  /** A random [rows, cols] matrix. */
  const matrix = (name: string, rows: number, cols: number, std = 0.02) => t(name, [rows, cols], normal(rows * cols, std));
  const ones = (name: string, n: number) => t(name, [n], new Float32Array(n).fill(1));
  const zeros = (name: string, n: number) => t(name, [n], new Float32Array(n));
  return { matrix, ones, zeros };
}

/** Streams the tensors to model.safetensors (through a temporary name) and writes config.json. */
async function writeFolder(dir: string, tensors: TensorToWrite[], config: object): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, 'model.safetensors.tmp');
  const out = createWriteStream(tmp);
  for (const chunk of encodeSafetensors(tensors, { format: 'pt' })) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  renameSync(tmp, join(dir, 'model.safetensors'));
}

export const GPT2_SMALL = { C: 768, NH: 12, L: 12, V: 50257, P: 1024 };

export async function gpt2SmallCheckpoint(): Promise<string> {
  const dir = join(tmpdir(), 'tt-bench-gpt2-small-v1');
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  const { C, NH, L, V, P } = GPT2_SMALL;
  const { matrix, ones, zeros } = tensorMaker(1234);
  const tensors = [matrix('transformer.wte.weight', V, C), matrix('transformer.wpe.weight', P, C, 0.01)];
  for (let l = 0; l < L; l++) {
    const p = `transformer.h.${l}.`;
    tensors.push(
      ones(`${p}ln_1.weight`, C), zeros(`${p}ln_1.bias`, C),
      matrix(`${p}attn.c_attn.weight`, C, 3 * C), zeros(`${p}attn.c_attn.bias`, 3 * C),
      matrix(`${p}attn.c_proj.weight`, C, C), zeros(`${p}attn.c_proj.bias`, C),
      ones(`${p}ln_2.weight`, C), zeros(`${p}ln_2.bias`, C),
      matrix(`${p}mlp.c_fc.weight`, C, 4 * C), zeros(`${p}mlp.c_fc.bias`, 4 * C),
      matrix(`${p}mlp.c_proj.weight`, 4 * C, C), zeros(`${p}mlp.c_proj.bias`, C),
    );
  }
  tensors.push(ones('transformer.ln_f.weight', C), zeros('transformer.ln_f.bias', C));
  await writeFolder(dir, tensors, { model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_embd: C, n_head: NH, n_layer: L, n_positions: P, vocab_size: V, activation_function: 'gelu_new', layer_norm_epsilon: 1e-5 });
  return dir;
}

/** SmolLM2-135M's config.json (HuggingFaceTB/SmolLM2-135M), saved as float32. */
export const SMOLLM2_135M = {
  model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 576, intermediate_size: 1536,
  num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, head_dim: 64, vocab_size: 49152,
  max_position_embeddings: 8192, rope_theta: 100000, rope_scaling: null, rms_norm_eps: 1e-5, hidden_act: 'silu',
  tie_word_embeddings: true, attention_bias: false, mlp_bias: false, bos_token_id: 0, eos_token_id: 0,
  initializer_range: 0.041666666666666664, pretraining_tp: 1, use_cache: true, torch_dtype: 'float32',
};

export async function smolLM2Checkpoint(): Promise<string> {
  const dir = join(tmpdir(), 'tt-bench-smollm2-135m-v1');
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  const { hidden_size: C, intermediate_size: F, num_hidden_layers: L, num_attention_heads: NH, num_key_value_heads: NKV, head_dim: HD, vocab_size: V } = SMOLLM2_135M;
  const { matrix, ones } = tensorMaker(4321);
  const tensors = [matrix('model.embed_tokens.weight', V, C)];
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}.`;
    tensors.push(
      ones(`${p}input_layernorm.weight`, C),
      matrix(`${p}self_attn.q_proj.weight`, NH * HD, C), matrix(`${p}self_attn.k_proj.weight`, NKV * HD, C),
      matrix(`${p}self_attn.v_proj.weight`, NKV * HD, C), matrix(`${p}self_attn.o_proj.weight`, C, NH * HD),
      ones(`${p}post_attention_layernorm.weight`, C),
      matrix(`${p}mlp.gate_proj.weight`, F, C), matrix(`${p}mlp.up_proj.weight`, F, C), matrix(`${p}mlp.down_proj.weight`, C, F),
    );
  }
  tensors.push(ones('model.norm.weight', C));
  await writeFolder(dir, tensors, SMOLLM2_135M);
  return dir;
}
