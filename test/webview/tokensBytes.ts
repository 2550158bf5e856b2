/**
 * Webview check for the panel's tokenize answer as bytes (run.ts calls it): the
 * `tokensBytes` message the host posts (UTF-8 JSON in a Uint8Array, src/shared/tokensWire.ts,
 * through the harness's stand-in for VS Code's channel, which carries it as bytes) draws the
 * Tokens view exactly as a `tokens` message with the same result does — counts, chips, their
 * titles, the ids — on a short sentence (gpt2) and on 256 KB of mixed text (cl100k_base, the
 * panel's 20,000 tokens of it), whose ids shown are js-tiktoken's.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import { handle } from '../../src/engine/worker/handlers';
import type { Harness } from './modernDecoder';

function assert(ok: unknown, message: string): asserts ok { if (!ok) throw new Error(message); }

/** ~`bytes` of mixed lines (prose, code, CJK, accents, emoji), seeded. */
function mixedText(bytes: number): string {
  const words = 'the quick brown fox jumps over a lazy dog 世界 你好 注意力 naïve café 🙂 🚀 42 3.14159 function(x) { return x * 2; } “quoted” it\'s'.split(' ');
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  let text = '';
  while (Buffer.byteLength(text) < bytes) {
    let line = '';
    for (let i = 0, n = 3 + Math.floor(rnd() * 14); i < n; i++) line += (i ? ' ' : '') + words[Math.floor(rnd() * words.length)];
    text += line + '.\n';
  }
  return text;
}

/** The Tokens view as drawn: its HTML, once a new render has replaced the marked one. */
async function drawnAfter(h: Pick<Harness, 'page' | 'send'>, message: unknown): Promise<string> {
  await h.page.evaluate(() => document.getElementById('counts')?.setAttribute('data-old', ''));
  await h.send(message);
  await h.page.waitForFunction(() => { const c = document.getElementById('counts'); return !!c && !c.hasAttribute('data-old'); }, undefined, { timeout: 60_000 });
  return h.page.evaluate(() => document.getElementById('tokens-pane')!.innerHTML);
}

export async function checkTokensBytes(h: Pick<Harness, 'page' | 'send'>, sentence: string): Promise<void> {
  const cl100k = new Tiktoken(require('js-tiktoken/ranks/cl100k_base'));
  const cases = [
    { tokenizer: 'gpt2', text: sentence, source: 'sample.txt:1' },
    { tokenizer: 'cl100k_base', text: mixedText(256 * 1024), source: 'big.txt:1-5000' },
  ];
  for (const c of cases) {
    const request = { ...c, special: 'default', limit: 20_000 } as const;
    const asObjects = await drawnAfter(h, { type: 'tokens', result: handle({ kind: 'tokenize', ...request }) });
    const asBytes = await drawnAfter(h, { type: 'tokensBytes', bytes: handle({ kind: 'tokenizeBytes', ...request }) });
    assert(asBytes === asObjects, `${c.tokenizer}: the Tokens view drawn from bytes differs from the one drawn from the tokens message`);
    const chips = await h.page.locator('#tokens .token').count();
    const ids = (await h.page.locator('#ids').textContent())?.split(', ').map(Number) ?? [];
    assert(chips === ids.length && chips > 0, `${chips} chips, ${ids.length} ids`);
    if (c.tokenizer === 'cl100k_base') {
      const want = cl100k.encode(c.text, [], []);
      assert(chips === 20_000, `${chips} chips of the first 20,000 tokens`);
      assert(ids.every((id, i) => id === want[i]), 'the ids shown are js-tiktoken\'s');
      const counts = await h.page.locator('#counts').textContent();
      assert(counts?.startsWith(`${want.length.toLocaleString('en-US')} tokens`), `counts read ${JSON.stringify(counts)}, js-tiktoken counts ${want.length}`);
    }
  }
}
