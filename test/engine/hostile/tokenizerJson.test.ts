/**
 * Hostile `tokenizer.json` files: ids that are not token ids, null list items, missing
 * unk tokens, empty or overflowing Unigram vocabularies. Each must be refused with the
 * field named, never loaded and never a raw TypeError. A valid file next to each broken
 * one must still load, so the checks cannot pass by refusing everything.
 */
import { strict as assert } from 'node:assert';
import { loadTokenizerJson } from '../../../src/engine/tokenizers/hf/loadTokenizerJson';

type Json = Record<string, unknown>;

const bpe = (extra: Json = {}, model: Json = {}): Json => ({
  model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2, '<unk>': 3 }, merges: ['a b'], unk_token: '<unk>', ...model },
  pre_tokenizer: { type: 'WhitespaceSplit' },
  ...extra,
});

const unigram = (vocab: unknown, extra: Json = {}): Json => ({ model: { type: 'Unigram', vocab, unk_id: 0, ...extra } });

const template = (ids: unknown[], tokens: string[] = ['<s>']): Json => ({
  type: 'TemplateProcessing',
  single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
  special_tokens: { '<s>': { id: '<s>', ids, tokens } },
});

const added = (id: unknown) => [{ id, content: '<x>', special: true, lstrip: false, rstrip: false, normalized: false, single_word: false }];

function refuses(json: Json, field: RegExp): void {
  assert.throws(() => loadTokenizerJson(JSON.stringify(json), 'hostile.json'), (e: Error) => {
    assert.ok(!(e instanceof TypeError), `raw TypeError: ${e.message}`);
    assert.match(e.message, /^hostile\.json: /);
    assert.match(e.message, field);
    return true;
  });
}

describe('hostile tokenizer.json: ids', () => {
  it('a well-formed base file loads and uses its added token and template', () => {
    const tok = loadTokenizerJson(JSON.stringify(bpe({ added_tokens: added(4), post_processor: template([4], ['<x>']) })), 'ok.json');
    assert.deepEqual(tok.encode('ab <x>'), [4, 2, 4]);
  });

  for (const bad of [1.5, -7, 'x', null, 1e300, 2 ** 53]) {
    it(`added_tokens id ${JSON.stringify(bad)} is refused`, () => refuses(bpe({ added_tokens: added(bad) }), /added_tokens\[0\]\.id/));
    it(`a template special-token id ${JSON.stringify(bad)} is refused`, () => refuses(bpe({ post_processor: template([bad]) }), /post_processor\.special_tokens\.<s>\.ids\[0\]/));
    it(`a BertProcessing cls id ${JSON.stringify(bad)} is refused`, () => refuses(bpe({ post_processor: { type: 'BertProcessing', cls: ['[CLS]', bad], sep: ['[SEP]', 1] } }), /post_processor\.cls/));
  }

  it('a template id at or past the vocabulary size is refused; the last id is fine', () => {
    refuses(bpe({ post_processor: template([4]) }), /ids\[0\]: id 4 is not below the vocabulary size 4/);
    refuses(bpe({ post_processor: { type: 'Sequence', processors: [{ type: 'ByteLevel' }, template([99])] } }), /post_processor\.processors\[1\]\.special_tokens/);
    assert.deepEqual(loadTokenizerJson(JSON.stringify(bpe({ post_processor: template([3]) })), 'ok.json').encode('a'), [3, 0]);
  });

  it('an added-token id far past the vocabulary is refused', () => refuses(bpe({ added_tokens: added(1e9) }), /added_tokens\[0\]\.id: id 1000000000 is not below/));
  it('a vocabulary id far past the number of tokens is refused', () => refuses(bpe({}, { vocab: { a: 0, b: 1, ab: 2, '<unk>': 4_000_000_000 } }), /model\.vocab\["<unk>"\]/));
  it('ids and tokens of a template entry must pair up', () => refuses(bpe({ post_processor: template([0, 1], ['a']) }), /2 ids but 1 tokens/));
  it('a template type_id must be a non-negative integer', () => {
    const pp = template([0]);
    (pp.single as Json[])[1] = { Sequence: { id: 'A', type_id: -1 } };
    refuses(bpe({ post_processor: pp }), /single\[1\]\.Sequence\.type_id/);
  });
});

describe('hostile tokenizer.json: models', () => {
  it('a BPE model whose unk_token is not in its vocabulary is refused', () => refuses(bpe({}, { unk_token: '[UNK]' }), /model\.unk_token: "\[UNK\]" is not in model\.vocab/));
  it('an empty Unigram vocabulary is refused', () => refuses(unigram([]), /model\.vocab: a Unigram model needs at least one piece/));
  for (const score of [1e308, -1e308, 1e10]) {
    it(`a Unigram score of ${score} is refused`, () => refuses(unigram([['<unk>', 0], ['a', score]]), /model\.vocab\[1\]: score/));
  }
  it('a Unigram unk_id outside the pieces is refused', () => refuses(unigram([['<unk>', 0]], { unk_id: 5 }), /model\.unk_id/));
  it('a Unigram vocabulary of ordinary scores still loads and segments', () => {
    const tok = loadTokenizerJson(JSON.stringify(unigram([['<unk>', 0], ['a', -1], ['b', -1], ['ab', -1.5]])), 'ok.json');
    assert.deepEqual(tok.encode('ab'), [3]);
  });
  it('a WordPiece max_input_chars_per_word that is not a count is refused', () => refuses({ model: { type: 'WordPiece', vocab: { '[UNK]': 0 }, max_input_chars_per_word: -3 } }, /max_input_chars_per_word/));
});

describe('hostile tokenizer.json: null items', () => {
  const cases: [string, Json, RegExp][] = [
    ['added_tokens', bpe({ added_tokens: [null] }), /added_tokens\[0\]: expected an object, got null/],
    ['normalizer Sequence', bpe({ normalizer: { type: 'Sequence', normalizers: [{ type: 'Lowercase' }, null] } }), /normalizer\.normalizers\[1\]: expected an object, got null/],
    ['pre-tokenizer Sequence', bpe({ pre_tokenizer: { type: 'Sequence', pretokenizers: [null] } }), /pre_tokenizer\.pretokenizers\[0\]: expected an object, got null/],
    ['post-processor Sequence', bpe({ post_processor: { type: 'Sequence', processors: [null] } }), /post_processor\.processors\[0\]: expected an object, got null/],
    ['template item', bpe({ post_processor: { ...template([0]), single: [null] } }), /post_processor\.single\[0\]: expected an object, got null/],
    ['template special token', bpe({ post_processor: { ...template([0]), special_tokens: { '<s>': null } } }), /special_tokens\.<s>: expected an object, got null/],
    ['decoder Sequence', bpe({ decoder: { type: 'Sequence', decoders: [null] } }), /decoder\.decoders\[0\]: expected an object, got null/],
    ['the model', { model: null }, /model: expected an object, got null/],
    ['a number as an added token', bpe({ added_tokens: [7] }), /added_tokens\[0\]: expected an object, got number/],
  ];
  for (const [what, json, field] of cases) it(`null in ${what} names the item`, () => refuses(json, field));
});
