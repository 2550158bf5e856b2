/**
 * With special tokens matched (`--special match`), every token's `bytes` must decode back
 * to the text it covers, special tokens included: the concatenated bytes of a byte-level
 * encoding are the input's UTF-8. Checked for the tiktoken built-ins on each of their
 * special tokens, beside multi-byte text, and for GPT-2 loaded from its tokenizer.json.
 */
import { strict as assert } from 'node:assert';
import { loadBuiltinTokenizer } from '../../../src/engine/tokenizers/builtin';
import { loadTokenizerJson } from '../../../src/engine/tokenizers/hf/loadTokenizerJson';
import type { Tokenizer } from '../../../src/engine/tokenizers/types';
import { readFixture } from '../fixtures';

const SPECIALS: Record<string, string[]> = {
  gpt2: ['<|endoftext|>'],
  p50k_base: ['<|endoftext|>'],
  cl100k_base: ['<|endoftext|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|endofprompt|>'],
  o200k_base: ['<|endoftext|>', '<|endofprompt|>'],
};

const around = (special: string) => [`${special}`, `é${special}日本`, `a\u0000${special}${special}\ud83d\ude00`, ` ${special} \n`, `\ufeff${special}`];

function bytesRoundTrip(tok: Tokenizer, text: string): void {
  const tokens = tok.encodeTokens(text, { specialTokens: 'match' });
  const bytes = new Uint8Array(tokens.flatMap((t) => t.bytes));
  assert.deepEqual([...bytes], [...new TextEncoder().encode(text)], `${tok.name} on ${JSON.stringify(text)}`);
  assert.equal(tok.decode(tokens.map((t) => t.id)), text);
  const streamed = [...tok.tokenStream(text, { specialTokens: 'match' })].flatMap((t) => t.bytes);
  assert.deepEqual(streamed, [...bytes]);
}

describe('hostile: special tokens decode back to their text', () => {
  for (const [name, specials] of Object.entries(SPECIALS)) {
    it(`${name}: each special token's bytes are its UTF-8, and matched specials are single tokens`, () => {
      const tok = loadBuiltinTokenizer(name as 'gpt2');
      for (const s of specials) {
        for (const text of around(s)) bytesRoundTrip(tok, text);
        const one = tok.encodeTokens(s, { specialTokens: 'match' });
        assert.equal(one.length, 1);
        assert.equal(one[0].special, true);
      }
    });
  }

  it('gpt2 from tokenizer.json: the added <|endoftext|> decodes back, next to multi-byte text', () => {
    const tok = loadTokenizerJson(readFixture('tokenizers', 'gpt2', 'tokenizer.json'), 'gpt2.json');
    for (const text of around('<|endoftext|>')) {
      const tokens = tok.encodeTokens(text, { specialTokens: 'match' });
      assert.deepEqual(tokens.flatMap((t) => t.bytes), [...new TextEncoder().encode(text)], JSON.stringify(text));
    }
  });
});
