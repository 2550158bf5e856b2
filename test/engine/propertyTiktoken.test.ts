/**
 * Property test: on generated Unicode strings (fast-check) the built-in encodings give
 * exactly js-tiktoken's ids, and byte-level BPE round-trips: decode(encode(s)) == s
 * (with lone surrogates replaced by U+FFFD, as tiktoken does).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import { loadBuiltinTokenizer } from '../../src/engine/tokenizers/builtin';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rankData = (name: string) => require(`js-tiktoken/ranks/${name}`).default ?? require(`js-tiktoken/ranks/${name}`);

/** Strings mixing what tokenizers find hard: ASCII words, spaces, newlines, digits, CJK, emoji, marks, surrogates. */
const interesting = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 60 }),
  fc.array(fc.constantFrom('the', ' ', '  ', '\n', '\r\n', '\t', "'s", "'LL", '123', '4567', '好', '学习', '🤗', '👩‍💻', 'é', 'e\u0301', '\u0000', '\ud800', 'Ω', 'ß', '...', '!!', '—', 'Hello', 'WORLD', '$x'), { maxLength: 30 }).map((a) => a.join('')),
);

const RUNS = Number(process.env.TT_PROPERTY_RUNS ?? 10_000);

for (const name of ['r50k_base', 'cl100k_base', 'o200k_base', 'p50k_base']) {
  describe(`${name} = js-tiktoken on generated strings`, () => {
    const ours = loadBuiltinTokenizer(name);
    const reference = new Tiktoken(rankData(name));
    const runs = name === 'r50k_base' || name === 'cl100k_base' ? RUNS : Math.ceil(RUNS / 5);
    it(`${runs} strings: same ids, and decode(encode(s)) == s`, () => {
      fc.assert(fc.property(interesting, (s) => {
        const ids = ours.encode(s);
        assert.deepEqual(ids, reference.encode(s, [], []));
        assert.equal(ours.decode(ids), s.toWellFormed());
      }), { numRuns: runs, seed: 20261122 });
    });
  });
}
