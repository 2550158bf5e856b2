/**
 * The engine worker: its request handlers (what the panel, hover and status bar ask
 * for), and the real worker thread from dist/ answering while the caller's event loop
 * keeps running.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { handle } from '../../src/engine/worker/handlers';
import { MAX_SELECTION_CHARS } from '../../src/shared/engineProtocol';
import { goldenTokenizerCases } from './fixtures';

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

  const workerFile = resolve(__dirname, '..', '..', 'dist', 'engineWorker.js');
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
