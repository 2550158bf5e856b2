/**
 * Built-in and tokenizer.json tokenizers against Hugging Face / tiktoken outputs
 * (../shared/fixtures/hf/tokenizers/golden.json).
 */
import { strict as assert } from 'node:assert';
import { loadBuiltinTokenizer } from '../../src/engine/tokenizers/builtin';
import { loadTokenizerJson } from '../../src/engine/tokenizers/hf/loadTokenizerJson';
import { codePointToUtf16Offsets, goldenTokenizerCases, readFixture } from './fixtures';

const cases = goldenTokenizerCases();
const SPECIAL_CASE = '<|endoftext|>';

describe('golden tokenizer cases (Hugging Face, tiktoken)', () => {
  it('has the 20 reference cases', () => assert.equal(cases.length, 20));

  describe('built-in gpt2 (r50k_base) = tiktoken encode_ordinary', () => {
    const gpt2 = loadBuiltinTokenizer('gpt2');
    for (const c of cases) {
      it(`ids and offsets: ${JSON.stringify(c.text).slice(0, 60)}`, () => {
        const tokens = gpt2.encodeTokens(c.text);
        assert.deepEqual(gpt2.encode(c.text), c.gpt2.ids);
        assert.deepEqual(tokens.map((t) => t.id), c.gpt2.ids);
        if (!c.text.includes(SPECIAL_CASE)) {
          assert.deepEqual(tokens.map((t) => t.text), c.gpt2.tokens);
          assert.deepEqual(tokens.map((t) => [t.start, t.end]), codePointToUtf16Offsets(c.text, c.gpt2.offsets));
        }
        assert.equal(gpt2.decode(c.gpt2.ids), c.text);
      });
    }
  });

  describe('built-in bert-base-uncased = BertWordPieceTokenizer', () => {
    const bert = loadBuiltinTokenizer('bert-base-uncased');
    for (const c of cases) {
      it(`ids, tokens and offsets: ${JSON.stringify(c.text).slice(0, 60)}`, () => {
        const tokens = bert.encodeTokens(c.text);
        assert.deepEqual(tokens.map((t) => t.id), c.bert_uncased.ids);
        assert.deepEqual(tokens.map((t) => t.text), c.bert_uncased.tokens);
        assert.deepEqual(tokens.map((t) => [t.start, t.end]), codePointToUtf16Offsets(c.text, c.bert_uncased.offsets));
      });
    }
  });

  describe('tokenizer.json loader', () => {
    const gpt2Json = loadTokenizerJson(readFixture('tokenizers', 'gpt2', 'tokenizer.json'), 'gpt2/tokenizer.json');
    const bertJson = loadTokenizerJson(readFixture('tokenizers', 'bert-base-uncased', 'tokenizer.json'), 'bert/tokenizer.json');
    const gpt2 = loadBuiltinTokenizer('gpt2');
    const bert = loadBuiltinTokenizer('bert-base-uncased');
    for (const c of cases) {
      it(`gpt2 tokenizer.json = Hugging Face: ${JSON.stringify(c.text).slice(0, 60)}`, () => {
        const tokens = gpt2Json.encodeTokens(c.text);
        assert.deepEqual(tokens.map((t) => t.text), c.gpt2.tokens);
        assert.deepEqual(tokens.map((t) => [t.start, t.end]), codePointToUtf16Offsets(c.text, c.gpt2.offsets));
        if (!c.text.includes(SPECIAL_CASE)) {
          assert.deepEqual(tokens.map((t) => t.id), c.gpt2.ids);
          assert.deepEqual(gpt2Json.encode(c.text), gpt2.encode(c.text), 'same ids as the built-in gpt2');
        }
        assert.equal(gpt2Json.decode(tokens.map((t) => t.id)), c.text);
      });
      it(`bert tokenizer.json = Hugging Face = built-in: ${JSON.stringify(c.text).slice(0, 60)}`, () => {
        assert.deepEqual(bertJson.encode(c.text), c.bert_uncased.ids);
        assert.deepEqual(bertJson.encode(c.text), bert.encode(c.text));
      });
    }

    it('matches <|endoftext|> as the special token 50256, as Hugging Face does (fixture README)', () => {
      const c = cases.find((x) => x.text.includes(SPECIAL_CASE))!;
      const tokens = gpt2Json.encodeTokens(c.text);
      assert.equal(tokens[0].id, 50256);
      assert.equal(tokens[0].special, true);
      assert.equal(tokens.length, c.gpt2.tokens.length);
    });

    it('treats <|endoftext|> as text when special tokens are switched to plain', () => {
      const c = cases.find((x) => x.text.includes(SPECIAL_CASE))!;
      assert.deepEqual(gpt2Json.encode(c.text, { specialTokens: 'plain' }), c.gpt2.ids);
    });
  });

  it('built-in gpt2 matches <|endoftext|> only when asked (tiktoken default is plain text)', () => {
    const gpt2 = loadBuiltinTokenizer('gpt2');
    const ids = gpt2.encode('<|endoftext|> hi', { specialTokens: 'match' });
    assert.equal(ids[0], 50256);
    assert.deepEqual(ids.slice(1), gpt2.encode(' hi'));
    assert.equal(gpt2.encodeTokens('<|endoftext|>', { specialTokens: 'match' })[0].special, true);
  });
});
