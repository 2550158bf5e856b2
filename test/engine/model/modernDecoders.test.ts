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
import { logitsAt, topLogits } from '../../../src/engine/model/heads';
import { loadModel, runModel, type LoadedModel } from '../../../src/engine/model/loadModel';

export const DECODER_FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'decoders');

interface DecoderCase {
  kind: string;
  input_ids: number[];
  attentions: number[][][][];
  embeddings_out: number[][];
  hidden_states_last: number[][];
  last_logits_top10: { ids: number[]; values: number[] };
  logits_first8_each_pos: number[][];
  greedy_new_ids: number[];
}

const TOL = 1e-4;
const LOGIT_TOL = 1e-3;
const NAMES = ['qwen3-tiny', 'mistral-window', 'qwen2-window', 'llama-rope-llama3', 'llama-rope-linear', 'llama-rope-dynamic',
  'llama-mqa', 'llama-bias', 'llama-f16', 'llama-bf16', 'llama-oldconfig', 'llama-smollm2-shape'];

function maxDiff2d(expected: number[][], actual: Float32Array): number {
  let d = 0;
  const width = expected[0].length;
  expected.forEach((row, i) => row.forEach((v, j) => { d = Math.max(d, Math.abs(v - actual[i * width + j])); }));
  return d;
}

for (const name of NAMES) {
  const folder = join(DECODER_FIXTURES, name);
  const golden = JSON.parse(readFileSync(join(folder, 'golden.json'), 'utf8')) as { cases: DecoderCase[] };
  for (const kernels of ['wasm', 'typescript'] as const) {
    describe(`${name} = transformers (${kernels} kernels)`, () => {
      let model: LoadedModel;
      before(() => { model = loadModel(folder, { kernels, threads: 1 }); });
      after(() => model.dispose());

      it('has the reference cases', () => assert.ok(golden.cases.length >= 2));

      for (const c of golden.cases) {
        it(`${c.kind}: attentions, hidden states, logits and greedy ids`, () => {
          const r = runModel(model, { ids: c.input_ids }, { record: 'all' });
          assert.equal(r.layers.length, c.attentions.length);
          let worst = 0;
          c.attentions.forEach((layer, l) => {
            assert.equal(r.layers[l].heads.length, layer.length, `layer ${l} heads`);
            layer.forEach((head, h) => { worst = Math.max(worst, maxDiff2d(head, r.layers[l].heads[h].weights!)); });
          });
          assert.ok(worst < TOL, `attention max |Δ| ${worst}`);
          const emb = maxDiff2d(c.embeddings_out, r.embeddings), hid = maxDiff2d(c.hidden_states_last, r.hidden);
          assert.ok(emb < TOL, `embeddings_out max |Δ| ${emb}`);
          assert.ok(hid < TOL, `hidden_states_last max |Δ| ${hid}`);

          const top = topLogits(logitsAt(model.config, model.weights, r.hidden, r.T - 1, model.kernels), 10);
          assert.deepEqual(top.map((t) => t.id), c.last_logits_top10.ids);
          top.forEach((t, i) => assert.ok(Math.abs(t.logit - c.last_logits_top10.values[i]) < LOGIT_TOL, `top logit ${i}: ${t.logit} vs ${c.last_logits_top10.values[i]}`));
          c.logits_first8_each_pos.forEach((row, pos) => {
            const logits = logitsAt(model.config, model.weights, r.hidden, pos, model.kernels);
            row.forEach((v, i) => assert.ok(Math.abs(v - logits[i]) < LOGIT_TOL, `logit[${pos}][${i}]: ${logits[i]} vs ${v}`));
          });

          // generate(do_sample=False, use_cache=False): the argmax appended, a full pass over the longer input each step
          const ids = [...c.input_ids];
          for (let step = 0; step < c.greedy_new_ids.length; step++) {
            const p = runModel(model, { ids }, { record: 'none' });
            ids.push(topLogits(logitsAt(model.config, model.weights, p.hidden, p.T - 1, model.kernels), 1)[0].id);
          }
          assert.deepEqual(ids.slice(c.input_ids.length), c.greedy_new_ids);
        });
      }
    });
  }
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
