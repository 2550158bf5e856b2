/**
 * Generation with the KV cache against transformers: greedy continuations equal
 * `generate(do_sample=False)` (golden.json's greedy_new_ids: llama-tiny, qwen2-tiny,
 * gemma3-tiny, whose sliding layers drop keys as the text grows), GPT-2's equal the top-1
 * chain of full passes; each cached step's logits and attention rows equal a full pass over
 * the same prefix; seeded sampling replays; bad settings are refused by name.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, greedyChoice } from '../../../src/engine/model/generate';
import { topK } from '../../../src/engine/model/kernels';
import { softmaxAt } from '../../../src/shared/sampling';
import { logitsAt } from '../../../src/engine/model/heads';
import { createKvCache, kvCacheBytes } from '../../../src/engine/model/kvCache';
import { loadModel, runModel, type LoadedModel } from '../../../src/engine/model/loadModel';
import { forward } from '../../../src/engine/model/transformer';
import { HF_FIXTURES } from '../fixtures';

const DECODERS: [string, string][] = [
  ['llama-tiny', join(HF_FIXTURES, 'models', 'llama-tiny')],
  ['qwen2-tiny', join(HF_FIXTURES, 'models', 'qwen2-tiny')],
  ['gemma3-tiny', join(__dirname, '..', '..', 'fixtures', 'decoders', 'gemma3-tiny')],
];

interface Case { input_ids: number[]; greedy_new_ids: number[] }

for (const kernels of ['wasm', 'typescript'] as const) {
  describe(`generation with the KV cache (${kernels} kernels)`, () => {
    for (const [name, folder] of DECODERS) {
      it(`${name}: greedy = transformers generate(do_sample=False)`, () => {
        const model = loadModel(folder, { kernels, threads: 1 });
        try {
          const cases = (JSON.parse(readFileSync(join(folder, 'golden.json'), 'utf8')) as { cases: Case[] }).cases;
          for (const c of cases) {
            const r = generate(model, c.input_ids, { maxNewTokens: c.greedy_new_ids.length });
            assert.deepEqual(r.newIds, c.greedy_new_ids);
            assert.equal(r.stoppedBy, 'max-new-tokens');
            assert.equal(r.kvCacheBytes, kvCacheBytes(model.config, c.input_ids.length + c.greedy_new_ids.length - 1));
          }
        } finally { model.dispose(); }
      });
    }
  });
}

describe('generation for encoder–decoders', () => {
  const own = (n: string) => join(__dirname, '..', '..', 'fixtures', 'seq2seq', n);
  for (const [name, folder] of [...['t5-tiny', 'bart-tiny', 'marian-tiny'].map((n) => [n, join(HF_FIXTURES, 'models', n)]), ['mbart-tiny', own('mbart-tiny')], ['t5-gated-tiny', own('t5-gated-tiny')]]) {
    for (const kernels of ['wasm', 'typescript'] as const) {
      it(`${name} (${kernels}): greedy after the decoder start token = transformers greedy_ids`, () => {
        const model = loadModel(folder, { kernels, threads: 1 });
        try {
          const cases = (JSON.parse(readFileSync(join(folder, 'golden.json'), 'utf8')) as { cases: { kind: string; input_ids: number[]; attention_mask: number[]; greedy_ids: number[] }[] }).cases;
          for (const c of cases) {
            const source = c.input_ids.filter((_, i) => c.attention_mask[i] === 1); // a padded row's real tokens: padding must not change the output
            assert.equal(c.greedy_ids[0], model.config.decoderStartId);
            const r = generate(model, source, { maxNewTokens: c.greedy_ids.length - 1, recordAttention: true });
            assert.deepEqual(r.newIds, c.greedy_ids.slice(1), c.kind);
            for (const s of r.steps) {
              assert.equal(s.crossAttentions!.length, model.config.decoder!.layers);
              assert.equal(s.crossAttentions![0].length, model.config.decoder!.heads * source.length);
            }
            assert.deepEqual(generate(model, source, { maxNewTokens: c.greedy_ids.length - 1, useCache: false }).newIds, c.greedy_ids.slice(1), 'without the cache');
          }
        } finally { model.dispose(); }
      });
    }
  }
});

function fullPassTop1Chain(model: LoadedModel, prompt: number[], n: number): number[] {
  const ids = [...prompt];
  for (let i = 0; i < n; i++) {
    const r = runModel(model, { ids }, { record: 'none' });
    const logits = logitsAt(model.config, model.weights, r.hidden, r.T - 1, model.kernels);
    let best = 0;
    for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
    ids.push(best);
  }
  return ids.slice(prompt.length);
}

describe('KV cache = full pass', () => {
  const prompt = [464, 2068, 7586, 21831, 18045, 625];
  it('gpt2-tiny: greedy with the cache = the top-1 chain of full passes (learned positions continue)', () => {
    const model = loadModel(join(HF_FIXTURES, 'models', 'gpt2-tiny'), { threads: 1 });
    try {
      assert.deepEqual(generate(model, prompt, { maxNewTokens: 10 }).newIds, fullPassTop1Chain(model, prompt, 10));
      assert.deepEqual(generate(model, prompt, { maxNewTokens: 10, useCache: false }).newIds, fullPassTop1Chain(model, prompt, 10));
    } finally { model.dispose(); }
  });

  for (const [name, folder, inKernel] of [['gpt2-tiny', join(HF_FIXTURES, 'models', 'gpt2-tiny')], ...DECODERS].flatMap(([n, f]) => [[n, f, false], [n, f, true]]) as [string, string, boolean][]) {
    it(`${name}, cache ${inKernel ? 'in the kernels\' memory' : 'in arrays'}: every step's logits within 1e-4 and attention rows within 1e-5 of a full pass over the prefix`, () => {
      const model = loadModel(folder, { threads: 1 });
      try {
        const ids = name === 'gpt2-tiny' ? prompt : (JSON.parse(readFileSync(join(folder, 'golden.json'), 'utf8')) as { cases: Case[] }).cases.at(-1)!.input_ids.slice(0, 6);
        const cfg = model.config;
        const cache = createKvCache(cfg, ids.length + 8, inKernel ? model.kernels : undefined);
        assert.equal(cache.inKernelMemory, inKernel && model.kernels.kvStore !== undefined);
        let r = forward(cfg, model.weights, { ids }, { cache, kernels: model.kernels });
        const seq = [...ids];
        for (let step = 0; step < 8; step++) {
          const logits = logitsAt(cfg, model.weights, r.hidden, r.T - 1, model.kernels);
          const full = forward(cfg, model.weights, { ids: seq }, { kernels: model.kernels });
          const ref = logitsAt(cfg, model.weights, full.hidden, full.T - 1, model.kernels);
          let worst = 0;
          for (let v = 0; v < ref.length; v++) worst = Math.max(worst, Math.abs(ref[v] - logits[v]));
          assert.ok(worst < 1e-4, `step ${step}: logits max |Δ| ${worst}`);
          const T = seq.length;
          r.layers.forEach((layer, l) => layer.heads.forEach((h, hh) => {
            const row = h.weights!.subarray((r.T - 1) * T, r.T * T);
            const fullRow = full.layers[l].heads[hh].weights!.subarray((T - 1) * T, T * T);
            row.forEach((w, k) => assert.ok(Math.abs(w - fullRow[k]) < 1e-5, `step ${step} layer ${l} head ${hh} key ${k}`));
          }));
          let next = 0;
          for (let v = 1; v < logits.length; v++) if (logits[v] > logits[next]) next = v;
          seq.push(next);
          r = forward(cfg, model.weights, { ids: [next] }, { cache, kernels: model.kernels });
          assert.equal(cache.length, seq.length);
        }
        cache.release();
      } finally { model.dispose(); }
    });
  }

  it('the kernels\' KV memory holds one cache at a time: a second one gets arrays until the first is released; generate releases its own', () => {
    const model = loadModel(join(HF_FIXTURES, 'models', 'gpt2-tiny'), { kernels: 'wasm', threads: 1 });
    try {
      const first = createKvCache(model.config, 16, model.kernels);
      assert.equal(first.inKernelMemory, true);
      const second = createKvCache(model.config, 16, model.kernels);
      assert.equal(second.inKernelMemory, false);
      const withArrays = generate(model, prompt, { maxNewTokens: 6 }).newIds; // its cache: arrays, the memory being taken
      first.release();
      first.release(); // twice is harmless
      assert.deepEqual(generate(model, prompt, { maxNewTokens: 6 }).newIds, withArrays);
      const third = createKvCache(model.config, 16, model.kernels);
      assert.equal(third.inKernelMemory, true, 'generate gave the memory back');
      third.release();
      assert.equal(createKvCache(model.config, model.config.maxPositions, model.kernels).inKernelMemory, true, "every position fits");
    } finally { model.dispose(); }
  });
});

describe('greedy choice without the whole distribution', () => {
  it('probabilities bit for bit softmaxAt\'s, the alternatives in topK order of the distribution (ties: lower id), the choice its argmax', () => {
    const logits = Float32Array.from({ length: 5000 }, (_, i) => Math.fround(Math.sin(i * 1.37) * 9));
    logits[4321] = logits[77] = 12.5; // a tie for the best: the lower id wins
    logits[900] = logits[901] = 11;
    const p = softmaxAt(logits);
    for (const shown of [0, 1, 5, 12]) {
      const g = greedyChoice(logits, shown);
      assert.equal(g.id, 77);
      assert.deepEqual(g.top, topK(p, shown));
      for (const i of [0, 77, 900, 901, 4321, 4999]) assert.equal(g.prob(i), p[i]);
    }
  });
});

describe('decoding settings', () => {
  let model: LoadedModel;
  before(() => { model = loadModel(join(HF_FIXTURES, 'models', 'llama-tiny'), { threads: 1 }); });
  after(() => model.dispose());
  const prompt = [1, 450, 4996, 17354];
  const sampling = { temperature: 1.5, topK: 40, topP: 0.95 };

  it('seeded sampling replays exactly; another seed gives another run', () => {
    const a = generate(model, prompt, { maxNewTokens: 12, sampling, seed: 7 });
    const b = generate(model, prompt, { maxNewTokens: 12, sampling, seed: 7 });
    const c = generate(model, prompt, { maxNewTokens: 12, sampling, seed: 8 });
    assert.deepEqual(a.newIds, b.newIds);
    assert.notDeepEqual(a.newIds, c.newIds);
    for (const s of a.steps) {
      assert.ok(s.prob > 0 && s.prob <= 1);
      assert.ok(s.top.length === 5 && s.top[0].prob >= s.top[4].prob);
    }
  });

  it('EOS and stop strings end the continuation; repetition penalty changes the choice as transformers defines it', () => {
    const greedy = generate(model, prompt, { maxNewTokens: 6 });
    const eos = generate(model, prompt, { maxNewTokens: 6, eosIds: [greedy.newIds[2]] });
    assert.equal(eos.stoppedBy, 'eos');
    assert.deepEqual(eos.newIds, greedy.newIds.slice(0, 3));
    const stop = generate(model, prompt, { maxNewTokens: 6, stopStrings: ['#3'], decode: (ids) => ids.map((i) => `#${i}`).join(' ') + (ids.length >= 2 ? ' #3' : '') });
    assert.equal(stop.stoppedBy, 'stop-string');
    assert.equal(stop.newIds.length, 2);
    // greedy repeats a token within 6 steps on random weights; a strong penalty stops any repeat of the prompt's ids
    const penalized = generate(model, prompt, { maxNewTokens: 6, repetitionPenalty: 1e6 });
    const seen = new Set(prompt);
    for (const id of penalized.newIds) { assert.ok(!seen.has(id), `id ${id} repeated under a 1e6 penalty`); seen.add(id); }
  });

  it('records the new token\'s attention row in every layer and head', () => {
    const r = generate(model, prompt, { maxNewTokens: 3, recordAttention: true });
    r.steps.forEach((s, i) => {
      assert.equal(s.keys, prompt.length + i);
      assert.equal(s.attentions!.length, model.config.layers);
      for (const rows of s.attentions!) {
        assert.equal(rows.length, model.config.heads * s.keys);
        for (let h = 0; h < model.config.heads; h++) assert.ok(Math.abs(rows.subarray(h * s.keys, (h + 1) * s.keys).reduce((a, b) => a + b, 0) - 1) < 1e-5);
      }
    });
  });

  it('bad settings are named', () => {
    assert.throws(() => generate(model, prompt, { maxNewTokens: 0 }), /max new tokens must be a whole number ≥ 1, got 0/);
    assert.throws(() => generate(model, prompt, { maxNewTokens: 1000 }), /max new tokens 1000 is more than the model's 128 positions/);
    assert.throws(() => generate(model, new Array(128).fill(1), { maxNewTokens: 1 }), /already fills the model's 128 positions/);
    assert.throws(() => generate(model, prompt, { maxNewTokens: 2, stopStrings: [''], decode: String }), /stop string cannot be empty/);
    const bert = loadModel(join(HF_FIXTURES, 'models', 'bert-tiny'), { threads: 1 });
    try {
      assert.throws(() => generate(bert, [101, 102], { maxNewTokens: 2 }), /is not a generative model: it is a masked language model/);
    } finally { bert.dispose(); }
  });

  it('near the last position it stops there and says so', () => {
    const r = generate(model, new Array(126).fill(1), { maxNewTokens: 5 });
    assert.equal(r.newIds.length, 2);
    assert.equal(r.stoppedBy, 'positions');
  });
});
