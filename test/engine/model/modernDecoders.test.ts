/**
 * The modern-decoder features of the Llama family against Hugging Face transformers
 * (test/fixtures/decoders/<name>/golden.json, made by tools/reference/decoder_goldens.py,
 * float32, eager attention): Qwen3 (q/k norm, head_dim 16 ≠ 32 / 4 heads), Mistral's sliding
 * window (5) and Qwen2's (4, layer 1 only, from layer_types), RoPE scaling llama3 / linear /
 * dynamic (inputs shorter and longer than max_position_embeddings 16), MQA (1 KV head),
 * attention and MLP biases, F16 and BF16 checkpoints, a pre-v5 config.json (top-level
 * rope_theta, rope_scaling "type"), a SmolLM2-shaped config (3 query heads per KV head,
 * tied). Checks as goldenModels.test.ts: attentions, embeddings and last hidden states within
 * 1e-4, top-10 next-token ids equal (values within 1e-3), the first 8 logits at every
 * position within 1e-3, greedy ids equal by repeated full passes; both kernels, one thread.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadModel, runModel } from '../../../src/engine/model/loadModel';
import { assertForwardMatches, describeGoldenPerKernel, type ForwardCase } from './goldenHarness';

export const DECODER_FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'decoders');

interface DecoderCase extends ForwardCase {
  kind: string;
}

const NAMES = ['qwen3-tiny', 'mistral-window', 'qwen2-window', 'llama-rope-llama3', 'llama-rope-linear', 'llama-rope-dynamic',
  'llama-mqa', 'llama-bias', 'llama-f16', 'llama-bf16', 'llama-oldconfig', 'llama-smollm2-shape'];

for (const name of NAMES) {
  describeGoldenPerKernel<DecoderCase>(name, join(DECODER_FIXTURES, name), (cases, loaded) => {
    it('has the reference cases', () => assert.ok(cases.length >= 2));
    for (const c of cases) {
      it(`${c.kind}: attentions, hidden states, logits and greedy ids`, () => {
        const model = loaded();
        assert.ok(c.last_logits_top10 && c.logits_first8_each_pos && c.greedy_new_ids, 'the case carries logits and greedy ids');
        assertForwardMatches(model, runModel(model, { ids: c.input_ids }, { record: 'all' }), c);
      });
    }
  });
}

describe('modern decoders: the features the fixtures exercise are really there', () => {
  const config = (name: string) => loadModel(join(DECODER_FIXTURES, name), { kernels: 'typescript' });

  it('sliding windows: Mistral hides keys 5 or more back in every layer, Qwen2 only in layer 1 (layer_types)', () => {
    const mistral = JSON.parse(readFileSync(join(DECODER_FIXTURES, 'mistral-window', 'golden.json'), 'utf8')).cases[1] as DecoderCase;
    const row = mistral.attentions[0][0][mistral.input_ids.length - 1];
    assert.ok(row.slice(0, -5).every((v) => v === 0) && row.slice(-5).every((v) => v > 0), 'the reference itself is windowed');
    const m = config('mistral-window');
    const q = config('qwen2-window');
    try {
      assert.deepEqual(m.config.slidingWindows, [5, 5]);
      assert.deepEqual(q.config.slidingWindows, [0, 4]);
    } finally { m.dispose(); q.dispose(); }
  });

  it('Qwen3: head_dim 16 × 4 heads ≠ hidden 32, q/k norm; MQA: 1 KV head; the old config reads θ 500000 and linear × 2', () => {
    const q = config('qwen3-tiny'), mqa = config('llama-mqa'), old = config('llama-oldconfig');
    try {
      assert.equal(q.config.headDim * q.config.heads, 64);
      assert.equal(q.config.hidden, 32);
      assert.ok(q.config.qkNorm && q.weights.layers[0].qNormW);
      assert.equal(mqa.config.kvHeads, 1);
      assert.deepEqual(old.config.rope, { type: 'linear', theta: 500000, rotaryDim: 8, factor: 2 });
    } finally { q.dispose(); mqa.dispose(); old.dispose(); }
  });

  it('dynamic RoPE: the golden cases run both under and over max_position_embeddings 16', () => {
    const lengths = (JSON.parse(readFileSync(join(DECODER_FIXTURES, 'llama-rope-dynamic', 'golden.json'), 'utf8')).cases as DecoderCase[]).map((c) => c.input_ids.length);
    assert.ok(lengths.some((n) => n <= 16) && lengths.some((n) => n > 16), String(lengths));
  });
});
