/** Every case of gpt-tokenizer's data/TestPlans.txt for the four tiktoken encodings. */
import { strict as assert } from 'node:assert';
import { loadBuiltinTokenizer } from '../../src/engine/tokenizers/builtin';
import { loadTestPlans } from './fixtures';

const ENCODINGS = ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'];

describe("gpt-tokenizer's TestPlans.txt", () => {
  const plans = loadTestPlans();
  for (const encoding of ENCODINGS) {
    const mine = plans.filter((p) => p.encoding === encoding);
    it(`${encoding}: all ${mine.length} cases give the reference ids and decode back`, () => {
      assert.ok(mine.length >= 50, `expected the test plans for ${encoding}`);
      const tok = loadBuiltinTokenizer(encoding);
      for (const p of mine) {
        assert.deepEqual(tok.encode(p.sample), p.encoded, `${encoding}: ${JSON.stringify(p.sample)}`);
        assert.deepEqual(tok.encodeTokens(p.sample).map((t) => t.id), p.encoded, `traced ${encoding}: ${JSON.stringify(p.sample)}`);
        assert.equal(tok.decode(p.encoded), p.sample);
      }
    });
  }
});
