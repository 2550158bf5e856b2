/**
 * What the golden-model tests (goldenModels, modernDecoders, goldenSeq2Seq) share: the largest
 * |Δ| of a transformers matrix against one of ours, and a golden.json's cases run once per
 * kernel build (WebAssembly SIMD and TypeScript) on a model loaded once per build.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logitsAt, topLogits } from '../../../src/engine/model/heads';
import { loadModel, runModel, type LoadedModel } from '../../../src/engine/model/loadModel';
import type { ForwardResult } from '../../../src/engine/model/transformer';

/** max |expected[i][j] − actual[i·width + j]|, rows for which skipRow answers true left out. */
export function maxDiff2d(expected: number[][], actual: Float32Array, skipRow?: (row: number) => boolean): number {
  let d = 0;
  const width = expected[0].length;
  expected.forEach((row, i) => { if (!skipRow?.(i)) row.forEach((v, j) => { d = Math.max(d, Math.abs(v - actual[i * width + j])); }); });
  return d;
}

/** One `describe` per kernel build for the model in `folder`; `body` gets its cases and the loaded model. */
export function describeGoldenPerKernel<Case>(name: string, folder: string, body: (cases: Case[], model: () => LoadedModel) => void): void {
  const golden = JSON.parse(readFileSync(join(folder, 'golden.json'), 'utf8')) as { cases: Case[] };
  for (const kernels of ['wasm', 'typescript'] as const) {
    describe(`${name} = transformers (${kernels} kernels)`, () => {
      let model: LoadedModel;
      before(() => { model = loadModel(folder, { kernels, threads: 1 }); });
      after(() => model.dispose());
      body(golden.cases, () => model);
    });
  }
}

/** The fields of a golden case that every decoder/encoder fixture may carry. */
export interface ForwardCase {
  input_ids: number[];
  attentions: number[][][][];
  embeddings_out: number[][];
  hidden_states_last: number[][];
  last_logits_top10?: { ids: number[]; values: number[] };
  logits_first8_each_pos?: number[][];
  greedy_new_ids?: number[];
}

export const TOL = 1e-4;
export const LOGIT_TOL = 1e-3;

/**
 * One forward pass (run with record: 'all') against transformers: every head's attention, the
 * embeddings and last hidden states within 1e-4; where the case has them, the top-10 next-token
 * ids (values within 1e-3), the first 8 logits at every position, and greedy ids by repeated
 * full passes (generate(do_sample=False, use_cache=False)).
 */
export function assertForwardMatches(model: LoadedModel, r: ForwardResult, c: ForwardCase): void {
  assert.equal(r.layers.length, c.attentions.length);
  let worst = 0;
  c.attentions.forEach((layer, l) => {
    assert.equal(r.layers[l].heads.length, layer.length, `layer ${l} heads`);
    layer.forEach((head, h) => {
      assert.ok(r.layers[l].heads[h].weights, 'weights recorded');
      worst = Math.max(worst, maxDiff2d(head, r.layers[l].heads[h].weights!));
    });
  });
  assert.ok(worst < TOL, `attention max |Δ| ${worst}`);
  const emb = maxDiff2d(c.embeddings_out, r.embeddings), hid = maxDiff2d(c.hidden_states_last, r.hidden);
  assert.ok(emb < TOL, `embeddings_out max |Δ| ${emb}`);
  assert.ok(hid < TOL, `hidden_states_last max |Δ| ${hid}`);
  const logits = (hidden: Float32Array, pos: number) => logitsAt(model.config, model.weights, hidden, pos, model.kernels);
  if (c.last_logits_top10) {
    const want = c.last_logits_top10;
    const top = topLogits(logits(r.hidden, r.T - 1), 10);
    assert.deepEqual(top.map((t) => t.id), want.ids);
    top.forEach((t, i) => assert.ok(Math.abs(t.logit - want.values[i]) < LOGIT_TOL, `top logit ${i}: ${t.logit} vs ${want.values[i]}`));
  }
  c.logits_first8_each_pos?.forEach((row, pos) => {
    const got = logits(r.hidden, pos);
    row.forEach((v, i) => assert.ok(Math.abs(v - got[i]) < LOGIT_TOL, `logit[${pos}][${i}]: ${got[i]} vs ${v}`));
  });
  if (c.greedy_new_ids) {
    const ids = [...c.input_ids];
    for (let step = 0; step < c.greedy_new_ids.length; step++) {
      const p = runModel(model, { ids }, { record: 'none' });
      ids.push(topLogits(logits(p.hidden, p.T - 1), 1)[0].id);
    }
    assert.deepEqual(ids.slice(c.input_ids.length), c.greedy_new_ids);
  }
}
