/**
 * unicodePattern.ts: patterns rewritten with the reference libraries' classes. Checked
 * against the tables themselves, against the Unicode facts the issue names (U+0085 is
 * White_Space, U+FEFF is not), and the split-by-alternative form against the one regex.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inTable, referencePatternSource, stickyAlternatives, stickyMatchEnd, topLevelAlternatives, withReferenceClasses } from '../../src/engine/tokenizers/unicodePattern';

const mediaPattern = (name: string): string => JSON.parse(readFileSync(join(__dirname, '..', '..', 'media', 'tokenizers', `${name}.json`), 'utf8')).pattern;

function pieces(alternatives: RegExp[], text: string): string[] {
  const out: string[] = [];
  for (let pos = 0; pos < text.length;) {
    const end = stickyMatchEnd(alternatives, text, pos);
    assert.ok(end > pos, `nothing matches at ${pos}`);
    out.push(text.slice(pos, end));
    pos = end;
  }
  return out;
}

describe('reference character classes in patterns', () => {
  it('\\s is Unicode White_Space: U+0085 and U+2028 in, U+FEFF and U+200B out (JavaScript has it the other way)', () => {
    const ws = new RegExp(`^${withReferenceClasses('\\s', 'rust')}$`, 'u');
    for (const ch of ['\u0085', '\u2028', '\u2029', '\u3000', '\t']) assert.ok(ws.test(ch), `U+${ch.codePointAt(0)!.toString(16)}`);
    for (const ch of ['\ufeff', '\u200b', '\u180e', 'a']) assert.ok(!ws.test(ch), `U+${ch.codePointAt(0)!.toString(16)}`);
    assert.ok(/^\s$/u.test('\ufeff') && !/^\s$/u.test('\u0085'), 'JavaScript\'s \\s differs, or this test proves nothing');
  });

  it('classes inside and outside brackets, negated or not, match exactly the table', () => {
    const letter = new RegExp(`^${withReferenceClasses('\\p{L}', 'rust')}$`, 'u');
    const notLetterOrDigit = new RegExp(`^${withReferenceClasses('[^\\s\\p{L}\\p{N}]', 'rust')}$`, 'u');
    const nonLetter = new RegExp(`^${withReferenceClasses('\\P{L}', 'rust')}$`, 'u');
    for (let cp = 0; cp < 0x110000; cp += 7) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      assert.equal(letter.test(ch), inTable('L', cp), `\\p{L} at U+${cp.toString(16)}`);
      assert.equal(nonLetter.test(ch), !inTable('L', cp), `\\P{L} at U+${cp.toString(16)}`);
      assert.equal(notLetterOrDigit.test(ch), !inTable('s', cp) && !inTable('L', cp) && !inTable('N', cp), `class at U+${cp.toString(16)}`);
    }
  });

  it('U+088F (a letter since Unicode 17) is no letter to tiktoken\'s Unicode 16 tables', () => {
    if (Number.parseFloat(process.versions.unicode ?? '0') >= 17) assert.ok(/^\p{L}$/u.test('\u088f'), 'this runtime\'s \\p{L} has it');
    assert.ok(!inTable('L', 0x88f));
    assert.ok(!new RegExp(`^${withReferenceClasses('\\p{L}', 'rust')}$`, 'u').test('\u088f'));
  });

  it('leaves other escapes to JavaScript', () => {
    assert.equal(withReferenceClasses('\\p{Han}\\n\\\\s\\u{41}', 'onig'), '\\p{Han}\\n\\\\s\\u{41}');
  });

  it('splits at top-level | only', () => {
    assert.deepEqual(topLevelAlternatives("'s|(?:a|b)|[|]|\\||x"), ["'s", '(?:a|b)', '[|]', '\\|', 'x']);
  });

  it('o200k: the pattern is over 19 KB rewritten, so it is split; the split gives the one regex\'s pieces', () => {
    const pattern = mediaPattern('o200k_base');
    assert.ok(referencePatternSource(pattern, 'rust').length > 19_000);
    const split = stickyAlternatives(pattern, 'rust');
    assert.equal(split.length, topLevelAlternatives(pattern).length);
    const whole = [new RegExp(referencePatternSource(pattern, 'rust'), 'yu')];
    const text = "Hello WORLD's 123456 \u00e9t\u00e9  \n\n  x\u0085y \u6771\u4eac!!/ \u{1f600}\u200d\u{1f466} e\u0301\u0301 \u0661\u0662 they'RE \u088f";
    assert.deepEqual(pieces(split, text), pieces(whole, text));
  });
});
