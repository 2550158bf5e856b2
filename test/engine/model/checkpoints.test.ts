/**
 * safetensors and checkpoint folders: dtypes read as PyTorch reads them
 * (test/fixtures/model/dtypes.*, made by tools/fixtures/make_dtype_fixture.py), a
 * hand-built corpus of broken files (each a named error, nothing allocated from a lying
 * header), sharded checkpoints, pickle refusal, config.json errors.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { locateCheckpoint, openCheckpoint } from '../../../src/engine/model/checkpoint';
import { parseConfig } from '../../../src/engine/model/config';
import { loadModel, runModel } from '../../../src/engine/model/loadModel';
import { ModelError } from '../../../src/engine/model/modelError';
import { memorySource, readFloat32, readHeader, readInteger } from '../../../src/engine/model/safetensors';
import { encodeSafetensors, f32Bytes } from '../../../src/engine/model/safetensorsWrite';
import { HF_FIXTURES, readFixture } from '../fixtures';

const FIXTURES = resolve(__dirname, '../../fixtures/model');

function file(header: unknown, data: Uint8Array = new Uint8Array(0), rawHeader?: string): Uint8Array {
  const json = Buffer.from(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const parse = (bytes: Uint8Array) => readHeader(memorySource(bytes), 'test.safetensors');

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(() => parse(bytes), (e: Error) => e instanceof ModelError && pattern.test(e.message));
}

describe('safetensors', () => {
  it('reads F16, BF16, F32, F64 as the float32 values PyTorch reads (±0, subnormals, ±inf, NaN)', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'dtypes.safetensors')));
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'dtypes.json'), 'utf8')) as Record<string, (number | string)[]> & { negative_zero_at: number[] };
    const src = memorySource(bytes);
    const header = readHeader(src, 'dtypes');
    assert.equal(header.metadata.get('format'), 'pt');
    for (const name of ['half', 'bfloat', 'single', 'double']) {
      const got = readFloat32(src, header, header.tensors.get(name)!);
      const want = expected[name].map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number)));
      assert.equal(got.length, want.length);
      want.forEach((v, i) => assert.ok(Object.is(got[i], Math.fround(v)) || (v === 0 && got[i] === 0), `${name}[${i}]: ${got[i]} vs ${v}`));
      for (const i of expected.negative_zero_at) assert.ok(Object.is(got[i], -0), `${name}[${i}] is −0`);
    }
    assert.deepEqual([...(readInteger(src, header, header.tensors.get('long')!) as BigInt64Array)].map(String), expected.long);
    assert.deepEqual([...readInteger(src, header, header.tensors.get('int')!)], expected.int);
    assert.deepEqual([...readInteger(src, header, header.tensors.get('flags')!)], expected.flags);
    assert.throws(() => readFloat32(src, header, header.tensors.get('int')!), /I32; a floating-point tensor/);
  });

  it('accepts an empty header and zero-sized tensors', () => {
    assert.equal(parse(file({})).tensors.size, 0);
    assert.deepEqual(parse(file({ e: { dtype: 'F32', shape: [0, 3], data_offsets: [0, 0] } })).tensors.get('e')!.shape, [0, 3]);
  });

  describe('rejects broken files with a named error', () => {
    const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    it('shorter than 8 bytes', () => rejects(new Uint8Array(5), /shorter than the 8-byte header length/));
    it('header length past the end', () => {
      const b = file(ok, new Uint8Array(8));
      new DataView(b.buffer).setBigUint64(0, 10_000n, true);
      rejects(b, /runs past the end of the file/);
    });
    it('header length over 100 MB (checked before allocating)', () => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setBigUint64(0, 2n ** 62n, true);
      rejects(b, /over the 100 MB limit/);
    });
    it('truncated header JSON', () => rejects(file(null, new Uint8Array(8), '{"a": {"dtype": "F32", "sha'), /not valid JSON/));
    it('header not an object', () => rejects(file([1, 2]), /must be a JSON object/));
    it('not UTF-8', () => rejects(file(null, new Uint8Array(0), '{"\u00ff"'.replace('\u00ff', '\udcff')), /UTF-8|JSON/));
    it('data past the end', () => rejects(file(ok, new Uint8Array(4)), /runs past the end/));
    it('trailing bytes not described', () => rejects(file(ok, new Uint8Array(12)), /4 bytes after the last tensor/));
    it('overlapping offsets', () => rejects(file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)), /overlaps/));
    it('a hole between tensors', () => rejects(file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, new Uint8Array(12)), /hole of 4 bytes/));
    it('wrong byte count for shape × dtype', () => rejects(file({ a: { dtype: 'F16', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /is 6 bytes but data_offsets span 8/));
    it('unknown dtype', () => rejects(file({ a: { dtype: 'F8_E4M3', shape: [8], data_offsets: [0, 8] } }, new Uint8Array(8)), /unknown dtype "F8_E4M3"/));
    it('duplicate names', () => rejects(file(null, new Uint8Array(8), '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'), /"a" appears twice/));
    it('huge shapes', () => rejects(file({ a: { dtype: 'F32', shape: [2 ** 30, 2 ** 30, 2 ** 30], data_offsets: [0, 8] } }, new Uint8Array(8)), /too large|is .* bytes/));
    it('offsets beyond a safe integer', () => rejects(file(null, new Uint8Array(8), '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]}}'), /invalid data_offsets/));
    it('negative or fractional dimensions', () => rejects(file({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, new Uint8Array(8)), /invalid shape/));
    it('offsets that end before they begin', () => rejects(file({ a: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, new Uint8Array(8)), /end before they begin/));
    it('__metadata__ with a non-string value', () => rejects(file({ __metadata__: { a: 1 } }), /__metadata__\.a must be a string/));
    it('names such as __proto__ and constructor are ordinary tensors', () => {
      const h = parse(file(null, new Uint8Array(8),
        '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"constructor":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'));
      assert.deepEqual([...h.tensors.keys()].sort(), ['__proto__', 'constructor']);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });
});

describe('checkpoint folders', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tt-ckpt-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a sharded checkpoint (model.safetensors.index.json) gives the same attentions as the single file', () => {
    const src = join(HF_FIXTURES, 'models', 'gpt2-tiny');
    copyFileSync(join(src, 'config.json'), join(dir, 'config.json'));
    const single = openCheckpoint(src);
    const names = single.names();
    const shards = [names.slice(0, 10), names.slice(10)];
    const weightMap: Record<string, string> = {};
    shards.forEach((part, i) => {
      const fileName = `model-0000${i + 1}-of-00002.safetensors`;
      const parts = encodeSafetensors(part.map((n) => ({ name: n, dtype: 'F32' as const, shape: single.info(n)!.shape, bytes: f32Bytes(single.readF32(n)) })));
      writeFileSync(join(dir, fileName), Buffer.concat(parts));
      for (const n of part) weightMap[n] = fileName;
    });
    single.close();
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const golden = JSON.parse(readFixture('models', 'gpt2-tiny', 'golden.json')).cases[0];
    const model = loadModel(dir, { threads: 0 });
    const r = runModel(model, { ids: golden.input_ids });
    const T = r.T;
    golden.attentions[1][3].forEach((row: number[], q: number) => row.forEach((v, k) => assert.ok(Math.abs(v - r.layers[1].heads[3].weights![q * T + k]) < 1e-4)));
    model.dispose();
  });

  it('a shard name with .. or a path is refused', () => {
    writeFileSync(join(dir, 'config.json'), '{}');
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: '../outside.safetensors' } }));
    assert.throws(() => locateCheckpoint(dir), /must be a plain file name/);
  });

  it('pickle checkpoints are refused unread', () => {
    writeFileSync(join(dir, 'pytorch_model.bin'), 'not even looked at');
    assert.throws(() => locateCheckpoint(dir), /pickle checkpoint: unsupported, use a safetensors file/);
    assert.throws(() => locateCheckpoint(join(dir, 'pytorch_model.bin')), /use a safetensors file/);
  });

  it('a folder without weights or config says what is missing', () => {
    assert.throws(() => locateCheckpoint(dir), /holds no model\.safetensors/);
    writeFileSync(join(dir, 'model.safetensors'), Buffer.concat(encodeSafetensors([])));
    assert.throws(() => openCheckpoint(dir), /has no config\.json/);
  });

  it('a weight whose shape disagrees with config.json names both shapes', () => {
    const src = join(HF_FIXTURES, 'models', 'gpt2-tiny');
    copyFileSync(join(src, 'model.safetensors'), join(dir, 'model.safetensors'));
    const cfg = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, n_embd: 64 }));
    assert.throws(() => loadModel(dir, { threads: 0 }), /transformer\.wte\.weight has shape \[50257, 32\], but config\.json implies \[50257, 64\]/);
  });

  it('a missing tensor is named', () => {
    writeFileSync(join(dir, 'config.json'), readFileSync(join(HF_FIXTURES, 'models', 'gpt2-tiny', 'config.json')));
    writeFileSync(join(dir, 'model.safetensors'), Buffer.concat(encodeSafetensors([{ name: 'transformer.wte.weight', dtype: 'F32', shape: [50257, 32], bytes: new Uint8Array(50257 * 32 * 4) }])));
    assert.throws(() => loadModel(dir, { threads: 0 }), /no tensor h\.0\.ln_1\.weight/);
  });

  it('legacy LayerNorm gamma/beta names and unprefixed keys load (BERT)', () => {
    const src = openCheckpoint(join(HF_FIXTURES, 'models', 'bert-tiny'));
    const renamed = src.names().map((n) => ({
      name: n.replace(/^bert\./, '').replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
      dtype: 'F32' as const, shape: src.info(n)!.shape, bytes: f32Bytes(src.readF32(n)),
    }));
    src.close();
    writeFileSync(join(dir, 'model.safetensors'), Buffer.concat(encodeSafetensors(renamed)));
    copyFileSync(join(HF_FIXTURES, 'models', 'bert-tiny', 'config.json'), join(dir, 'config.json'));
    const golden = JSON.parse(readFixture('models', 'bert-tiny', 'golden.json')).cases[0];
    const model = loadModel(dir, { threads: 0 });
    const r = runModel(model, { ids: golden.input_ids, typeIds: golden.token_type_ids });
    golden.hidden_states_last[2].forEach((v: number, c: number) => assert.ok(Math.abs(v - r.hidden[2 * 32 + c]) < 1e-4));
    model.dispose();
  });
});

describe('config.json and inputs', () => {
  const gpt2 = { model_type: 'gpt2', n_embd: 32, n_head: 4, n_layer: 2, n_positions: 64, vocab_size: 100 };
  it('unknown architectures list the supported ones', () => {
    assert.throws(() => parseConfig({ model_type: 'gpt_neox' }), /model_type "gpt_neox" is not supported \(supported architectures: gpt2, bert, roberta, distilbert, albert, llama, mistral, qwen2, qwen3, gemma3_text, t5, bart, mbart, marian\)/);
  });
  it('bad numbers and activations are named', () => {
    assert.throws(() => parseConfig({ ...gpt2, n_head: 0 }), /"n_head" must be a positive integer/);
    assert.throws(() => parseConfig({ ...gpt2, n_head: 5 }), /not divisible by the 5 heads/);
    assert.throws(() => parseConfig({ ...gpt2, activation_function: 'swish' }), /activation "swish"/);
    assert.throws(() => parseConfig('x'), /JSON object/);
  });
  it('DistilBERT and BERT fields, n_inner null → 4·n_embd', () => {
    assert.equal(parseConfig({ ...gpt2, n_inner: null }).ffnHidden, 128);
    const d = parseConfig({ model_type: 'distilbert', dim: 32, n_heads: 4, n_layers: 2, hidden_dim: 64, vocab_size: 10, sinusoidal_pos_embds: true });
    assert.equal(d.sinusoidalPositions, true);
    assert.equal(d.norm, 'post');
  });
  it('sequences longer than the positions, unknown ids and bad masks are refused with a message', () => {
    const model = loadModel(join(HF_FIXTURES, 'models', 'gpt2-tiny'), { threads: 0 });
    assert.throws(() => runModel(model, { ids: new Array(65).fill(1) }), /65 tokens is more than this model's 64 positions/);
    assert.throws(() => runModel(model, { ids: [50257] }), /outside the model's vocabulary/);
    assert.throws(() => runModel(model, { ids: [] }), /no tokens/);
    assert.throws(() => runModel(model, { ids: [1, 2], attentionMask: [1] }), /attentionMask has 1 entries for 2 tokens/);
    model.dispose();
  });
});
