/**
 * Hostile checkpoints: NaN or ±Infinity weights (F32, F16, BF16), config.json sizes that
 * would allocate gigabytes, FIFOs in place of config.json or model.safetensors. Each is a
 * ModelError naming the tensor, the field or the file; the untouched fixture next to them
 * still loads, so the checks cannot pass by refusing everything.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineClient } from '../../../src/host/engineClient';
import { openCheckpoint } from '../../../src/engine/model/checkpoint';
import { parseConfig } from '../../../src/engine/model/config';
import { encodeSafetensors } from '../../../src/engine/model/safetensorsWrite';
import { loadModel, runModel } from '../../../src/engine/model/loadModel';
import { ModelError } from '../../../src/engine/model/modelError';
import { memorySource, readHeader } from '../../../src/engine/model/safetensors';
import { HF_FIXTURES } from '../fixtures';

const FIXTURE = join(HF_FIXTURES, 'models', 'gpt2-tiny');
const TARGET = 'h.0.attn.c_attn.weight';

/** A copy of the gpt2-tiny fixture whose tensor `name` has element `index` (or every element: -1) set to `value`. */
function poisoned(dir: string, name: string, index: number, value: number): string {
  const folder = mkdtempSync(join(dir, 'ck-'));
  copyFileSync(join(FIXTURE, 'config.json'), join(folder, 'config.json'));
  const bytes = new Uint8Array(readFileSync(join(FIXTURE, 'model.safetensors')));
  const header = readHeader(memorySource(bytes), 'fixture');
  const stored = [...header.tensors.keys()].find((k) => k === name || k.endsWith(`.${name}`))!;
  const t = header.tensors.get(stored)!;
  assert.equal(t.dtype, 'F32', 'the fixture stores float32');
  const view = new DataView(bytes.buffer);
  for (let i = index < 0 ? 0 : index; i < (index < 0 ? (t.end - t.begin) / 4 : index + 1); i++) view.setFloat32(header.dataStart + t.begin + 4 * i, value, true);
  writeFileSync(join(folder, 'model.safetensors'), bytes);
  return folder;
}

function refusesModel(folder: string, message: RegExp): void {
  assert.throws(() => loadModel(folder, { kernels: 'typescript' }), (e: Error) => e instanceof ModelError && message.test(e.message));
}

describe('hostile checkpoints: non-finite weights', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'tt-ck-hostile-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the untouched fixture loads', () => {
    const m = loadModel(FIXTURE, { kernels: 'typescript' });
    assert.ok(m.weights.floats > 0);
    m.dispose();
  });

  for (const [label, value] of [['NaN', NaN], ['+Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
    it(`a ${label} weight is refused, naming the tensor and the index`, () => {
      refusesModel(poisoned(dir, TARGET, 17, value), new RegExp(`tensor (transformer\\.)?${TARGET.replace(/\./g, '\\.')} holds ${label.replace('+', '\\+')} at index 17 of`));
    });
  }

  it('a NaN in ln_f.bias, the last tensor read, is found too', () => {
    refusesModel(poisoned(dir, 'ln_f.bias', 0, NaN), /ln_f\.bias holds NaN at index 0/);
  });

  it('the panel gets the same message from the engine worker (what its attention view shows)', async function () {
    const dist = resolve(__dirname, '..', '..', '..', 'dist');
    if (!existsSync(join(dist, 'engineWorker.js'))) this.skip(); // npm test builds first
    const engine = new EngineClient(dist);
    try {
      await assert.rejects(engine.attention({ model: poisoned(dir, TARGET, 5, NaN), text: 'hello', record: 'weights' }).result, /holds NaN at index 5 of/);
    } finally {
      engine.dispose();
    }
  });

  it('finite weights that overflow float32 in the forward pass are refused, not printed as NaN', () => {
    const m = loadModel(poisoned(dir, 'ln_f.weight', -1, 3e38), { kernels: 'typescript' });
    try {
      assert.throws(() => runModel(m, { ids: [1, 2, 3] }), /the forward pass produced (NaN|an infinite value) in the last hidden state at position 0/);
    } finally {
      m.dispose();
    }
    const ok = loadModel(FIXTURE, { kernels: 'typescript' });
    assert.ok(runModel(ok, { ids: [1, 2, 3] }).hidden.every(Number.isFinite));
    ok.dispose();
  });

  for (const [dtype, bits] of [['F16', 0x7e00], ['F16', 0xfc00], ['BF16', 0x7fc0], ['BF16', 0x7f80]] as const) {
    it(`a ${dtype} tensor holding 0x${bits.toString(16)} (${bits === 0x7e00 || bits === 0x7fc0 ? 'NaN' : 'infinite'}) is refused when read`, () => {
      const folder = mkdtempSync(join(dir, 'half-'));
      writeFileSync(join(folder, 'config.json'), '{"model_type": "gpt2"}');
      const halves = new Uint16Array([0x3c00, 0x3c00, bits, 0]);
      writeFileSync(join(folder, 'model.safetensors'), Buffer.concat(encodeSafetensors([{ name: 'w', dtype, shape: [4], bytes: new Uint8Array(halves.buffer) }])));
      const ck = openCheckpoint(folder);
      try {
        assert.throws(() => ck.readF32('w'), /tensor w holds (NaN|-Infinity|\+Infinity) at index 2 of 4/);
      } finally {
        ck.close();
      }
    });
  }

  it('the largest finite float32 is a weight like any other', () => {
    const m = loadModel(poisoned(dir, TARGET, 3, 3.4028234663852886e38), { kernels: 'typescript' });
    m.dispose();
  });
});

