/**
 * The panel's tokenize answer as bytes (src/shared/tokensWire.ts) gives the webview the
 * same tokens as before: the worker's `tokenizeBytes` answer, posted as the host posts it
 * (encodeNonFinite, then VS Code's channel: test/webview/vscodeChannel.ts, after
 * extHostWebviewMessaging.ts, which carries the Uint8Array as bytes) and decoded as the
 * webview decodes it, equals the `tokenize` answer, which a plain `tokens` message carries,
 * and the former JSON-text route; its ids are js-tiktoken's. On mixed scripts, emoji, a
 * lone surrogate (JSON escapes it) and a text over the panel's limit (counts of the whole
 * text, the shown prefix). The channel must carry the bytes: a plain array would fail the check.
 */
import { strict as assert } from 'node:assert';
import { Tiktoken } from 'js-tiktoken/lite';
import { handle } from '../../src/engine/worker/handlers';
import { decodeNonFinite, encodeNonFinite } from '../../src/shared/channelWire';
import { isHostToWebview, type HostToWebview, type TokenizeResult } from '../../src/shared/protocol';
import { decodeTokensBytes } from '../../src/shared/tokensWire';
import { throughVsCodeChannel } from '../webview/vscodeChannel';

const cl100k = new Tiktoken(require('js-tiktoken/ranks/cl100k_base'));

/** What the webview's `tokensBytes` case shows: the message through the host's encoding, the channel and the webview's decoding. */
function shownFromBytes(bytes: Uint8Array): TokenizeResult {
  const delivered = decodeNonFinite(throughVsCodeChannel(encodeNonFinite({ type: 'tokensBytes', bytes } satisfies HostToWebview)));
  assert.ok(isHostToWebview(delivered) && delivered.type === 'tokensBytes', 'the webview accepts the message');
  const tokens = { type: 'tokens', result: decodeTokensBytes(delivered.bytes) };
  assert.ok(isHostToWebview(tokens) && tokens.type === 'tokens', 'the bytes hold a tokens result');
  return tokens.result;
}

const TEXTS = {
  'mixed scripts and emoji': 'The quick brown fox 🦊 says 你好, naïve café — “quoted” it\'s\n\tfunction(x) { return x * 2; } 👩‍👩‍👧 ١٢٣',
  'a lone surrogate': 'before \ud83d after and \udc00 too',
  'special-token text': 'a <|endoftext|> b',
};

describe('panel tokenize answer as bytes', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    it(`${name}: the webview gets the tokenize answer (as the JSON-text route gave it) and js-tiktoken's ids`, () => {
      const request = { tokenizer: 'cl100k_base', text, source: 'sample.txt:1', special: 'default', limit: 20_000 } as const;
      const bytes = handle({ kind: 'tokenizeBytes', ...request });
      assert.ok(bytes instanceof Uint8Array);
      const plain = handle({ kind: 'tokenize', ...request });
      const shown = shownFromBytes(bytes);
      assert.deepEqual(shown, JSON.parse(JSON.stringify(plain)), 'the former JSON-text route');
      assert.deepEqual(shown.tokens.map((t) => t.source), plain.tokens.map((t) => t.source));
      assert.deepEqual(shown.tokens.map((t) => t.id), cl100k.encode(text, [], []));
    });
  }

  it('a text over the panel\'s limit: the whole text\'s counts, the shown prefix\'s tokens', () => {
    const text = Object.values(TEXTS).join(' ').repeat(400);
    const request = { tokenizer: 'cl100k_base', text, source: 'big.txt:1', special: 'default', limit: 500 } as const;
    const shown = shownFromBytes(handle({ kind: 'tokenizeBytes', ...request }));
    const want = cl100k.encode(text, [], []);
    assert.equal(shown.counts.tokens, want.length);
    assert.equal(shown.truncated, true);
    assert.deepEqual(shown.tokens.map((t) => t.id), want.slice(0, 500));
    assert.deepEqual(shown, JSON.parse(JSON.stringify(handle({ kind: 'tokenize', ...request }))));
  });

  it('the webview refuses bytes as a plain array and bytes that are not JSON', () => {
    const bytes = handle({ kind: 'tokenizeBytes', tokenizer: 'gpt2', text: 'hi', source: 's', special: 'default', limit: 10 });
    assert.ok(!isHostToWebview({ type: 'tokensBytes', bytes: Array.from(bytes) }));
    assert.throws(() => decodeTokensBytes(new TextEncoder().encode('{"tokens": [')));
  });
});
