/** BPE training against the worked example in the issue text (Sennrich et al.'s classic corpus). */
import { strict as assert } from 'node:assert';
import { applyMerges, countWords, trainBpe, trainBpeOnWords } from '../../src/engine/training/bpeTrainer';

const WORDS: [string, number][] = [['low', 5], ['lower', 2], ['newest', 6], ['widest', 3]];

describe('BPE training (classic, </w>)', () => {
  it('reproduces the worked example merge by merge (12 merges)', () => {
    const r = trainBpeOnWords(WORDS, { merges: 12 });
    assert.deepEqual(r.merges.map((m) => `${m.merged}(${m.frequency})`),
      ['es(9)', 'est(9)', 'est</w>(9)', 'lo(7)', 'low(7)', 'ne(6)', 'new(6)', 'newest</w>(6)', 'low</w>(5)', 'wi(3)', 'wid(3)', 'widest</w>(3)']);
    assert.deepEqual(r.segmentation.map((w) => w.symbols.join(' ')), ['low</w>', 'low e r </w>', 'newest</w>', 'widest</w>']);
    assert.deepEqual(r.merges[0].pair, ['e', 's']);
    assert.deepEqual(r.merges[2].pair, ['est', '</w>']);
  });

  it('gives the same merges from raw text with those word counts', () => {
    const text = 'low '.repeat(5) + 'lower '.repeat(2) + 'newest '.repeat(6) + 'widest '.repeat(3);
    assert.deepEqual(countWords(text), WORDS);
    assert.deepEqual(trainBpe(text).merges.map((m) => m.merged), trainBpeOnWords(WORDS).merges.map((m) => m.merged));
    // a minimum pair frequency of 3 stops at the same 12 merges
    assert.deepEqual(trainBpe(text, { minFrequency: 3 }).merges.map((m) => m.merged), trainBpeOnWords(WORDS, { merges: 12 }).merges.map((m) => m.merged));
  });

  it('stops at a merge count, a vocabulary size and a minimum frequency', () => {
    assert.equal(trainBpeOnWords(WORDS, { merges: 4 }).merges.length, 4);
    const initial = trainBpeOnWords(WORDS, { merges: 0 }).vocab.length;
    const byVocab = trainBpeOnWords(WORDS, { vocabSize: initial + 3 });
    assert.equal(byVocab.merges.length, 3);
    assert.equal(byVocab.merges[2].vocabSize, initial + 3);
    const byFreq = trainBpeOnWords(WORDS, { minFrequency: 6 });
    assert.deepEqual(byFreq.merges.map((m) => m.merged), ['es', 'est', 'est</w>', 'lo', 'low', 'ne', 'new', 'newest</w>']);
    assert.match(byFreq.stoppedBecause, /below the minimum 6/);
  });

  it('applies learned merges to unseen words', () => {
    const r = trainBpeOnWords(WORDS, { merges: 12 });
    assert.deepEqual(applyMerges('lowest', r.merges), ['low', 'est</w>']);
  });

  it('trains byte-level (BBPE): bytes, space 0x20 shown as Ġ, no </w>', () => {
    const r = trainBpe('low low lower 好好', { mode: 'byte-level', merges: 3 });
    assert.equal(r.initialVocab.length, 256);
    assert.ok(r.segmentation.every((w) => !w.symbols.includes('</w>')));
    assert.deepEqual(r.segmentation.map((w) => w.word), ['low', ' low', ' lower', ' 好好']);
    assert.deepEqual(r.merges[0].pair, ['l', 'o']);
    assert.equal(r.merges[0].frequency, 3);
    // 好 is three UTF-8 bytes E5 A5 BD, shown as GPT-2 byte symbols
    assert.equal(r.segmentation[3].symbols.join(''), 'Ġå¥½å¥½');
  });

  it('names the limit when the input is too large', () => {
    assert.throws(() => countWords('a'.repeat(2_000_001)), /at most 2,000,000 characters/);
  });
});
