/**
 * `trace lens` and `trace loss` end to end (in process): the documented JSON shapes, the
 * lens's last layer at the last position = transformers' top-5 (golden.json), the loss's
 * perplexity = exp(mean token_nll), position 0 without a prediction; BERT refused by name.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { HF_FIXTURES, readFixture } from '../fixtures';
import { runCli as run } from '../runCli';


for (const name of ['gpt2-tiny', 'llama-tiny']) {
  describe(`CLI lens and loss on ${name}`, () => {
    const c = JSON.parse(readFixture('models', name, 'golden.json')).cases[0] as { input_ids: number[]; last_logits_top10: { ids: number[] } };
    const model = join(HF_FIXTURES, 'models', name);
    const T = c.input_ids.length;

    it('lens --json: lens_top5 [L][T][5], lens_probs, the last layer = the model\'s output', async () => {
      const { code, out } = await run(['lens', '--model', model, '--ids', c.input_ids.join(','), '--json']);
      assert.equal(code, 0);
      const j = JSON.parse(out);
      assert.equal(j.lens_top5.length, 2);
      assert.equal(j.lens_top5[0].length, T);
      assert.equal(j.lens_top5[0][0].length, 5);
      assert.deepEqual(j.lens_top5[1][T - 1], c.last_logits_top10.ids.slice(0, 5));
      for (const layer of j.lens_probs) for (const p of layer) assert.ok(p[0] >= p[4] && p[0] <= 1);
    });

    it('loss --json: token_nll and token_rank null at 0, perplexity = exp(mean nll)', async () => {
      const { code, out } = await run(['loss', '--model', model, '--ids', c.input_ids.join(','), '--json']);
      assert.equal(code, 0);
      const j = JSON.parse(out);
      assert.equal(j.token_nll.length, T);
      assert.equal(j.token_nll[0], null);
      assert.equal(j.token_rank[0], null);
      const mean = (j.token_nll.slice(1) as number[]).reduce((a, b) => a + b, 0) / (T - 1);
      assert.ok(Math.abs(j.perplexity - Math.exp(mean)) < 1e-6 * j.perplexity);
      assert.ok((j.token_rank.slice(1) as number[]).every((r) => Number.isInteger(r) && r >= 0));
    });
  });
}

describe('CLI lens and loss: bad input', () => {
  it('BERT and a single token are refused by name', async () => {
    const bert = await run(['lens', '--model', 'tiny-bert', '--text', 'hello world']);
    assert.equal(bert.code, 1);
    assert.match(bert.err, /needs a causal language model; this is a masked language model/);
    const one = await run(['loss', '--model', join(HF_FIXTURES, 'models', 'gpt2-tiny'), '--ids', '464']);
    assert.equal(one.code, 1);
    assert.match(one.err, /one token has no loss to show/);
  });
});
