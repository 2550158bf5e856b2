/**
 * The CLI on encoder–decoders (in process): `attention --ids --decoder-ids --json` gives
 * encoder_attentions [L][H][Te][Te], decoder_attentions [L][H][Td][Td], cross_attentions
 * [L][H][Td][Te], both last hidden states and next_token_top, all equal to transformers'
 * (golden.json); `generate` writes transformers' greedy target; decoder options on a
 * decoder-only model are refused by name.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { HF_FIXTURES, readFixture } from '../fixtures';
import { runCli as run } from '../runCli';


const near = (expected: number[][][][], actual: number[][][][], what: string) => expected.forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, q) => row.forEach((v, k) => {
  assert.ok(Math.abs(v - actual[l][h][q][k]) < 1e-4, `${what}[${l}][${h}][${q}][${k}]: ${actual[l][h][q][k]} vs ${v}`);
}))));

for (const name of ['t5-tiny', 'bart-tiny', 'marian-tiny']) {
  describe(`CLI on ${name}`, () => {
    const c = JSON.parse(readFixture('models', name, 'golden.json')).cases[0];
    const folder = join(HF_FIXTURES, 'models', name);

    it('attention --ids --decoder-ids --json: the three attentions, hidden states and next token = transformers', async () => {
      const { code, out, err } = await run(['attention', '--model', folder, '--ids', c.input_ids.join(','), '--decoder-ids', c.decoder_input_ids.join(','), '--json']);
      assert.equal(code, 0, err);
      const j = JSON.parse(out);
      near(c.encoder_attentions, j.encoder_attentions, 'encoder');
      near(c.decoder_attentions, j.decoder_attentions, 'decoder');
      near(c.cross_attentions, j.cross_attentions, 'cross');
      assert.equal(j.cross_attentions[0][0].length, c.decoder_input_ids.length);
      assert.equal(j.cross_attentions[0][0][0].length, c.input_ids.length);
      (c.encoder_last_hidden_state as number[][]).forEach((row, t) => row.forEach((v, i) => assert.ok(Math.abs(v - j.encoder_last_hidden_state[t][i]) < 1e-4)));
      (c.decoder_hidden_states_last as number[][]).forEach((row, t) => row.forEach((v, i) => assert.ok(Math.abs(v - j.decoder_hidden_states_last[t][i]) < 1e-4)));
      assert.deepEqual(j.next_token_top.map((e: { id: number }) => e.id), c.last_logits_top10.ids);
      assert.equal(j.attentions, undefined, 'no ambiguous "attentions" field for an encoder–decoder');
    });

    it('generate --ids --json: new_ids = transformers greedy_ids after the start token', async () => {
      const { code, out } = await run(['generate', '--model', folder, '--ids', c.input_ids.join(','), '--max-new-tokens', String(c.greedy_ids.length - 1), '--json']);
      assert.equal(code, 0);
      assert.deepEqual(JSON.parse(out).new_ids, c.greedy_ids.slice(1));
    });
  });
}

describe('CLI: decoder options need an encoder–decoder', () => {
  it('--target on GPT-2 exits 2 naming the option', async () => {
    const r = await run(['attention', '--model', join(HF_FIXTURES, 'models', 'gpt2-tiny'), '--text', 'hi', '--target', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--target is for encoder–decoder models/);
  });
  it('bad decoder ids are named', async () => {
    const folder = join(HF_FIXTURES, 'models', 't5-tiny');
    const r = await run(['attention', '--model', folder, '--ids', '5,6', '--decoder-ids', '0,x']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--decoder-ids must be comma-separated non-negative integers/);
    const big = await run(['attention', '--model', folder, '--ids', '5,6', '--decoder-ids', '0,99999']);
    assert.equal(big.code, 1);
    assert.match(big.err, /decoder token id 99999 is outside the model's vocabulary/);
  });
});