describe('hostile checkpoints: sizes in config.json', () => {
  const gpt2 = (extra: Record<string, unknown>) => ({ model_type: 'gpt2', vocab_size: 100, n_positions: 64, n_embd: 8, n_head: 2, n_layer: 2, ...extra });

  it('a small config parses', () => assert.equal(parseConfig(gpt2({})).ffnHidden, 32));
  it('n_inner 1e9 is refused before anything is allocated, naming n_inner', () => {
    assert.throws(() => parseConfig(gpt2({ n_inner: 1e9 })), (e: Error) => e instanceof ModelError && /n_inner 1000000000 × n_embd 8/.test(e.message));
  });
  it('vocab_size 1e12 is refused, naming vocab_size', () => {
    assert.throws(() => parseConfig(gpt2({ vocab_size: 1e12 })), /vocab_size 1000000000000 × n_embd 8/);
  });
  it('n_positions over the limit is refused, naming n_positions', () => {
    assert.throws(() => parseConfig(gpt2({ n_positions: 1e8 })), /"n_positions" is 100000000; the engine handles at most/);
  });
  it('a thousand wide layers are refused for the total they need', () => {
    assert.throws(() => parseConfig(gpt2({ n_layer: 4000, n_embd: 2048, n_head: 16 })), /GiB of float32 weights, over the 8 GiB budget \(most of it from n_layer, n_embd and n_inner\)/);
  });
  it('BERT names its own fields', () => {
    assert.throws(() => parseConfig({ model_type: 'bert', vocab_size: 30, hidden_size: 8, num_attention_heads: 2, num_hidden_layers: 1, intermediate_size: 2e9 }), /intermediate_size 2000000000 × hidden_size 8/);
  });
  for (const bad of [1.5, -4, '8', 0, 2 ** 60]) {
    it(`n_embd ${JSON.stringify(bad)} is refused`, () => assert.throws(() => parseConfig(gpt2({ n_embd: bad })), ModelError));
  }
});

describe('hostile checkpoints: files that are not files', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'tt-ck-fifo-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a FIFO as config.json is refused at once', () => {
    const folder = mkdtempSync(join(dir, 'cfg-'));
    copyFileSync(join(FIXTURE, 'model.safetensors'), join(folder, 'model.safetensors'));
    execFileSync('mkfifo', [join(folder, 'config.json')]);
    refusesModel(folder, /config\.json is a FIFO \(named pipe\), not a regular file/);
  });

  it('a FIFO as model.safetensors is refused at once', () => {
    const folder = mkdtempSync(join(dir, 'st-'));
    copyFileSync(join(FIXTURE, 'config.json'), join(folder, 'config.json'));
    execFileSync('mkfifo', [join(folder, 'model.safetensors')]);
    refusesModel(folder, /model\.safetensors is a FIFO \(named pipe\), not a regular file/);
    unlinkSync(join(folder, 'model.safetensors'));
  });
});
