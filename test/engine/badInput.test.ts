/** Bad input gets a clear error naming the problem, or is handled as the references do. */
import { strict as assert } from 'node:assert';
import { loadBuiltinTokenizer } from '../../src/engine/tokenizers/builtin';
import { loadTokenizerJson } from '../../src/engine/tokenizers/hf/loadTokenizerJson';

const wordPieceJson = (vocab: Record<string, number> | string, extra: object = {}) => JSON.stringify({
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: 'VOCAB' },
  pre_tokenizer: { type: 'WhitespaceSplit' }, ...extra,
}).replace('"VOCAB"', typeof vocab === 'string' ? vocab : JSON.stringify(vocab));

describe('bad input', () => {
  it('lone surrogates become U+FFFD, as tiktoken does', () => {
    const gpt2 = loadBuiltinTokenizer('gpt2');
    assert.deepEqual(gpt2.encode('a\ud800b'), gpt2.encode('a\ufffdb'));
    assert.deepEqual(gpt2.encode('\udc00'), gpt2.encode('\ufffd'));
    assert.equal(gpt2.decode(gpt2.encode('x\ud83dy')), 'x\ufffdy');
  });

  it('NUL and control characters round-trip through byte-level BPE; BERT drops them', () => {
    const s = 'a\u0000b\u0007c\u001b[0m';
    const gpt2 = loadBuiltinTokenizer('gpt2');
    assert.equal(gpt2.decode(gpt2.encode(s)), s);
    const bert = loadBuiltinTokenizer('bert-base-uncased');
    assert.deepEqual(bert.encode('a\u0000b'), bert.encode('ab'));
  });

  it('BERT: a word over 100 characters is [UNK]', () => {
    const bert = loadBuiltinTokenizer('bert-base-uncased');
    assert.deepEqual(bert.encodeTokens('a'.repeat(101)).map((t) => t.text), ['[CLS]', '[UNK]', '[SEP]']);
    assert.notDeepEqual(bert.encodeTokens('a'.repeat(100)).map((t) => t.text), ['[CLS]', '[UNK]', '[SEP]']);
  });

  it('vocabulary entries named __proto__ and constructor are ordinary tokens', () => {
    // written as JSON text: in an object literal `__proto__` would set the prototype instead
    const tok = loadTokenizerJson(wordPieceJson('{"[UNK]": 0, "__proto__": 1, "constructor": 2, "toString": 3}'), 'proto.json');
    assert.deepEqual(tok.encode('__proto__ constructor toString hasOwnProperty'), [1, 2, 3, 0]);
    assert.equal(tok.idToToken(1), '__proto__');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('malformed tokenizer.json: the error names the field', () => {
    assert.throws(() => loadTokenizerJson('{not json', 'x.json'), /x\.json: not valid JSON/);
    assert.throws(() => loadTokenizerJson('{}', 'x.json'), /x\.json: model: expected an object, got undefined/);
    assert.throws(() => loadTokenizerJson(JSON.stringify({ model: { type: 'BPE', vocab: [], merges: [] } }), 'x.json'), /model\.vocab: expected an object, got array/);
    assert.throws(() => loadTokenizerJson(JSON.stringify({ model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: ['a b'] } }), 'x.json'), /model\.merges\[0\]: "a b" uses a token missing from model\.vocab/);
    assert.throws(() => loadTokenizerJson(JSON.stringify({ model: { type: 'BPE', vocab: { a: 0 }, merges: [42] } }), 'x.json'), /model\.merges\[0\]: expected "a b"/);
    assert.throws(() => loadTokenizerJson(JSON.stringify({ model: { type: 'Magic' } }), 'x.json'), /model\.type: unsupported model "Magic"/);
    assert.throws(() => loadTokenizerJson(wordPieceJson({ '[UNK]': 0 }, { normalizer: { type: 'Nope' } }), 'x.json'), /normalizer\.type: unsupported normalizer "Nope"/);
    assert.throws(() => loadTokenizerJson(wordPieceJson({ '[UNK]': 0 }, { pre_tokenizer: { type: 'Split', pattern: { Regex: '(' }, behavior: 'Isolated' } }), 'x.json'), /pre_tokenizer\.pattern\.Regex: cannot compile/);
    assert.throws(() => loadTokenizerJson(wordPieceJson({ a: 0 }), 'x.json'), /model\.unk_token: "\[UNK\]" is not in model\.vocab/);
    assert.throws(() => loadTokenizerJson(wordPieceJson({ '[UNK]': -1 }), 'x.json'), /model\.vocab\["\[UNK\]"\]: expected a non-negative integer id/);
  });

  it('unknown tokenizer names list the built-in ones', () => {
    assert.throws(() => loadBuiltinTokenizer('gpt5'), /Unknown tokenizer "gpt5"\. Built-in: gpt2, r50k_base/);
  });
});
