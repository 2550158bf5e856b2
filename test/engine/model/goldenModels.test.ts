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
import { join } from 'node:path';
import { logitsAt, topLogits } from '../../../src/engine/model/heads';
import { runModel } from '../../../src/engine/model/loadModel';
import { HF_FIXTURES } from '../fixtures';
import { assertForwardMatches, describeGoldenPerKernel, LOGIT_TOL, type ForwardCase } from './goldenHarness';

interface ModelCase extends ForwardCase {
  kind?: string;
  text: string;
  token_type_ids?: number[];
  attention_mask?: number[];
  mlm_top5_at_mask?: { pos: number; ids: number[]; values: number[] }[];
  logits_top5_each_pos?: { ids: number[]; values: number[] }[];
}

/** The shared Hugging Face fixtures, and the project's own (tools/reference/*.py made them). */
const FOLDERS: [string, string][] = [
  ...['gpt2-tiny', 'bert-tiny', 'distilbert-tiny', 'roberta-tiny', 'llama-tiny', 'qwen2-tiny'].map((n): [string, string] => [n, join(HF_FIXTURES, 'models', n)]),
  ['gemma3-tiny', join(__dirname, '..', '..', 'fixtures', 'decoders', 'gemma3-tiny')], // tools/reference/gemma3_golden.py
  ['albert-tiny', join(__dirname, '..', '..', 'fixtures', 'seq2seq', 'albert-tiny')], // tools/reference/seq2seq_goldens.py
];

for (const [name, folder] of FOLDERS) {
  describeGoldenPerKernel<ModelCase>(name, folder, (cases, loaded) => {
    it('has the reference cases', () => assert.ok(cases.length >= 2));

    for (const c of cases) {
      it(`${c.kind ?? 'single'}: ${JSON.stringify(c.text).slice(0, 50)}`, () => {
        const model = loaded();
        const r = runModel(model, { ids: c.input_ids, typeIds: c.token_type_ids, attentionMask: c.attention_mask }, { record: 'all' });
        assertForwardMatches(model, r, c);
        const T = r.T;
        if (c.attention_mask?.includes(0)) {
          // padded keys get exactly zero weight, in every row of every head
          for (const layer of r.layers) for (const head of layer.heads) {
            for (let q = 0; q < T; q++) c.attention_mask.forEach((m, k) => { if (m === 0) assert.equal(head.weights![q * T + k], 0); });
          }
        }
        for (const [pos, m] of (c.logits_top5_each_pos ?? []).entries()) { // RoBERTa's MLM head at every position
          const top = topLogits(logitsAt(model.config, model.weights, r.hidden, pos, model.kernels), 5);
          assert.deepEqual(top.map((t) => t.id), m.ids, `top-5 at ${pos}`);
          top.forEach((t, i) => assert.ok(Math.abs(t.logit - m.values[i]) < LOGIT_TOL, `logit ${i} at ${pos}`));
        }
        for (const m of c.mlm_top5_at_mask ?? []) {
          const top = topLogits(logitsAt(model.config, model.weights, r.hidden, m.pos, model.kernels), 5);
          assert.deepEqual(top.map((t) => t.id), m.ids);
          top.forEach((t, i) => assert.ok(Math.abs(t.logit - m.values[i]) < LOGIT_TOL, `mlm logit ${i}`));
        }
      });
    }
  });
}
