/**
 * The step trace (one head, one query token): its weights are Hugging Face's attention
 * row (golden.json), and every intermediate number obeys the textbook formula it claims —
 * q·k, ×1/√d_k, + mask (−∞ in the future for GPT-2), − row max, exp, ÷ sum, Σ w·v.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { runStepTraceJob } from '../../../src/engine/model/attentionJob';
import { HF_FIXTURES, readFixture } from '../fixtures';

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

for (const name of ['gpt2-tiny', 'bert-tiny']) {
  describe(`step trace on ${name}`, () => {
    const golden = JSON.parse(readFixture('models', name, 'golden.json')).cases[0] as { input_ids: number[]; attentions: number[][][][]; embeddings_out: number[][] };
    const model = join(HF_FIXTURES, 'models', name);
    const T = golden.input_ids.length;

    for (const [layer, head, query] of [[0, 0, 0], [1, 3, Math.floor(T / 2)], [1, 1, T - 1]]) {
      it(`layer ${layer} head ${head} query ${query}`, () => {
        const { trace: s } = runStepTraceJob({ model, ids: golden.input_ids, layer, head, query });
        assert.equal(s.T, T);
        golden.attentions[layer][head][query].forEach((v, k) => assert.ok(Math.abs(v - s.weights[k]) < 1e-5, `weight ${k}: ${s.weights[k]} vs transformers ${v}`));
        assert.ok(Math.abs(s.scale - 1 / Math.sqrt(s.headSize)) < 1e-12);
        for (let k = 0; k < T; k++) {
          assert.ok(Math.abs(s.raw[k] - dot(s.q, s.k[k])) < 1e-4, `raw ${k}`);
          assert.ok(Math.abs(s.scaled[k] - s.raw[k] * s.scale) < 1e-5, `scaled ${k}`);
          const future = name === 'gpt2-tiny' && k > query;
          assert.equal(s.mask[k], future ? -Infinity : 0, `mask ${k}`);
          assert.equal(s.masked[k], s.scaled[k] + s.mask[k]);
          assert.ok(future ? s.weights[k] === 0 && s.exp[k] === 0 : Math.abs(s.exp[k] / s.sum - s.weights[k]) < 1e-6);
        }
        assert.equal(s.max, Math.max(...s.masked));
        assert.equal(Math.max(...s.shifted), 0, 'the shifted row peaks at exactly 0');
        assert.ok(Math.abs(s.exp.reduce((a, b) => a + b, 0) - s.sum) < 1e-5);
        for (let d = 0; d < s.headSize; d++) {
          const expected = s.weights.reduce((acc, w, k) => acc + w * s.v[k][d], 0);
          assert.ok(Math.abs(s.headOut[d] - expected) < 1e-5, `head output ${d}`);
          assert.equal(s.concat[head * s.headSize + d], s.headOut[d], 'the head output sits in its slice of the concat');
        }
        s.residualAttn.forEach((v, c) => assert.ok(Math.abs(v - (s.input[c] + s.attnProj[c])) < 1e-5));
        if (layer === 0) golden.embeddings_out[query].forEach((v, c) => assert.ok(Math.abs(v - s.input[c]) < 1e-4));
        assert.equal(s.scores.length, T * T);
        assert.equal(s.positions!.length, T * s.input.length);
      });
    }

    it('names an out-of-range layer, head or query', () => {
      assert.throws(() => runStepTraceJob({ model, ids: golden.input_ids, layer: 9, head: 0, query: 0 }), /layer 9 is outside 0–1/);
      assert.throws(() => runStepTraceJob({ model, ids: golden.input_ids, layer: 0, head: 0, query: T }), new RegExp(`query token ${T} is outside`));
    });
  });
}
