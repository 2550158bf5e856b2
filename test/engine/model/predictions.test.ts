/**
 * Sampling warpers and BERT's masking demo, on worked examples whose answers follow by
 * hand from the definitions (temperature ½ squares the probabilities; top-p keeps the
 * smallest set reaching p), plus the 15% / 80-10-10 proportions over many tokens.
 */
import { strict as assert } from 'node:assert';
import { checkSampling, samplingSteps, sampleToken, warpedDistribution } from '../../../src/shared/sampling';
import { bertMaskingDemo } from '../../../src/engine/model/maskingDemo';

const close = (a: number[], b: number[]) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-12, `${a} vs ${b}`));
const logits = [0.5, 0.3, 0.15, 0.05].map(Math.log).map((v) => v + 3); // any shift gives the same softmax

describe('next-token sampling: temperature, top-k, top-p', () => {
  it('before: the softmax of the logits; temperature ½ squares and renormalises', () => {
    const s = samplingSteps(logits, { temperature: 0.5, topK: 0, topP: 1 });
    assert.deepEqual(s.ids, [0, 1, 2, 3]);
    close(s.stages[0].probs, [0.5, 0.3, 0.15, 0.05]);
    close(s.stages[1].probs, [0.25, 0.09, 0.0225, 0.0025].map((v) => v / 0.365));
  });

  it('top-k 2 keeps the two best; top-p 0.8 keeps {0.5, 0.3} (0.15 is dropped: the tokens above it already sum to 0.8)', () => {
    const k = samplingSteps(logits, { temperature: 1, topK: 2, topP: 1 });
    close(k.stages[2].probs, [0.625, 0.375, 0, 0]);
    assert.equal(k.stages[2].kept, 2);
    const p = samplingSteps(logits, { temperature: 1, topK: 0, topP: 0.8 });
    close(p.stages[3].probs, [0.625, 0.375, 0, 0]);
    const p2 = samplingSteps(logits, { temperature: 1, topK: 0, topP: 0.81 });
    close(p2.stages[3].probs, [0.5, 0.3, 0.15, 0].map((v) => v / 0.95));
    assert.equal(p2.stages[3].kept, 3);
    const tiny = samplingSteps(logits, { temperature: 1, topK: 0, topP: 0.01 });
    close(tiny.stages[3].probs, [1, 0, 0, 0]);
  });

  it('warpers chain in order: temperature, then top-k, then top-p', () => {
    const s = samplingSteps(logits, { temperature: 2, topK: 3, topP: 0.6 });
    const t = [0.5, 0.3, 0.15, 0.05].map(Math.sqrt);
    const sumT = t.reduce((a, b) => a + b);
    close(s.stages[1].probs, t.map((v) => v / sumT));
    const k3 = t.slice(0, 3).reduce((a, b) => a + b);
    close(s.stages[2].probs, [t[0] / k3, t[1] / k3, t[2] / k3, 0]);
    // after top-k: 0.4063, 0.3147, 0.2790 → 0.4063 < 0.6 so the second stays, then 0.721 ≥ 0.6 stops
    close(s.stages[3].probs, [t[0] / (t[0] + t[1]), t[1] / (t[0] + t[1]), 0, 0]);
    const full = warpedDistribution(logits, { temperature: 2, topK: 3, topP: 0.6 });
    close(Array.from(full), s.stages[3].probs);
  });

  it('large logits stay finite; bad settings are named', () => {
    const s = samplingSteps([1e4, 1e4 - 1, -1e4], { temperature: 0.1, topK: 0, topP: 1 });
    assert.ok(s.stages.every((st) => st.probs.every(Number.isFinite)));
    assert.match(checkSampling({ temperature: 0, topK: 0, topP: 1 })!, /temperature must be a number above 0/);
    assert.match(checkSampling({ temperature: 1, topK: -1, topP: 1 })!, /top-k must be a whole number/);
    assert.match(checkSampling({ temperature: 1, topK: 0, topP: 1.5 })!, /top-p must be in \(0, 1\]/);
    assert.throws(() => samplingSteps(logits, { temperature: NaN, topK: 0, topP: 1 }), RangeError);
  });

  it('a seeded draw is reproducible and never picks a removed token', () => {
    const p = warpedDistribution(logits, { temperature: 1, topK: 2, topP: 1 });
    const draws = Array.from({ length: 2000 }, (_, seed) => sampleToken(p, seed));
    assert.deepEqual(draws.slice(0, 50), Array.from({ length: 50 }, (_, seed) => sampleToken(p, seed)));
    assert.ok(draws.every((d) => d === 0 || d === 1));
    const share = draws.filter((d) => d === 0).length / draws.length;
    assert.ok(Math.abs(share - 0.625) < 0.04, `token 0 drawn ${share}`);
  });
});

describe('BERT masking demo (15%; of those 80% [MASK], 10% random, 10% unchanged)', () => {
  const specials = new Set([101, 102]);
  const ids = [101, ...Array.from({ length: 200_000 }, (_, i) => 1000 + (i % 5000)), 102];
  const opts = { seed: 7, vocabSize: 30522, maskId: 103, specialIds: specials };

  it('has the published proportions over 200,000 tokens and never touches special tokens', () => {
    const steps = bertMaskingDemo(ids, opts);
    const chosen = steps.filter((s) => s.action);
    const share = (a: string) => chosen.filter((s) => s.action === a).length / chosen.length;
    assert.ok(Math.abs(chosen.length / 200_000 - 0.15) < 0.003, `chosen ${chosen.length / 200_000}`);
    assert.ok(Math.abs(share('mask') - 0.8) < 0.01 && Math.abs(share('random') - 0.1) < 0.01 && Math.abs(share('keep') - 0.1) < 0.01);
    assert.equal(steps[0].action, undefined);
    assert.equal(steps[steps.length - 1].action, undefined);
    for (const s of chosen) {
      if (s.action === 'mask') assert.equal(s.input, 103);
      if (s.action === 'keep') assert.equal(s.input, s.original);
      if (s.action === 'random') assert.ok(s.input >= 0 && s.input < 30522);
    }
    assert.ok(steps.filter((s) => !s.action).every((s) => s.input === s.original));
  });

  it('is seeded: the same seed replays exactly, another seed differs', () => {
    const short = ids.slice(0, 400);
    assert.deepEqual(bertMaskingDemo(short, opts), bertMaskingDemo(short, opts));
    assert.notDeepEqual(bertMaskingDemo(short, opts), bertMaskingDemo(short, { ...opts, seed: 8 }));
  });
});
