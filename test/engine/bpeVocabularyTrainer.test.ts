/**
 * The corpus-scale trainer (integer symbols) against the panel's trainer (strings, the
 * classic algorithm): same merges in the same order, ties included, on real text; and the
 * bundled vocabulary is what that trainer gives for the training corpus's prefix.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countWords, trainBpeOnWords } from '../../src/engine/training/bpeTrainer';
import { trainByteLevelVocabulary } from '../../src/engine/training/bpeVocabularyTrainer';
import { HELDOUT } from './model/heldoutEval';

describe('byte-level vocabulary trainer', () => {
  it('learns the same merges as the classic trainer, ties included (held-out fortunes, 400 merges)', () => {
    const words = countWords(readFileSync(HELDOUT, 'utf8').slice(0, 40_000), 'byte-level');
    const classic = trainBpeOnWords(words, { mode: 'byte-level', merges: 400 });
    const fast = trainByteLevelVocabulary(words, 256 + 400);
    assert.equal(fast.merges.length, 400);
    assert.deepEqual(fast.merges, classic.merges.map((m) => m.pair));
    assert.deepEqual(fast.vocab, classic.vocab);
    assert.ok(classic.merges.some((m, i) => i > 0 && m.frequency === classic.merges[i - 1].frequency), 'the sample has ties to break');
  });

  it('stops at the minimum frequency and says why', () => {
    const r = trainByteLevelVocabulary([['ab', 3], ['cd', 1]], 1000);
    assert.deepEqual(r.merges, [['a', 'b']]);
    assert.match(r.stoppedBecause, /below the minimum 2/);
  });

  it('matches the bundled tokenizer.json merges at their start', () => {
    const json = JSON.parse(readFileSync(join(__dirname, '..', '..', 'media', 'models', 'tiny-gpt', 'tokenizer.json'), 'utf8')) as { model: { merges: string[]; vocab: Record<string, number> } };
    assert.equal(json.model.merges.length, 5744);
    assert.equal(Object.keys(json.model.vocab).length, 6000);
    assert.deepEqual(json.model.merges.slice(0, 3), ['Ġ t', 'h e', 'Ġ a']);
  });
});
