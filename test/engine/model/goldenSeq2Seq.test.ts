/**
 * Encoder–decoders against Hugging Face transformers (../shared/fixtures/hf/models/
 * {t5,bart,marian}-tiny/golden.json and test/fixtures/seq2seq/{mbart,t5-gated}-tiny, float32, eager attention): encoder, decoder (causal) and
 * cross attentions within 1e-4, the encoder's embeddings and last hidden state and the
 * decoder's last hidden state within 1e-4, logits_first8_each_pos within 1e-3, the top-10
 * next-token ids equal — for single sources and for a row of a right-padded batch (padded
 * source keys masked in the encoder and in cross attention). Both kernels.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { logitsAt, topLogits } from '../../../src/engine/model/heads';
import { runSeq2Seq } from '../../../src/engine/model/seq2seq';
import { HF_FIXTURES } from '../fixtures';
import { describeGoldenPerKernel, LOGIT_TOL, maxDiff2d, TOL } from './goldenHarness';

interface Seq2SeqCase {
  kind: string; source: string;
  input_ids: number[]; attention_mask: number[]; decoder_input_ids: number[];
  encoder_attentions: number[][][][]; decoder_attentions: number[][][][]; cross_attentions: number[][][][];
  encoder_embeddings_out: number[][]; encoder_last_hidden_state: number[][]; decoder_hidden_states_last: number[][];
  last_logits_top10: { ids: number[]; values: number[] }; logits_first8_each_pos: number[][];
}

/** The shared fixtures, and the project's own (tools/reference/seq2seq_goldens.py: mBART, T5 v1.1 with gated-GELU and an untied head). */
const FOLDERS: [string, string][] = [
  ...['t5-tiny', 'bart-tiny', 'marian-tiny'].map((n): [string, string] => [n, join(HF_FIXTURES, 'models', n)]),
  ...['mbart-tiny', 't5-gated-tiny'].map((n): [string, string] => [n, join(__dirname, '..', '..', 'fixtures', 'seq2seq', n)]),
];

for (const [name, folder] of FOLDERS) {
  describeGoldenPerKernel<Seq2SeqCase>(name, folder, (cases, loaded) => {
    it('has the reference cases', () => assert.ok(cases.length >= 2));

    for (const c of cases) {
      it(`${c.kind}: ${JSON.stringify(c.source).slice(0, 40)}`, () => {
        const model = loaded();
        const r = runSeq2Seq(model, { ids: c.input_ids, attentionMask: c.attention_mask, decoderIds: c.decoder_input_ids }, { record: 'weights' });
        const padded = (row: number) => c.attention_mask[row] === 0; // transformers' rows for padded queries are not compared
        let worst = 0;
        c.encoder_attentions.forEach((layer, l) => layer.forEach((head, h) => { worst = Math.max(worst, maxDiff2d(head, r.encoder.layers[l].heads[h].weights!, padded)); }));
        assert.ok(worst < TOL, `encoder attention max |Δ| ${worst}`);
        worst = 0;
        c.decoder_attentions.forEach((layer, l) => layer.forEach((head, h) => { worst = Math.max(worst, maxDiff2d(head, r.decoder.layers[l].heads[h].weights!)); }));
        assert.ok(worst < TOL, `decoder attention max |Δ| ${worst}`);
        worst = 0;
        c.cross_attentions.forEach((layer, l) => layer.forEach((head, h) => { worst = Math.max(worst, maxDiff2d(head, r.decoder.layers[l].cross![h].weights!)); }));
        assert.ok(worst < TOL, `cross attention max |Δ| ${worst}`);
        assert.ok(maxDiff2d(c.encoder_embeddings_out, r.encoder.embeddings, padded) < TOL, 'encoder_embeddings_out');
        assert.ok(maxDiff2d(c.encoder_last_hidden_state, r.encoder.hidden, padded) < TOL, 'encoder_last_hidden_state');
        assert.ok(maxDiff2d(c.decoder_hidden_states_last, r.decoder.hidden) < TOL, 'decoder_hidden_states_last');
        for (const [pos, row] of c.logits_first8_each_pos.entries()) {
          const logits = logitsAt(model.config, model.weights, r.decoder.hidden, pos, model.kernels);
          row.forEach((v, i) => assert.ok(Math.abs(v - logits[i]) < LOGIT_TOL, `logit[${pos}][${i}]: ${logits[i]} vs ${v}`));
        }
        const top = topLogits(logitsAt(model.config, model.weights, r.decoder.hidden, r.decoder.T - 1, model.kernels), 10);
        assert.deepEqual(top.map((t) => t.id), c.last_logits_top10.ids);
        if (c.attention_mask.includes(0)) {
          for (const layer of r.decoder.layers) for (const head of layer.cross!) {
            for (let q = 0; q < r.decoder.T; q++) c.attention_mask.forEach((m, k) => { if (m === 0) assert.equal(head.weights![q * r.encoder.T + k], 0); });
          }
        }
      });
    }
  });
}
