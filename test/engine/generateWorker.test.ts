/**
 * The engine worker's generate request, behind the panel's Generate view: the handler
 * streams a start and one event per token whose ids are transformers' greedy continuation
 * (llama-tiny's golden.json) and whose first attention rows are transformers' last prompt
 * row; later rows equal a full pass over the same prefix. Through the built worker thread
 * and the host's EngineClient: steps arrive while the request runs, a cancel mid-way keeps
 * what was made, and the worker then serves the next request. BERT is refused by name.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { handle } from '../../src/engine/worker/handlers';
import { EngineClient } from '../../src/host/engineClient';
import type { GenerateEvent, GenerateStepView } from '../../src/shared/generateProtocol';
import { HF_FIXTURES, readFixture } from './fixtures';

const dist = resolve(__dirname, '..', '..', 'dist');
const llama = join(HF_FIXTURES, 'models', 'llama-tiny');
const golden = JSON.parse(readFixture('models', 'llama-tiny', 'golden.json')).cases[0] as { input_ids: number[]; greedy_new_ids: number[]; attentions: number[][][][] };

describe('engine worker: generate', () => {
  it('streams the start and each token: transformers\' greedy ids, attention rows of the query that chose each', () => {
    const events: GenerateEvent[] = [];
    const n = golden.greedy_new_ids.length;
    const r = handle({ kind: 'generate', model: llama, ids: golden.input_ids, settings: { maxNewTokens: n }, compareWithoutCache: 4 }, undefined, (e) => events.push(e));
    const [start, ...rest] = events;
    assert.ok(start.kind === 'start');
    assert.deepEqual(start.prompt.map((p) => p.id), golden.input_ids);
    assert.equal(start.attentionRecorded, true);
    const steps = rest.map((e) => (e.kind === 'step' ? e.step : undefined)) as GenerateStepView[];
    assert.deepEqual(steps.map((s) => s.id), golden.greedy_new_ids);
    assert.deepEqual(r.newIds, golden.greedy_new_ids);
    assert.equal(r.stoppedBy, 'max-new-tokens');
    // step 0's rows are the last prompt position's rows in transformers' attentions
    const P = golden.input_ids.length;
    for (let l = 0; l < 2; l++) for (let h = 0; h < 4; h++) {
      golden.attentions[l][h][P - 1].forEach((v, k) => assert.ok(Math.abs(v - steps[0].attentions![l][h * P + k]) < 1e-4, `L${l} H${h} key ${k}`));
    }
    // a later step's rows: the full pass over the prefix it read, at its last position
    const i = 5, keys = P + i;
    assert.equal(steps[i].keys, keys);
    const full = handle({ kind: 'attention', model: llama, ids: [...golden.input_ids, ...golden.greedy_new_ids.slice(0, i)], record: 'weights' });
    for (let l = 0; l < 2; l++) for (let h = 0; h < 4; h++) for (let k = 0; k < keys; k++) {
      assert.ok(Math.abs(full.attentions[l][h * keys * keys + (keys - 1) * keys + k] - steps[i].attentions![l][h * keys + k]) < 1e-5);
    }
    // greedy: each step's probability is the top alternative's, and the comparison without the cache chose the same ids
    for (const s of steps) { assert.equal(s.top[0].id, s.id); assert.equal(s.top[0].prob, s.prob); }
    assert.equal(r.withoutCache?.tokens, 4);
    assert.equal(r.withoutCache?.sameIds, true);
  });

  it('seeded sampling replays; a bad setting and a model without an LM head are refused by name', () => {
    const ask = () => handle({ kind: 'generate', model: llama, ids: golden.input_ids, settings: { maxNewTokens: 6, sampling: { temperature: 1.5, topK: 0, topP: 1 }, seed: 11 } });
    assert.deepEqual(ask().newIds, ask().newIds);
    assert.throws(() => handle({ kind: 'generate', model: llama, ids: [1], settings: { maxNewTokens: 0 } }), /max new tokens must be a whole number from 1 to 512, got 0/);
    assert.throws(() => handle({ kind: 'generate', model: 'tiny-bert', text: 'paris is the [MASK] of france .', settings: { maxNewTokens: 3 } }), /tiny-bert is not a generative model: it is a masked language model/);
  });

  (existsSync(join(dist, 'engineWorker.js')) ? it : it.skip)('the built worker streams steps while it runs, stops on cancel keeping them, then serves the next request', async () => {
    const engine = new EngineClient(dist);
    try {
      const streamed: GenerateStepView[] = [];
      let cancelledAt = -1;
      const job = engine.generate({ model: 'tiny-gpt', text: 'The quick brown fox', settings: { maxNewTokens: 200 }, compareWithoutCache: 8 }, (e) => {
        if (e.kind !== 'step') return;
        streamed.push(e.step);
        if (streamed.length === 3) { cancelledAt = 3; job.cancel(); }
      });
      const r = await job.result;
      assert.equal(cancelledAt, 3, 'the third step arrived while the request was still running');
      assert.equal(r.stoppedBy, 'cancelled');
      assert.ok(r.newIds.length >= 3 && r.newIds.length < 200, `${r.newIds.length} tokens before the cancel took`);
      assert.deepEqual(streamed.map((s) => s.id), r.newIds, 'every token made was streamed, in order');
      assert.ok(streamed.every((s) => s.attentions?.length === 4 && s.attentions.every((a) => a instanceof Float32Array && a.length === 4 * s.keys)), 'rows [NH, keys] per layer crossed as Float32Arrays');
      assert.equal(r.withoutCache, undefined, 'no comparison after a cancel');
      const next = await engine.generate({ model: 'tiny-gpt', text: 'The quick brown fox', settings: { maxNewTokens: 5 } }, () => undefined).result;
      assert.equal(next.stoppedBy, 'max-new-tokens');
      const shared = Math.min(5, r.newIds.length);
      assert.deepEqual(next.newIds.slice(0, shared), r.newIds.slice(0, shared), 'greedy: the same first tokens');
    } finally {
      engine.dispose();
    }
  });
});
