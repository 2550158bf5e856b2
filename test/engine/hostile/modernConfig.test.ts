/**
 * Hostile Llama-family configs and checkpoints (the modern-decoder issue's bad-input list):
 * an unknown RoPE scaling type, query heads that are not a multiple of the KV heads, a
 * q_proj whose shape disagrees with num_attention_heads × head_dim, Qwen3 without its q/k
 * norm weights, an untied head without lm_head.weight, sizes that would not fit in memory.
 * Each is a ModelError whose message names the field or tensor, raised before the weights
 * are allocated; the untouched fixture beside them loads, so no check passes by refusing all.
 * Fixtures: test/fixtures/decoders (tools/reference/decoder_goldens.py), rewritten in a temp dir.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../../src/engine/model/config';
import { loadModel } from '../../../src/engine/model/loadModel';
import { ModelError } from '../../../src/engine/model/modelError';
import { memorySource, readHeader } from '../../../src/engine/model/safetensors';
import { encodeSafetensors, type TensorToWrite } from '../../../src/engine/model/safetensorsWrite';

const DECODERS = resolve(__dirname, '..', '..', 'fixtures', 'decoders');
const LLAMA = join(DECODERS, 'llama-rope-linear'); // untied, 4 heads of 8, 2 KV heads, hidden 32
const QWEN3 = join(DECODERS, 'qwen3-tiny');

type Json = Record<string, unknown>;
const configOf = (folder: string): Json => JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));

/** The fixture's tensors as written, ready to be dropped or replaced. */
function tensorsOf(folder: string): TensorToWrite[] {
  const bytes = new Uint8Array(readFileSync(join(folder, 'model.safetensors')));
  const header = readHeader(memorySource(bytes), folder);
  return [...header.tensors.values()].map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, bytes: bytes.slice(header.dataStart + t.begin, header.dataStart + t.end) }));
}

