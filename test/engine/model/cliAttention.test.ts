/**
 * `trace attention` end to end (in process): text is tokenized with the model's tokenizer,
 * the JSON has the documented shape, and its numbers are Hugging Face's (golden.json).
 * The slow-tokenizer folders (vocab.json + merges.txt, vocab.txt) give the same ids.
 * Llama-family folders (llama-tiny, Qwen3, Mistral's sliding window) by --ids, against their goldens.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledModelFolder, type HeadPattern, NAMED_HEAD_MIN_SCORE } from '../../../src/engine/model/bundledModels';
import { HF_FIXTURES, readFixture } from '../fixtures';
import { runCli as run } from '../runCli';


const models = join(HF_FIXTURES, 'models');

describe('CLI: trace attention', () => {
  it('GPT-2 --text --json: tokens, attentions [L][H][T][T], hidden states and next-token top-10 equal transformers', async () => {
    const golden = JSON.parse(readFixture('models', 'gpt2-tiny', 'golden.json')).cases[0];
    const { code, out } = await run(['attention', '--model', join(models, 'gpt2-tiny'), '--text', golden.text, '--json']);
    assert.equal(code, 0);
    const j = JSON.parse(out);
    assert.deepEqual(j.tokens.map((t: { id: number }) => t.id), golden.input_ids);
    assert.equal(j.tokens[1].text, 'Ġquick');
    assert.equal(j.layers, 2);
    assert.equal(j.heads, 4);
    assert.equal(j.attentions.length, 2);
    assert.equal(j.attentions[0].length, 4);
    (golden.attentions as number[][][][]).forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, q) => row.forEach((v, k) => {
      assert.ok(Math.abs(v - j.attentions[l][h][q][k]) < 1e-4);
    }))));
    (golden.hidden_states_last as number[][]).forEach((row, t) => row.forEach((v, c) => assert.ok(Math.abs(v - j.hidden_states_last[t][c]) < 1e-4)));
    assert.deepEqual(j.next_token_top.map((e: { id: number }) => e.id), golden.last_logits_top10.ids);
    assert.equal(j.mask_top, undefined);
  });

  // Llama-family folders: llama-tiny (GQA, RoPE) and, from test/fixtures/decoders, Qwen3 (head_dim 16 × 4 heads ≠ 32 wide) and Mistral (sliding window 5)
  for (const [label, folder] of [['llama-tiny', join(models, 'llama-tiny')], ['qwen3-tiny', join(__dirname, '..', '..', 'fixtures', 'decoders', 'qwen3-tiny')], ['mistral-window', join(__dirname, '..', '..', 'fixtures', 'decoders', 'mistral-window')]] as const) {
    it(`${label} --ids --json: attentions [L][H][T][T], hidden_states_last [T][C] (after the final norm) and next_token_top equal transformers`, async () => {
      const golden = JSON.parse(readFileSync(join(folder, 'golden.json'), 'utf8')).cases[0];
      const { code, out, err } = await run(['attention', '--model', folder, '--json', '--ids', golden.input_ids.join(',')]);
      assert.equal(code, 0, err);
      const j = JSON.parse(out);
      const T = golden.input_ids.length, C = golden.hidden_states_last[0].length;
      assert.deepEqual(j.tokens.map((t: { id: number }) => t.id), golden.input_ids);
      assert.deepEqual([j.attentions.length, j.attentions[0].length, j.attentions[0][0].length, j.attentions[0][0][0].length], [golden.attentions.length, golden.attentions[0].length, T, T]);
      (golden.attentions as number[][][][]).forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, q) => row.forEach((v, k) => {
        assert.ok(Math.abs(v - j.attentions[l][h][q][k]) < 1e-4, `attention [${l}][${h}][${q}][${k}]`);
      }))));
      assert.deepEqual([j.hidden_states_last.length, j.hidden_states_last[0].length], [T, C]);
      (golden.hidden_states_last as number[][]).forEach((row, t) => row.forEach((v, c) => assert.ok(Math.abs(v - j.hidden_states_last[t][c]) < 1e-4)));
      assert.deepEqual(j.next_token_top.map((e: { id: number }) => e.id), golden.last_logits_top10.ids);
      assert.equal(j.mask_top, undefined);
    });
  }

  it('llama-tiny --ids 1,450,4996 --json: 2 layers × 4 heads of 3 × 3 causal rows, 3 × 32 hidden states, a top-10', async () => {
    const j = JSON.parse((await run(['attention', '--model', join(models, 'llama-tiny'), '--json', '--ids', '1,450,4996'])).out);
    assert.deepEqual([j.layers, j.heads], [2, 4]);
    for (const layer of j.attentions) for (const head of layer) {
      assert.equal(head.length, 3);
      head.forEach((row: number[], q: number) => {
        assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6);
        assert.ok(row.slice(q + 1).every((v) => v === 0), 'causal');
      });
    }
    assert.deepEqual([j.hidden_states_last.length, j.hidden_states_last[0].length], [3, 32]);
    assert.equal(j.next_token_top.length, 10);
  });

  it('BERT --text adds [CLS]/[SEP], matches [MASK] and gives the MLM top-5', async () => {
    const golden = JSON.parse(readFixture('models', 'bert-tiny', 'golden.json')).cases[0];
    const j = JSON.parse((await run(['attention', '--model', join(models, 'bert-tiny'), '--text', golden.text, '--json'])).out);
    assert.deepEqual(j.tokens.map((t: { id: number }) => t.id), golden.input_ids);
    assert.deepEqual(j.mask_top, golden.mlm_top5_at_mask.map((m: { pos: number; ids: number[] }) => ({ pos: m.pos, ids: m.ids })));
    assert.equal(j.next_token_top, undefined);
  });

  it('--ids runs without tokenizing; the text view prints shaded heads and predictions', async () => {
    const { code, out } = await run(['attention', '--model', join(models, 'distilbert-tiny'), '--ids', '101,3000,2003,1996,103,1997,2605,1012,102']);
    assert.equal(code, 0);
    assert.match(out, /distilbert · 2 layers × 4 heads/);
    assert.match(out, /layer 1 head 3/);
    assert.match(out, /\[MASK\] at 4: .*24026/); // golden mlm top-1 for this case
  });

  describe('model folders with slow-tokenizer files', () => {
    let dir: string;
    beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tt-cli-')); });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('vocab.json + merges.txt (GPT-2) and vocab.txt (BERT) tokenize as the reference', async () => {
      for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(models, 'gpt2-tiny', f), join(dir, f));
      for (const f of ['vocab.json', 'merges.txt']) copyFileSync(join(HF_FIXTURES, 'tokenizers', 'gpt2', f), join(dir, f));
      const golden = JSON.parse(readFixture('models', 'gpt2-tiny', 'golden.json')).cases[3];
      const j = JSON.parse((await run(['attention', '--model', dir, '--text', golden.text, '--json'])).out);
      assert.deepEqual(j.tokens.map((t: { id: number }) => t.id), golden.input_ids);

      rmSync(dir, { recursive: true, force: true });
      dir = mkdtempSync(join(tmpdir(), 'tt-cli-'));
      for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(models, 'bert-tiny', f), join(dir, f));
      copyFileSync(join(HF_FIXTURES, 'tokenizers', 'bert-base-uncased', 'vocab.txt'), join(dir, 'vocab.txt'));
      const bert = JSON.parse(readFixture('models', 'bert-tiny', 'golden.json')).cases[1];
      const k = JSON.parse((await run(['attention', '--model', dir, '--text', bert.text, '--json'])).out);
      assert.deepEqual(k.tokens.map((t: { id: number }) => t.id), bert.input_ids);
    });

    it('defaults to the bundled tiny-gpt, labels its named heads, and runs tiny-bert by name', async () => {
      const d = await run(['attention', '--text', 'The cat sat on the mat.', '--json']);
      assert.equal(d.code, 0, d.err);
      const j = JSON.parse(d.out);
      assert.equal(j.model, 'tiny-gpt');
      assert.equal(j.attentions.length, 4);
      assert.equal(j.next_token_top.length, 10);
      const text = (await run(['attention', '--text', 'The cat sat on the mat.'])).out;
      const card = JSON.parse(readFileSync(join(bundledModelFolder('tiny-gpt'), 'card.json'), 'utf8')) as { heads: { pattern: HeadPattern; layer: number; head: number; score: number }[] };
      assert.match(text, /^  <\|endoftext\|> │█/m, 'the text starts with the BOS token, its label whole, all weight on itself');
      const bars = text.split('\n').filter((line) => line.includes('│')).map((line) => line.indexOf('│'));
      assert.ok(bars.length > 0 && bars.every((b) => b === bars[0]), 'the matrix rows line up');
      const labelled = [...text.matchAll(/layer (\d) head (\d)  \S/g)].map((m) => `${m[1]}/${m[2]}`);
      assert.deepEqual(labelled, card.heads.filter((h) => h.score >= NAMED_HEAD_MIN_SCORE[h.pattern]).map((h) => `${h.layer}/${h.head}`).sort(), "labels exactly the card heads at or over their pattern's bar");
      const b = JSON.parse((await run(['attention', '--model', 'tiny-bert', '--text', 'A bird in the hand is worth two in the [MASK].', '--json'])).out);
      assert.equal(b.tokens[0].text, '[CLS]');
      assert.equal(b.mask_top.length, 1);
      assert.equal(b.mask_top[0].pos, b.tokens.findIndex((t: { text: string }) => t.text === '[MASK]'));
    });

    it('errors name the problem: no folder, pickle weights, bad ids, too many tokens (truncated with a notice)', async () => {
      assert.match((await run(['attention', '--model', join(dir, 'nope'), '--text', 'x'])).err, /no such file or folder/);
      writeFileSync(join(dir, 'pytorch_model.bin'), 'x');
      assert.match((await run(['attention', '--model', dir, '--text', 'x'])).err, /use a safetensors file/);
      assert.match((await run(['attention', '--model', join(models, 'gpt2-tiny'), '--ids', '1,x'])).err, /--ids must be comma-separated/);
      process.env.HF_HUB_OFFLINE = '1';
      process.env.HF_HUB_CACHE = join(dir, 'empty-cache');
      try {
        assert.match((await run(['attention', '--model', 'tiny-gtp', '--text', 'x'])).err, /"tiny-gtp" is not a bundled model \(tiny-gpt, tiny-bert, tiny-translator\) nor a file or folder; as a Hugging Face id: tiny-gtp is not in the Hugging Face cache/);
      } finally {
        delete process.env.HF_HUB_OFFLINE;
        delete process.env.HF_HUB_CACHE;
      }
      const long = await run(['attention', '--model', join(models, 'gpt2-tiny'), '--text', 'word '.repeat(100), '--json']);
      assert.equal(long.code, 0);
      assert.match(long.err, /only the first 64 were used/);
      assert.equal(JSON.parse(long.out).tokens.length, 64);
    });
  });

  it('stops quietly when the reader closes the pipe (`trace attention | head -1`)', function () {
    this.timeout(60_000);
    const r = spawnSync('bash', ['-c', 'set -o pipefail; node --import tsx src/cli/main.ts attention --text "The quick brown fox jumps" | head -1'], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^tiny-gpt /);
    assert.doesNotMatch(r.stderr, /EPIPE/);
  });
});

describe('CLI: trace predict and mask-demo', () => {
  it('predict --json (GPT-2): the listed tokens are transformers\' top-10, their probability ratios follow its logits, warpers cut as asked', async () => {
    const golden = JSON.parse(readFixture('models', 'gpt2-tiny', 'golden.json')).cases[0];
    const { code, out } = await run(['predict', '--model', join(models, 'gpt2-tiny'), '--text', golden.text, '--top-k', '3', '--top-p', '1', '--json']);
    assert.equal(code, 0);
    const j = JSON.parse(out);
    assert.deepEqual(j.tokens.map((t: { id: number }) => t.id), golden.last_logits_top10.ids);
    const logits: number[] = golden.last_logits_top10.values;
    const raw: number[] = j.stages[0].probs;
    for (let i = 1; i < 10; i++) assert.ok(Math.abs(Math.log(raw[0] / raw[i]) - (logits[0] - logits[i])) < 1e-3);
    const topK: number[] = j.stages[2].probs;
    assert.equal(j.stages[2].kept, 3);
    assert.ok(topK.slice(3).every((p) => p === 0));
    assert.ok(Math.abs(topK[0] + topK[1] + topK[2] - 1) < 1e-9);
    assert.match((await run(['predict', '--model', join(models, 'gpt2-tiny'), '--text', 'x', '--temperature', '0'])).err, /temperature must be a number above 0/);
  });

  it('mask-demo: seeded, special tokens untouched, predictions at each chosen position; GPT models are refused', async () => {
    const text = 'the quick brown fox jumps over the lazy dog and the cat sat on the mat while the bird sang in the tree';
    const a = await run(['mask-demo', '--model', 'tiny-bert', '--text', text, '--seed', '5', '--json']);
    assert.equal(a.code, 0, a.err);
    const j = JSON.parse(a.out);
    assert.deepEqual(JSON.parse((await run(['mask-demo', '--model', 'tiny-bert', '--text', text, '--seed', '5', '--json'])).out), j);
    assert.equal(j.tokens[0].text, '[CLS]');
    assert.equal(j.tokens[0].action, undefined);
    assert.equal(j.tokens[j.tokens.length - 1].action, undefined);
    const chosen = j.tokens.filter((t: { action?: string }) => t.action);
    assert.ok(chosen.length > 0);
    for (const t of chosen) {
      assert.equal(t.top.length, 5);
      if (t.action === 'mask') assert.equal(t.input_text, '[MASK]');
      if (t.action === 'keep') assert.equal(t.input_id, t.id);
    }
    assert.match((await run(['mask-demo', '--model', 'tiny-gpt', '--text', 'x'])).err, /needs a masked language model .* tiny-gpt is a causal language model \(gpt2\)/);
  });
});
