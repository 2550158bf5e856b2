/**
 * The step trace on encoder–decoders: a cross-attention head's row is transformers'
 * (golden.json cross_attentions), its q comes from the decoder token and its k, v from every
 * source token, the padded source keys get −∞ and weight 0, and the textbook formula holds
 * (q·k, × scale — 1 for T5, 1/√d_k for BART/Marian —, softmax, Σ w·v); the decoder's self
 * attention and the encoder's trace match their goldens too.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { runStepTraceJob } from '../../../src/engine/model/attentionJob';
import { HF_FIXTURES, readFixture } from '../fixtures';

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

for (const name of ['t5-tiny', 'bart-tiny', 'marian-tiny']) {
  describe(`step trace on ${name}`, () => {
    const cases = JSON.parse(readFixture('models', name, 'golden.json')).cases as { kind: string; input_ids: number[]; attention_mask: number[]; decoder_input_ids: number[]; encoder_attentions: number[][][][]; decoder_attentions: number[][][][]; cross_attentions: number[][][][] }[];
    const model = join(HF_FIXTURES, 'models', name);
    for (const c of [cases[0], cases.find((x) => x.attention_mask.includes(0))!]) {
      const Td = c.decoder_input_ids.length, Te = c.input_ids.length;
      it(`${c.kind}: cross attention layer 1 head 2, the last decoder token`, () => {
        // the padded row: the source is given whole, its padding as real ids; only the mask differs, so drop the padding
        const real = c.input_ids.filter((_, i) => c.attention_mask[i] === 1);
        const { trace: s } = runStepTraceJob({ model, ids: real, decoderIds: c.decoder_input_ids, layer: 1, head: 2, query: Td - 1, attention: 'cross' });
        assert.equal(s.kind, 'cross');
        assert.equal(s.T, real.length);
        assert.equal(s.queries, Td);
        c.cross_attentions[1][2][Td - 1].slice(0, real.length).forEach((v, k) => assert.ok(Math.abs(v - s.weights[k]) < 1e-5, `weight ${k}: ${s.weights[k]} vs ${v}`));
        assert.equal(s.scale, name.startsWith('t5') ? 1 : 1 / Math.sqrt(s.headSize));
        for (let k = 0; k < s.T; k++) {
          assert.ok(Math.abs(s.raw[k] - dot(s.q, s.k[k])) < 1e-4, `raw ${k}`);
          assert.ok(Math.abs(s.scaled[k] - s.raw[k] * s.scale) < 1e-5);
          assert.equal(s.mask[k], 0, 'cross attention hides no real source token');
        }
        for (let d = 0; d < s.headSize; d++) {
          assert.ok(Math.abs(s.headOut[d] - s.weights.reduce((acc, w, k) => acc + w * s.v[k][d], 0)) < 1e-5);
          assert.equal(s.concat[2 * s.headSize + d], s.headOut[d]);
        }
        void Te;
      });
    }
    it('decoder self attention and encoder self attention rows = transformers', () => {
      const c = cases[0];
      const Td = c.decoder_input_ids.length;
      const dec = runStepTraceJob({ model, ids: c.input_ids, decoderIds: c.decoder_input_ids, layer: 0, head: 1, query: Td - 2, attention: 'decoder-self' }).trace;
      c.decoder_attentions[0][1][Td - 2].forEach((v, k) => assert.ok(Math.abs(v - dec.weights[k]) < 1e-5));
      assert.equal(dec.mask[Td - 1], -Infinity, 'the decoder is causal');
      const enc = runStepTraceJob({ model, ids: c.input_ids, decoderIds: c.decoder_input_ids, layer: 1, head: 0, query: 0, attention: 'encoder-self' }).trace;
      c.encoder_attentions[1][0][0].forEach((v, k) => assert.ok(Math.abs(v - enc.weights[k]) < 1e-5));
      assert.ok(enc.mask.every((m) => m === 0), 'the encoder is bidirectional');
    });
  });
}

describe('step trace kinds need an encoder–decoder', () => {
  it('cross on GPT-2 is refused by name', () => {
    assert.throws(() => runStepTraceJob({ model: join(HF_FIXTURES, 'models', 'gpt2-tiny'), ids: [1, 2], layer: 0, head: 0, query: 0, attention: 'cross' }), /has one stack: the step trace is of its self attention \(no cross\)/);
  });
});
