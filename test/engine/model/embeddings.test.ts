/**
 * Embeddings with the model's numbers: a token's vector is its row of the checkpoint's
 * embedding matrix (read back from model.safetensors here, independently of the loader);
 * nearest tokens by cosine agree with a brute-force float64 scan; the same token in two
 * contexts is identical after the embeddings in a model without position vectors (Llama:
 * static) and differs after the layers (contextual); dot / cosine / −‖q−k‖² by formula.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextualSimilarity, cosine, nearestTokens, similarities, tokenVector } from '../../../src/engine/model/embeddings';
import { loadModel, type LoadedModel } from '../../../src/engine/model/loadModel';
import { HF_FIXTURES } from '../fixtures';

/** One F32 tensor straight from a safetensors file: 8-byte header length, JSON header, data. */
function safetensorsRow(file: string, name: string, row: number): number[] {
  const buf = readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const t = header[name];
  const [, C] = t.shape as number[];
  const start = 8 + n + t.data_offsets[0] + row * C * 4;
  return Array.from({ length: C }, (_, c) => buf.readFloatLE(start + c * 4));
}

describe('embeddings', () => {
  let llama: LoadedModel;
  const folder = join(HF_FIXTURES, 'models', 'llama-tiny');
  before(() => { llama = loadModel(folder, { threads: 1 }); });
  after(() => llama.dispose());

  it('a token id picks its row of the embedding matrix', () => {
    assert.deepEqual(Array.from(tokenVector(llama, 4996)), safetensorsRow(join(folder, 'model.safetensors'), 'model.embed_tokens.weight', 4996));
    assert.throws(() => tokenVector(llama, 32000), /outside the model's vocabulary/);
  });

  it('nearest tokens by cosine = a brute-force float64 scan', () => {
    const near = nearestTokens(llama, 4996, 5);
    const v = Array.from(tokenVector(llama, 4996));
    const all = Array.from({ length: 32000 }, (_, t) => ({ id: t, cosine: t === 4996 ? -Infinity : cosine(v, tokenVector(llama, t)) })).sort((a, b) => b.cosine - a.cosine).slice(0, 5);
    assert.deepEqual(near.map((n) => n.id), all.map((n) => n.id));
    near.forEach((n, i) => assert.ok(Math.abs(n.cosine - all[i].cosine) < 1e-9));
  });

  it('the same token in two contexts: static after the embeddings (RoPE adds no position vector), contextual after the layers', () => {
    // "▁bank" (5206) in "river bank" and "the bank account" (Llama 2's tokenizer)
    const a = [1, 7782, 5206], b = [1, 272, 5206, 2708];
    const sims = contextualSimilarity(llama, a, 2, b, 2);
    assert.equal(sims.length, llama.config.layers + 1);
    assert.ok(Math.abs(sims[0].cosine - 1) < 1e-6, `layer 0: ${sims[0].cosine}`);
    assert.ok(sims[llama.config.layers].cosine < 0.999, `last layer: ${sims[llama.config.layers].cosine}`);
  });

  it('dot, cosine and −‖q − k‖² by their formulas', () => {
    const s = similarities([3, 4], [6, 8]);
    assert.equal(s.dot, 50);
    assert.ok(Math.abs(s.cosine - 1) < 1e-12, 'the same direction: cosine 1 whatever the lengths');
    assert.equal(s.negSquaredDistance, -25);
    assert.equal(s.qNorm, 5);
    assert.equal(s.kNorm, 10);
  });
});
