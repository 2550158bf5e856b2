/**
 * `trace generate` end to end (in process): --json has the documented shape and its
 * greedy new_ids are transformers' generate(do_sample=False) (golden.json), the streamed
 * text is the JSON's text, seeded sampling replays, and bad options are named (exit 2)
 * or refused by what the model is (BERT: not a generative model).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { HF_FIXTURES, readFixture } from '../fixtures';
import { runCli as run } from '../runCli';


const llama = join(HF_FIXTURES, 'models', 'llama-tiny');

describe('CLI: trace generate', () => {
  const golden = JSON.parse(readFixture('models', 'llama-tiny', 'golden.json')).cases[0] as { text: string; input_ids: number[]; greedy_new_ids: number[] };

  it('--ids --json: greedy new_ids = transformers generate(do_sample=False), every documented field', async () => {
    const { code, out } = await run(['generate', '--model', llama, '--ids', golden.input_ids.join(','), '--max-new-tokens', String(golden.greedy_new_ids.length), '--json']);
    assert.equal(code, 0);
    const j = JSON.parse(out);
    assert.deepEqual(j.prompt_ids, golden.input_ids);
    assert.deepEqual(j.new_ids, golden.greedy_new_ids);
    assert.equal(j.steps.length, golden.greedy_new_ids.length);
    for (const s of j.steps) {
      assert.equal(typeof s.text, 'string');
      assert.ok(s.prob > 0 && s.prob <= 1 && s.top[0].prob >= s.prob - 1e-12, 'greedy picks the most likely token');
      assert.equal(s.top[0].id, s.id);
      assert.ok(s.ms >= 0);
    }
    // 2 (K, V) × 2 layers × 2 KV heads × 8 dims × 4 bytes per cached token
    assert.equal(j.kv_cache_bytes, 2 * 2 * 2 * 8 * 4 * (golden.input_ids.length + golden.greedy_new_ids.length - 1));
    assert.ok(j.ms_per_token > 0);
    assert.equal(j.stopped_by, 'max-new-tokens');
  });

  it('--text: the tokenizer adds the BOS, the text streams after the prompt and equals the JSON text', async () => {
    const args = ['generate', '--model', llama, '--text', golden.text, '--max-new-tokens', '5'];
    const j = JSON.parse((await run([...args, '--json'])).out);
    assert.deepEqual(j.prompt_ids, golden.input_ids);
    assert.deepEqual(j.new_ids, golden.greedy_new_ids.slice(0, 5));
    const { code, out } = await run(args);
    assert.equal(code, 0);
    assert.ok(out.startsWith(golden.text + j.text), `streamed: ${JSON.stringify(out.slice(0, 120))}`);
    assert.match(out, /5 new tokens · greedy · stopped by --max-new-tokens/);
  });

  it('seeded sampling replays; --stop ends early', async () => {
    const args = ['generate', '--model', llama, '--ids', golden.input_ids.join(','), '--max-new-tokens', '8', '--temperature', '1.3', '--top-k', '20', '--top-p', '0.9', '--seed', '11', '--json'];
    const a = JSON.parse((await run(args)).out), b = JSON.parse((await run(args)).out);
    assert.deepEqual(a.new_ids, b.new_ids);
    assert.deepEqual(a.settings, { temperature: 1.3, top_k: 20, top_p: 0.9, seed: 11 });
    const greedy = JSON.parse((await run(['generate', '--model', llama, '--ids', golden.input_ids.join(','), '--max-new-tokens', '8', '--json'])).out);
    const stopAt = greedy.steps[2].text.trim();
    const stopped = JSON.parse((await run(['generate', '--model', llama, '--ids', golden.input_ids.join(','), '--max-new-tokens', '8', '--stop', stopAt, '--json'])).out);
    assert.equal(stopped.stopped_by, 'stop-string');
    assert.ok(stopped.new_ids.length <= 3);
  });

  it('bad options and non-generative models are named', async () => {
    const ids = ['--model', llama, '--ids', '1,2'];
    for (const [extra, message] of [
      [['--max-new-tokens', '0'], /--max-new-tokens must be at least 1/],
      [['--greedy', '--temperature', '0.7'], /--greedy cannot be combined with --temperature/],
      [['--temperature', '0'], /temperature must be a number above 0/],
      [['--stop', ''], /--stop needs a non-empty string/],
    ] as [string[], RegExp][]) {
      const r = await run(['generate', ...ids, ...extra]);
      assert.equal(r.code, 2, extra.join(' '));
      assert.match(r.err, message);
    }
    const big = await run(['generate', ...ids, '--max-new-tokens', '500']);
    assert.equal(big.code, 1);
    assert.match(big.err, /max new tokens 500 is more than the model's 128 positions/);
    const bert = await run(['generate', '--model', 'tiny-bert', '--text', 'hello']);
    assert.equal(bert.code, 1);
    assert.equal(bert.out, '');
    assert.match(bert.err, /tiny-bert is not a generative model: it is a masked language model/);
  });
});