function refuses(run: () => unknown, message: RegExp): void {
  assert.throws(run, (e: Error) => {
    assert.ok(e instanceof ModelError, `a ModelError, got ${e.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

describe('hostile modern-decoder configs and checkpoints', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'tt-modern-hostile-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of `from` with config.json edited and tensors dropped or replaced. */
  function variant(from: string, edit: { config?: Json; drop?: RegExp; replace?: TensorToWrite[] }): string {
    const folder = mkdtempSync(join(dir, 'ck-'));
    writeFileSync(join(folder, 'config.json'), JSON.stringify({ ...configOf(from), ...edit.config }));
    if (!edit.drop && !edit.replace) {
      copyFileSync(join(from, 'model.safetensors'), join(folder, 'model.safetensors'));
    } else {
      const swap = new Map((edit.replace ?? []).map((t) => [t.name, t]));
      const tensors = tensorsOf(from).filter((t) => !edit.drop?.test(t.name)).map((t) => swap.get(t.name) ?? t);
      writeFileSync(join(folder, 'model.safetensors'), Buffer.concat(encodeSafetensors(tensors)));
    }
    return folder;
  }

  it('the untouched fixtures load, also when copied and rewritten tensor by tensor', () => {
    for (const folder of [LLAMA, QWEN3, variant(LLAMA, { drop: /^$/ }), variant(QWEN3, { drop: /^$/ })]) {
      const m = loadModel(folder, { kernels: 'typescript' });
      assert.equal(m.config.layers, 2);
      m.dispose();
    }
  });

  it('sizes that would not fit: vocab_size 1e9 × hidden_size 8192 is refused by parseConfig, naming both', () => {
    refuses(() => parseConfig({ ...configOf(LLAMA), vocab_size: 1e9, hidden_size: 8192, head_dim: 128 }), /one weight matrix would be vocab_size 1000000000 × hidden_size 8192/);
  });

  it('sizes over the 8 GiB budget name the fields the bytes come from', () => {
    refuses(() => parseConfig({ ...configOf(LLAMA), vocab_size: 32000, hidden_size: 8192, num_attention_heads: 64, num_key_value_heads: 8, head_dim: 128, intermediate_size: 28672, num_hidden_layers: 400 }),
      /need \d+\.\d GiB of float32 weights, over the 8 GiB budget \(most of it from num_hidden_layers, hidden_size and intermediate_size\)/);
  });

  it('loadModel refuses such a folder before allocating anything for it', () => {
    const folder = variant(LLAMA, { config: { vocab_size: 1e9, hidden_size: 8192, head_dim: 128 } });
    const before = process.memoryUsage().arrayBuffers;
    refuses(() => loadModel(folder), /vocab_size 1000000000 × hidden_size 8192/);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 ** 2, 'no large buffer was allocated');
  });

  it('an unknown RoPE type ("yarn") is named with the field it is in, new and old config forms', () => {
    const base = configOf(LLAMA);
    refuses(() => parseConfig({ ...base, rope_parameters: { rope_type: 'yarn', rope_theta: 10000, factor: 4 } }), /"rope_parameters\.rope_type" is "yarn", a RoPE scaling the engine does not implement \(supported: default, linear, dynamic, llama3\)/);
    const old: Json = { ...base, rope_theta: 10000, rope_scaling: { type: 'yarn', factor: 4 } };
    delete old.rope_parameters;
    refuses(() => parseConfig(old), /"rope_scaling\.type" is "yarn"/);
    refuses(() => loadModel(variant(LLAMA, { config: { rope_parameters: { rope_type: 'longrope', rope_theta: 10000 } } })), /"rope_parameters\.rope_type" is "longrope"/);
  });

  it('9 query heads over 4 KV heads is refused, naming both fields', () => {
    refuses(() => parseConfig({ ...configOf(LLAMA), hidden_size: 72, num_attention_heads: 9, num_key_value_heads: 4 }), /num_attention_heads 9 is not a multiple of num_key_value_heads 4/);
  });

  it('a q_proj whose rows disagree with num_attention_heads × head_dim names the tensor, both shapes and the fields', () => {
    const q = tensorsOf(LLAMA).find((t) => t.name === 'model.layers.0.self_attn.q_proj.weight')!;
    assert.deepEqual(q.shape, [32, 32]);
    const wide: TensorToWrite = { ...q, shape: [48, 32], bytes: new Uint8Array(48 * 32 * 4) };
    refuses(() => loadModel(variant(LLAMA, { replace: [wide] }), { kernels: 'typescript' }),
      /tensor model\.layers\.0\.self_attn\.q_proj\.weight has shape \[48, 32\], but config\.json implies \[32, 32\] \(num_attention_heads 4 × head_dim 8 rows, hidden_size 32 columns\)/);
    // the same weights under a config whose head_dim says 16
    refuses(() => loadModel(variant(LLAMA, { config: { head_dim: 16 } }), { kernels: 'typescript' }),
      /q_proj\.weight has shape \[32, 32\], but config\.json implies \[64, 32\] \(num_attention_heads 4 × head_dim 16 rows/);
    // and a k_proj for 1 KV head where config.json says 2
    const k = tensorsOf(LLAMA).find((t) => t.name === 'model.layers.1.self_attn.k_proj.weight')!;
    refuses(() => loadModel(variant(LLAMA, { replace: [{ ...k, shape: [8, 32], bytes: k.bytes.slice(0, 8 * 32 * 4) }] }), { kernels: 'typescript' }),
      /model\.layers\.1\.self_attn\.k_proj\.weight has shape \[8, 32\], but config\.json implies \[16, 32\] \(num_key_value_heads 2 × head_dim 8 rows/);
  });

  it('Qwen3 without its q_norm (or k_norm) weights names the missing tensor and why it is needed', () => {
    refuses(() => loadModel(variant(QWEN3, { drop: /q_norm/ }), { kernels: 'typescript' }), /no layers\.0\.self_attn\.q_norm\.weight: config\.json says model_type "qwen3", which normalizes each head's q and k/);
    refuses(() => loadModel(variant(QWEN3, { drop: /layers\.1\.self_attn\.k_norm/ }), { kernels: 'typescript' }), /no layers\.1\.self_attn\.k_norm\.weight/);
  });

  it('tie_word_embeddings false without lm_head.weight names lm_head; true loads the same tensors', () => {
    refuses(() => loadModel(variant(LLAMA, { drop: /^lm_head\./ }), { kernels: 'typescript' }), /no lm_head\.weight, and config\.json says tie_word_embeddings: false/);
    const tied = loadModel(variant(LLAMA, { drop: /^lm_head\./, config: { tie_word_embeddings: true } }), { kernels: 'typescript' });
    assert.equal(tied.weights.head!.decoder, tied.weights.tokEmb);
    tied.dispose();
  });
});
