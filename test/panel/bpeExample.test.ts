/**
 * Train BPE's one-click textbook example: the message is validated (`example` is `true` or
 * absent), and the corpus text has Sennrich et al.'s word counts, so training on it gives the
 * worked example's merges (the same as test/engine/bpeTrainer.test.ts's word list).
 */
import { strict as assert } from 'node:assert';
import { BPE_TEXTBOOK_TEXT } from '../../src/shared/bpeExample';
import { isWebviewToHost } from '../../src/shared/protocol';
import { countWords, trainBpe } from '../../src/engine/training/bpeTrainer';

describe('Train BPE: the textbook example', () => {
  it('the train message takes example: true and nothing else', () => {
    const base = { type: 'train', mode: 'classic', merges: 10, minFrequency: 2 };
    assert.ok(isWebviewToHost(base));
    assert.ok(isWebviewToHost({ ...base, example: true }));
    assert.ok(!isWebviewToHost({ ...base, example: 'yes' }));
    assert.ok(!isWebviewToHost({ ...base, example: false }));
  });

  it('is low ×5, lower ×2, newest ×6, widest ×3 and trains to es, est, est</w>, lo, low, …', () => {
    assert.deepEqual(countWords(BPE_TEXTBOOK_TEXT), [['low', 5], ['lower', 2], ['newest', 6], ['widest', 3]]);
    assert.deepEqual(trainBpe(BPE_TEXTBOOK_TEXT, { merges: 10 }).merges.map((m) => `${m.merged}(${m.frequency})`),
      ['es(9)', 'est(9)', 'est</w>(9)', 'lo(7)', 'low(7)', 'ne(6)', 'new(6)', 'newest</w>(6)', 'low</w>(5)', 'wi(3)']);
  });
});
