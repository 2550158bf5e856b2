/**
 * The two merge strategies agree, long pieces merge in near-linear time, and traces
 * replay to the tokens they explain.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import { bpeMerge, MergeTable, SHORT_PIECE } from '../../src/engine/tokenizers/bpeMerge';
import { loadBuiltinTokenizer } from '../../src/engine/tokenizers/builtin';
import { TiktokenTokenizer } from '../../src/engine/tokenizers/tiktoken';
import { utf8Binary } from '../../src/engine/tokenizers/byteLevel';

/** Reference: tiktoken's plain O(n²) loop, written out independently of bpeMerge. */
function naiveMerge(symbols: number[], table: MergeTable): number[] {
  const parts = symbols.slice();
  for (;;) {
    let best = -1, bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = table.pairRank(parts[i], parts[i + 1]);
      if (r >= 0 && r < bestRank) { bestRank = r; best = i; }
    }
    if (best < 0) return parts;
    parts.splice(best, 2, table.mergedId(parts[best], parts[best + 1], bestRank));
  }
}

describe('bpeMerge', () => {
  const tok = loadBuiltinTokenizer('cl100k_base') as TiktokenTokenizer;
  const byteIds = (s: string) => [...utf8Binary(s)].map((c) => tok.tokenToId(c) ?? tok.encode(c)[0]);

  it(`heap strategy (> ${SHORT_PIECE} symbols) equals the naive loop on long generated pieces`, () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'ab', ' ', 'the', '好', 'xyz', '0', '\n'), { minLength: 30, maxLength: 200 }), (parts) => {
      const s = parts.join('');
      const symbols = [...utf8Binary(s)].map((c) => tok.encode(c === ' ' ? ' ' : c)[0]);
      // bytes of non-ASCII text are single-byte tokens too
      const bytes = byteIds(s);
      assert.deepEqual(bpeMerge(bytes.slice(), tok), naiveMerge(bytes, tok));
      assert.ok(symbols.length > 0);
    }), { numRuns: 300, seed: 7 });
  });

  it('reports the first initial symbol of every final token', () => {
    const bytes = byteIds('a'.repeat(100));
    const starts: number[] = [];
    const ids = bpeMerge(bytes.slice(), tok, undefined, starts);
    let covered = 0;
    ids.forEach((id, i) => { assert.equal(starts[i], covered); covered += tok.decodeBytes([id]).length; });
    assert.equal(covered, 100);
  });

  it('a long run of one character (600 × a) gives the ids js-tiktoken gives (timing: npm run bench)', () => {
    const gpt2 = loadBuiltinTokenizer('gpt2');
    const ranks = require('js-tiktoken/ranks/r50k_base');
    const reference = new Tiktoken(ranks.default ?? ranks);
    for (const ch of ['a', ' ', '好']) assert.deepEqual(gpt2.encode(ch.repeat(600)), reference.encode(ch.repeat(600)), ch);
  });

  it('trace merges replay to the final tokens, with ranks and Ġ for space', () => {
    const gpt2 = loadBuiltinTokenizer('gpt2');
    const trace = gpt2.encodeWithTrace(' lower lowest');
    const piece = trace.pieces[0];
    assert.equal(piece.text, ' lower');
    assert.deepEqual(piece.initial, ['Ġ', 'l', 'o', 'w', 'e', 'r']);
    let symbols = piece.initial!.slice();
    for (const m of piece.merges!) {
      const i = symbols.findIndex((s, k) => s === m.left && symbols[k + 1] === m.right);
      assert.ok(i >= 0, `merge ${m.left}+${m.right} applies`);
      assert.equal(m.merged, m.left + m.right);
      assert.equal(gpt2.tokenToId(m.merged) ?? m.rank, m.rank);
      symbols.splice(i, 2, m.merged);
    }
    assert.deepEqual(symbols, piece.tokenIds.map((id) => gpt2.idToToken(id)));
    assert.deepEqual(trace.tokens.map((t) => t.id), gpt2.encode(' lower lowest'));
  });
});
