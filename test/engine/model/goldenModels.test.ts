/**
 * The forward passes against Hugging Face transformers (../shared/fixtures/hf/models/*
 * /golden.json, float32, eager attention): attentions, embeddings and last hidden states
 * within 1e-4, GPT-2's top-10 next-token logits (ids equal, values within 1e-3), BERT and
 * DistilBERT MLM top-5 at [MASK]; the Llama-family decoders (llama-tiny: RoPE, RMSNorm,
 * SwiGLU, GQA, untied head; qwen2-tiny: q/k/v biases, θ 10⁶, tied; gemma3-tiny: (1 + w) norms,
 * sandwich norms, GeGLU, alternating sliding/full layers with two RoPE θ) likewise; roberta-tiny
 * (positions offset by pad_token_id + 1) and albert-tiny (factorized embeddings, one shared layer)
 * with their MLM top-5 at every position. Each model runs on both kernels (WebAssembly SIMD and
 * TypeScript).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logitsAt, topLogits } from '../../../src/engine/model/heads';
import { loadModel, runModel, type LoadedModel } from '../../../src/engine/model/loadModel';
import { HF_FIXTURES } from '../fixtures';

interface ModelCase {
  kind?: string;
  text: string;
  input_ids: number[];
  token_type_ids?: number[];
  attention_mask?: number[];
  attentions: number[][][][];
  embeddings_out: number[][];
  hidden_states_last: number[][];
  last_logits_top10?: { ids: number[]; values: number[] };
  logits_first8_each_pos?: number[][];
  mlm_top5_at_mask?: { pos: number; ids: number[]; values: number[] }[];
  greedy_new_ids?: number[];
  logits_top5_each_pos?: { ids: number[]; values: number[] }[];
}

const TOL = 1e-4;

function maxDiff2d(expected: number[][], actual: Float32Array): number {
  let d = 0;
  const width = expected[0].length;
  expected.forEach((row, i) => row.forEach((v, j) => { d = Math.max(d, Math.abs(v - actual[i * width + j])); }));
  return d;
}

/** The shared Hugging Face fixtures, and the project's own (tools/reference/*.py made them). */
const FOLDERS: [string, string][] = [
  ...['gpt2-tiny', 'bert-tiny', 'distilbert-tiny', 'roberta-tiny', 'llama-tiny', 'qwen2-tiny'].map((n): [string, string] => [n, join(HF_FIXTURES, 'models', n)]),
  ['gemma3-tiny', join(__dirname, '..', '..', 'fixtures', 'decoders', 'gemma3-tiny')], // tools/reference/gemma3_golden.py
  ['albert-tiny', join(__dirname, '..', '..', 'fixtures', 'seq2seq', 'albert-tiny')], // tools/reference/seq2seq_goldens.py
];

for (const [name, folder] of FOLDERS) {
  const golden = JSON.parse(readFileSync(join(folder, 'golden.json'), 'utf8')) as { cases: ModelCase[] };
  for (const kernels of ['wasm', 'typescript'] as const) {
    describe(`${name} = transformers (${kernels} kernels)`, () => {
      let model: LoadedModel;
      before(() => { model = loadModel(folder, { kernels, threads: 1 }); });
      after(() => model.dispose());

      it('has the reference cases', () => assert.ok(golden.cases.length >= 2));

      for (const c of golden.cases) {
        it(`${c.kind ?? 'single'}: ${JSON.stringify(c.text).slice(0, 50)}`, () => {
          const r = runModel(model, { ids: c.input_ids, typeIds: c.token_type_ids, attentionMask: c.attention_mask }, { record: 'all' });
          const T = r.T;
          assert.equal(r.layers.length, c.attentions.length);
          let worst = 0;
          c.attentions.forEach((layer, l) => layer.forEach((head, h) => {
            assert.ok(r.layers[l].heads[h].weights, 'weights recorded');
            worst = Math.max(worst, maxDiff2d(head, r.layers[l].heads[h].weights!));
          }));
          assert.ok(worst < TOL, `attention max |Δ| ${worst}`);
          assert.ok(maxDiff2d(c.embeddings_out, r.embeddings) < TOL, 'embeddings_out');
          assert.ok(maxDiff2d(c.hidden_states_last, r.hidden) < TOL, 'hidden_states_last');

          if (c.attention_mask?.includes(0)) {
            // padded keys get exactly zero weight, in every row of every head
            for (const layer of r.layers) for (const head of layer.heads) {
              for (let q = 0; q < T; q++) c.attention_mask.forEach((m, k) => { if (m === 0) assert.equal(head.weights![q * T + k], 0); });
            }
          }
          if (c.last_logits_top10) {
            const top = topLogits(logitsAt(model.config, model.weights, r.hidden, T - 1, model.kernels), 10);
            assert.deepEqual(top.map((t) => t.id), c.last_logits_top10.ids);
            top.forEach((t, i) => assert.ok(Math.abs(t.logit - c.last_logits_top10!.values[i]) < 1e-3, `logit ${i}`));
          }
          if (c.logits_first8_each_pos) {
            c.logits_first8_each_pos.forEach((row, pos) => {
              const logits = logitsAt(model.config, model.weights, r.hidden, pos, model.kernels);
              row.forEach((v, i) => assert.ok(Math.abs(v - logits[i]) < 1e-3, `logit[${pos}][${i}]`));
            });
          }
          for (const [pos, m] of (c.logits_top5_each_pos ?? []).entries()) { // RoBERTa's MLM head at every position
            const top = topLogits(logitsAt(model.config, model.weights, r.hidden, pos, model.kernels), 5);
            assert.deepEqual(top.map((t) => t.id), m.ids, `top-5 at ${pos}`);
            top.forEach((t, i) => assert.ok(Math.abs(t.logit - m.values[i]) < 1e-3, `logit ${i} at ${pos}`));
          }
          if (c.greedy_new_ids) {
            // generate(do_sample=False): the argmax appended, each step a full pass over the longer input
            const ids = [...c.input_ids];
            for (let step = 0; step < c.greedy_new_ids.length; step++) {
              const p = runModel(model, { ids }, { record: 'none' });
              ids.push(topLogits(logitsAt(model.config, model.weights, p.hidden, p.T - 1, model.kernels), 1)[0].id);
            }
            assert.deepEqual(ids.slice(c.input_ids.length), c.greedy_new_ids);
          }
          for (const m of c.mlm_top5_at_mask ?? []) {
            const top = topLogits(logitsAt(model.config, model.weights, r.hidden, m.pos, model.kernels), 5);
            assert.deepEqual(top.map((t) => t.id), m.ids);
            top.forEach((t, i) => assert.ok(Math.abs(t.logit - m.values[i]) < 1e-3, `mlm logit ${i}`));
          }
        });
      }
    });
  }
}
