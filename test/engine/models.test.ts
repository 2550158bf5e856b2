/**
 * Model-stage cases from the papers and references: BERT sentence pairs (Devlin et al.
 * 2018, Figure 2), Unigram Viterbi on a small hand-checkable vocabulary (Kudo 2018),
 * and a Metaspace + Unigram tokenizer.json as SentencePiece models are saved.
 */
import { strict as assert } from 'node:assert';
import { loadBuiltinTokenizer } from '../../src/engine/tokenizers/builtin';
import { UnigramModel } from '../../src/engine/tokenizers/hf/models';
import type { PieceTrace } from '../../src/engine/tokenizers/types';
import { loadTokenizerJson } from '../../src/engine/tokenizers/hf/loadTokenizerJson';

describe('models', () => {
  it('BERT pair input: [CLS] A [SEP] B [SEP] with token_type_ids 0…0 1…1 (BERT paper, Figure 2)', () => {
    const bert = loadBuiltinTokenizer('bert-base-uncased');
    const tokens = bert.encodeTokens('my dog is cute', { pair: 'he likes playing' });
    assert.deepEqual(tokens.map((t) => t.text), ['[CLS]', 'my', 'dog', 'is', 'cute', '[SEP]', 'he', 'likes', 'playing', '[SEP]']);
    assert.deepEqual(tokens.map((t) => t.typeId), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    assert.deepEqual(bert.encodeTokens('my dog', { addSpecialTokens: false }).map((t) => t.text), ['my', 'dog']);
  });

  it('Unigram picks the segmentation with the highest total log-probability', () => {
    // "hello": hell+o = -1.5 + -1 = -2.5 beats h+ello = -3 + -1 = -4 and he+l+l+o = -9
    const m = new UnigramModel([['<unk>', 0], ['h', -3], ['e', -3], ['l', -3], ['o', -1], ['hell', -1.5], ['ello', -1], ['he', -2]], 0);
    const trace: PieceTrace = { text: 'hello', start: 0, end: 5, tokenIds: [] };
    assert.deepEqual(m.tokenize('hello', trace).map((t) => t.value), ['hell', 'o']);
    assert.equal(trace.score, -2.5);
    // without "hell", h+ello wins
    const m2 = new UnigramModel([['<unk>', 0], ['h', -3], ['e', -3], ['l', -3], ['o', -1], ['ello', -1], ['he', -2]], 0);
    assert.deepEqual(m2.tokenize('hello').map((t) => t.value), ['h', 'ello']);
    // characters no piece covers become <unk>, fused
    assert.deepEqual(m.tokenize('hxyo').map((t) => t.value), ['h', '<unk>', 'o']);
  });

  it('a SentencePiece-style tokenizer.json (Metaspace + Unigram) encodes and decodes', () => {
    const tok = loadTokenizerJson(JSON.stringify({
      normalizer: { type: 'NFKC' },
      pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
      model: { type: 'Unigram', unk_id: 0, vocab: [['<unk>', 0], ['▁the', -1], ['▁cat', -1.5], ['▁c', -3], ['at', -2], ['s', -2], ['▁', -4]] },
      decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    }), 'sp.json');
    const tokens = tok.encodeTokens('the cats');
    assert.deepEqual(tokens.map((t) => t.text), ['▁the', '▁cat', 's']);
    assert.deepEqual(tokens.map((t) => [t.start, t.end]), [[0, 3], [3, 7], [7, 8]]);
    assert.equal(tok.decode(tokens.map((t) => t.id)), 'the cats');
  });
});
