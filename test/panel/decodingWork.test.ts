/**
 * The Generate view's arithmetic (src/shared/decodingWork.ts) against references we did
 * not write: the weight multiply-adds per token are the checkpoint's own matrices (read
 * from the safetensors header here, not through the engine) and, for GPT-2 small, Kaplan
 * et al. 2020's N = 2·d_model·n_layer·(2·d_attn + d_ff); the attention pairs a step reads
 * are the weights the engine's full pass leaves non-zero under its causal and sliding
 * masks; the cache bytes are what generate() reports it holds.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { handle } from '../../src/engine/worker/handlers';
import { causalPairs, kvBytes, macsWithCache, macsWithoutCache, type WorkShape } from '../../src/shared/decodingWork';
import type { GenerateEvent } from '../../src/shared/generateProtocol';
import { HF_FIXTURES } from '../engine/fixtures';

const GEMMA = resolve(__dirname, '..', 'fixtures', 'decoders', 'gemma3-tiny');

/** Tensor shapes from a safetensors file's JSON header (8-byte length, then JSON). */
function tensorShapes(file: string): Record<string, number[]> {
  const buf = readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { shape?: number[] }>;
  return Object.fromEntries(Object.entries(header).filter(([k]) => k !== '__metadata__').map(([k, v]) => [k, v.shape!]));
}

const elements = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function startOf(model: string, input: { text?: string; ids?: number[] }) {
  const events: GenerateEvent[] = [];
  const summary = handle({ kind: 'generate', model, ...input, settings: { maxNewTokens: 3 } }, undefined, (e) => events.push(e));
  const start = events[0];
  assert.ok(start.kind === 'start');
  return { shape: start.shape, prompt: start.prompt.length, summary };
}

describe('decoding work: multiply-adds with and without the KV cache', () => {
  it('GPT-2 small: Kaplan\'s N for the weights, V × C for the head, 2·L·C·n for attention', () => {
    const L = 12, C = 768, F = 3072, V = 50257;
    const N = 2 * C * L * (2 * C + F); // Kaplan et al. 2020, Table 1 (non-embedding parameters)
    const gpt2: WorkShape = { layers: L, heads: 12, headDim: 64, slidingWindows: new Array(L).fill(0), weightMacs: L * (4 * C * C + 2 * C * F), headMacs: V * C };
    assert.equal(gpt2.weightMacs, N);
    assert.equal(N, 84_934_656);
    assert.equal(macsWithCache(gpt2, 193), 127_089_408);
    // without the cache: 193 tokens through the weights, the head once, 193·194/2 causal rows of q·k and w·v per head
    assert.equal(macsWithoutCache(gpt2, 193), 193 * N + V * C + 2 * L * C * (193 * 194) / 2);
  });

  for (const name of ['gpt2-tiny', 'llama-tiny']) {
    it(`${name}: the weights one token passes through are the checkpoint's matrices`, () => {
      const folder = join(HF_FIXTURES, 'models', name);
      const shapes = tensorShapes(join(folder, 'model.safetensors'));
      const matrices = Object.entries(shapes).filter(([k, s]) => /\.(h|layers)\.\d+\./.test(k) && s.length === 2 && /(attn|mlp|self_attn)/.test(k));
      const { shape } = startOf(folder, { text: 'The quick brown fox' });
      assert.equal(shape.weightMacs, matrices.reduce((a, [, s]) => a + elements(s), 0));
      const head = shapes['lm_head.weight'] ?? shapes['wte.weight'] ?? shapes['transformer.wte.weight'];
      assert.equal(shape.headMacs, elements(head));
      if (name === 'llama-tiny') assert.deepEqual([shape.heads, shape.kvHeads, shape.headDim], [4, 2, 8]); // config.json: GQA, 2 K/V heads
    });
  }

  it('the keys each query reads are the weights the full pass leaves non-zero (causal; Gemma 3\'s sliding window of 4)', () => {
    const ids = [2, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    for (const [model, input] of [[join(HF_FIXTURES, 'models', 'gpt2-tiny'), { text: 'one two three four five six seven eight' }], [GEMMA, { ids }]] as const) {
      const a = handle({ kind: 'attention', model, ...input, record: 'weights' });
      const { shape } = startOf(model, input);
      for (let l = 0; l < a.layers; l++) {
        for (let h = 0; h < a.heads; h++) {
          let nonZero = 0;
          for (let i = 0; i < a.T * a.T; i++) if (a.attentions[l][h * a.T * a.T + i] !== 0) nonZero++;
          assert.equal(nonZero, causalPairs(a.T, shape.slidingWindows[l]), `${model} L${l} H${h}`);
        }
      }
      if (model === GEMMA) assert.deepEqual(shape.slidingWindows, [4, 0, 4]);
    }
  });

  it('the cache bytes are what generate() holds: 2 · L · NKV · HD · 4 a token', () => {
    const { shape, prompt, summary } = startOf(join(HF_FIXTURES, 'models', 'llama-tiny'), { text: 'The quick brown fox' });
    // after 3 new tokens the cache holds the prompt and the first 2 (the last one is never fed back)
    assert.equal(kvBytes(shape, prompt + 2), summary.kvCacheBytes);
    assert.equal(kvBytes(shape, 1), 2 * 2 * 2 * 8 * 4);
  });
});
