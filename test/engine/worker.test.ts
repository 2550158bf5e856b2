/**
 * The engine worker: its request handlers (what the panel, hover and status bar ask
 * for), and the real worker thread from dist/ answering while the caller's event loop
 * keeps running.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { handle } from '../../src/engine/worker/handlers';
import { MAX_SELECTION_CHARS } from '../../src/shared/engineProtocol';
import { goldenTokenizerCases, HF_FIXTURES, readFixture } from './fixtures';

const workerFile = resolve(__dirname, '..', '..', 'dist', 'engineWorker.js');

const fox = goldenTokenizerCases()[0];

describe('engine worker', () => {
  it('tokenize: reference ids, counts, sources of each token', () => {
    const r = handle({ kind: 'tokenize', tokenizer: 'gpt2', text: fox.text, source: 'x.txt:1', special: 'default', limit: 1000 });
    assert.deepEqual(r.tokens.map((t) => t.id), fox.gpt2.ids);
    assert.deepEqual(r.counts, { tokens: 10, characters: 44, bytes: 44 });
    assert.equal(r.tokens[1].source, ' quick');
    assert.equal(r.truncated, false);
  });

  it('tokenize: a large selection counts everything and shows the first tokens', () => {
    const text = `${fox.text} `.repeat(20_000);
    const r = handle({ kind: 'tokenize', tokenizer: 'cl100k_base', text, source: 'big', special: 'default', limit: 500 });
    assert.equal(r.tokens.length, 500);
    assert.equal(r.truncated, true);
    assert.equal(r.counts.tokens, handle({ kind: 'count', tokenizer: 'cl100k_base', text, special: 'default' }));
  });

  it('refuses a selection over the limit with a message naming it', () => {
    assert.throws(() => handle({ kind: 'count', tokenizer: 'gpt2', text: 'a'.repeat(MAX_SELECTION_CHARS + 1), special: 'default' }), /at most 16,777,216 \(16 MiB\)/);
  });

  it('trace: the merges of the clicked token, BERT attempts, special tokens', () => {
    const t = handle({ kind: 'trace', tokenizer: 'gpt2', text: fox.text, special: 'default', tokenIndex: 1 });
    assert.equal(t.piece?.text, ' quick');
    assert.equal(t.piece?.merges?.at(-1)?.merged, 'Ġquick');
    // greedy longest match: every candidate found is a token, each after all longer candidates failed
    const b = handle({ kind: 'trace', tokenizer: 'bert-base-uncased', text: 'unaffable', special: 'default', tokenIndex: 2 });
    const found = b.piece!.attempts!.filter((a) => a.found).map((a) => a.candidate);
    const tokens = handle({ kind: 'tokenize', tokenizer: 'bert-base-uncased', text: 'unaffable', source: '', special: 'default', limit: 10 }).tokens;
    assert.deepEqual(found, tokens.slice(1, -1).map((t) => t.text));
    assert.equal(b.piece!.attempts![0].candidate, 'unaffable');
    const s = handle({ kind: 'trace', tokenizer: 'bert-base-uncased', text: 'hi', special: 'default', tokenIndex: 0 });
    assert.equal(s.piece, undefined, '[CLS] comes from the post-processor, not from a piece');
  });

  it('hover: the token under a column, in context', () => {
    const h = handle({ kind: 'hover', tokenizer: 'gpt2', line: fox.text, column: 6, special: 'default' });
    assert.equal(h?.tokens[0].id, 2068);
    assert.equal(h?.tokens[0].text, 'Ġquick');
    assert.equal(h?.index, 1);
    const cjk = handle({ kind: 'hover', tokenizer: 'gpt2', line: '好好学习', column: 0, special: 'default' });
    assert.ok((cjk?.tokens.length ?? 0) >= 1);
  });

  it('train: the worked example through the worker handler', () => {
    const text = 'low '.repeat(5) + 'lower '.repeat(2) + 'newest '.repeat(6) + 'widest '.repeat(3);
    const r = handle({ kind: 'train', text, mode: 'classic', merges: 12, minFrequency: 2 });
    assert.deepEqual(r.merges.slice(0, 3).map((m) => m.merged), ['es', 'est', 'est</w>']);
  });

  (existsSync(workerFile) ? it : it.skip)('the built worker thread tokenizes 8 MB while the caller keeps running', async () => {
    const worker = new Worker(workerFile);
    try {
      const text = `${fox.text}\n`.repeat(190_000);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const answer = await new Promise<{ ok: boolean; value: number }>((res) => {
        worker.once('message', res);
        worker.postMessage({ id: 1, request: { kind: 'count', tokenizer: 'gpt2', text, special: 'default' } });
      });
      clearInterval(timer);
      assert.equal(answer.ok, true);
      assert.equal(answer.value, 11 * 190_000); // 10 tokens + the newline, as tiktoken counts the case
      assert.ok(ticks > 0, 'the event loop ran during the request');
    } finally {
      await worker.terminate();
    }
  });
});

describe('engine worker: attention', () => {
  const model = join(HF_FIXTURES, 'models', 'gpt2-tiny');

  it('the panel\'s budget cuts the input so layers × heads × T² fits, with a notice; a causal prefix keeps its attention', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen';
    const full = handle({ kind: 'attention', model, text, record: 'weights' });
    const cut = handle({ kind: 'attention', model, text, record: 'weights', maxAttentionFloats: 2 * 4 * 10 * 10 + 5 });
    assert.equal(full.T, 16);
    assert.equal(cut.T, 10);
    assert.match(cut.notice!, /shows the first 10 tokens: every layer and head over 16 tokens would be 0 MB/);
    for (let l = 0; l < 2; l++) for (let h = 0; h < 4; h++) for (let q = 0; q < 10; q++) for (let k = 0; k < 10; k++) {
      assert.ok(Math.abs(cut.attentions[l][h * 100 + q * 10 + k] - full.attentions[l][h * 256 + q * 16 + k]) < 1e-5);
    }
    const step = handle({ kind: 'step', model, text, layer: 1, head: 2, query: 9, maxAttentionFloats: 2 * 4 * 10 * 10 + 5 });
    assert.equal(step.T, 10);
  });

  it('runs a model folder on text: tokens, [H, T, T] attention per layer, next-token top-10 (transformers)', () => {
    const golden = JSON.parse(readFixture('models', 'gpt2-tiny', 'golden.json')).cases[0];
    const a = handle({ kind: 'attention', model, text: golden.text, record: 'weights' });
    assert.deepEqual(a.tokens.map((t) => t.id), golden.input_ids);
    assert.equal(a.attentions.length, 2);
    assert.equal(a.attentions[0].length, 4 * a.T * a.T);
    (golden.attentions[1][2] as number[][]).forEach((row, q) => row.forEach((v, k) => assert.ok(Math.abs(v - a.attentions[1][2 * a.T * a.T + q * a.T + k]) < 1e-4)));
    assert.deepEqual(a.nextTokenTop!.map((e) => e.id), golden.last_logits_top10.ids);
    assert.ok(a.timings.forward >= 0);
  });

  (existsSync(workerFile) ? it : it.skip)('the built worker stops a cancelled pass, then serves the next request', async () => {
    const worker = new Worker(workerFile);
    try {
      const progress: { id: number; progress: { done: number; total: number } }[] = [];
      const ask = (id: number, cancel: Int32Array) => new Promise<{ ok: boolean; error?: string; value?: { T: number } }>((res) => {
        const onMessage = (m: { ok?: boolean; id: number; progress?: { done: number; total: number } }) => {
          if (m.progress) { progress.push(m as (typeof progress)[number]); return; }
          worker.off('message', onMessage);
          res(m as { ok: boolean });
        };
        worker.on('message', onMessage);
        worker.postMessage({ id, request: { kind: 'attention', model, text: 'The quick brown fox', record: 'all', cancel } });
      });
      const flag = new Int32Array(new SharedArrayBuffer(4));
      Atomics.store(flag, 0, 1); // cancelled before the first layer
      const stopped = await ask(1, flag);
      assert.equal(stopped.ok, false);
      assert.equal(stopped.error, 'cancelled');
      const next = await ask(2, new Int32Array(new SharedArrayBuffer(4)));
      assert.equal(next.ok, true);
      assert.equal(next.value!.T, 4);
      // loading reported its progress once, for the first request: rising to the whole size
      assert.ok(progress.length >= 2 && progress.every((p) => p.id === 1));
      assert.ok(progress.every((p, i) => i === 0 || p.progress.done >= progress[i - 1].progress.done));
      assert.equal(progress[progress.length - 1].progress.done, progress[0].progress.total);
    } finally {
      await worker.terminate();
    }
  });
});
