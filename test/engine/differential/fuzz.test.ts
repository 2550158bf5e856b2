/**
 * Differential fuzz against the real libraries: 20,000 seeded hostile strings (mixed
 * scripts, whitespace runs, controls, emoji, private-use and unassigned code points) and
 * the ids Python `tiktoken` and Hugging Face `tokenizers` gave for them
 * (test/fixtures/differential/fuzz.json.gz, made by tools/reference/fuzz_goldens.py).
 * Every built-in tokenizer and the same tokenizers loaded from tokenizer.json must give
 * the same ids on every string: 0 mismatches.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadBuiltinTokenizer } from '../../../src/engine/tokenizers/builtin';
import { loadTokenizerJson } from '../../../src/engine/tokenizers/hf/loadTokenizerJson';
import type { Tokenizer } from '../../../src/engine/tokenizers/types';
import { readFixture } from '../fixtures';

interface FuzzGoldens {
  seed: number;
  versions: Record<string, string>;
  texts: string[];
  /** oracle → per text its ids, or the name of an earlier oracle whose ids are the same */
  ids: Record<string, (number[] | string)[]>;
}

const goldens: FuzzGoldens = JSON.parse(gunzipSync(readFileSync(join(__dirname, '..', '..', 'fixtures', 'differential', 'fuzz.json.gz'))).toString('utf8'));

/** The oracle's id list for every text, shared lists resolved. */
function oracleIds(oracle: string): number[][] {
  const row = goldens.ids[oracle];
  assert.ok(row && row.length === goldens.texts.length, `goldens have no ids from ${oracle}`);
  return row.map((entry, i) => (typeof entry === 'string' ? (goldens.ids[entry][i] as number[]) : entry));
}

/** Texts whose ids differ, with both id lists, for the failure message. */
function mismatches(tokenizer: Tokenizer, expected: number[][]): { text: string; ours: number[]; theirs: number[] }[] {
  const out: { text: string; ours: number[]; theirs: number[] }[] = [];
  goldens.texts.forEach((text, i) => {
    const ours = tokenizer.encode(text);
    const theirs = expected[i];
    if (ours.length !== theirs.length || ours.some((id, k) => id !== theirs[k])) out.push({ text, ours, theirs });
  });
  return out;
}

function assertNoMismatch(tokenizer: Tokenizer, oracle: string): void {
  const bad = mismatches(tokenizer, oracleIds(oracle));
  const shown = bad.slice(0, 5).map((m) => `  ${JSON.stringify(m.text)}\n    ours   ${JSON.stringify(m.ours)}\n    theirs ${JSON.stringify(m.theirs)}`);
  assert.equal(bad.length, 0, `${bad.length} of ${goldens.texts.length} texts differ from ${oracle}:\n${shown.join('\n')}`);
}

describe(`differential fuzz: ${goldens.texts.length} seeded strings (seed ${goldens.seed}) against tiktoken ${goldens.versions.tiktoken} and tokenizers ${goldens.versions.tokenizers}`, function () {
  this.timeout(120_000);

  it('has at least 20,000 strings, with the hostile characters the corpus promises', () => {
    assert.ok(goldens.texts.length >= 20_000);
    const all = goldens.texts.join('');
    for (const ch of ['\u0085', '\ufeff', '\u2028', '\u2029', '\u3000', '\u200d', '\u00a0']) {
      assert.ok(all.includes(ch), `corpus lacks U+${ch.codePointAt(0)!.toString(16)}`);
    }
    const count = (re: RegExp) => all.match(re)?.length ?? 0;
    assert.ok(count(/[\u{f0000}-\u{10fffd}\ue000-\uf8ff]/gu) > 1000, 'private-use code points');
    assert.ok(count(/\p{Cn}/gu) > 10_000, 'unassigned code points');
    assert.ok(count(/\p{Cc}/gu) > 1000, 'controls');
    assert.ok(count(/\p{Extended_Pictographic}\u200d/gu) > 500, 'emoji ZWJ sequences');
  });

  for (const name of ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base']) {
    it(`built-in ${name} = tiktoken encode_ordinary`, () => assertNoMismatch(loadBuiltinTokenizer(name), name));
  }
  it('built-in gpt2 = tiktoken r50k_base (the same ranks)', () => assertNoMismatch(loadBuiltinTokenizer('gpt2'), 'r50k_base'));
  it('gpt2 tokenizer.json = Hugging Face tokenizers', () =>
    assertNoMismatch(loadTokenizerJson(readFixture('tokenizers', 'gpt2', 'tokenizer.json'), 'gpt2/tokenizer.json'), 'hf:gpt2'));
  it('built-in bert-base-uncased = Hugging Face tokenizers', () => assertNoMismatch(loadBuiltinTokenizer('bert-base-uncased'), 'hf:bert-base-uncased'));
  it('bert-base-uncased tokenizer.json = Hugging Face tokenizers', () =>
    assertNoMismatch(loadTokenizerJson(readFixture('tokenizers', 'bert-base-uncased', 'tokenizer.json'), 'bert/tokenizer.json'), 'hf:bert-base-uncased'));
});
