/**
 * Hostile tokenizer.json patterns. Exponential shapes (nested or overlapping repetition)
 * are refused when the file loads, naming the field; the patterns of real Hub tokenizers
 * are not. A pattern that is only polynomially slow gets past that test, so the panel's
 * engine worker stops it after its time budget, and the next request gets a fresh worker.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineClient, EngineTimeoutError } from '../../../src/host/engineClient';
import { loadTokenizerJson } from '../../../src/engine/tokenizers/hf/loadTokenizerJson';
import { exponentialRisk } from '../../../src/engine/tokenizers/hf/patternSafety';
import { HF_FIXTURES, readFixture } from '../fixtures';

const withSplit = (regex: string) => JSON.stringify({
  model: { type: 'WordPiece', vocab: { '[UNK]': 0, a: 1, '##a': 2, '!': 3 }, unk_token: '[UNK]' },
  pre_tokenizer: { type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated' },
});
const withReplace = (regex: string) => JSON.stringify({
  model: { type: 'WordPiece', vocab: { '[UNK]': 0, a: 1 }, unk_token: '[UNK]' },
  normalizer: { type: 'Sequence', normalizers: [{ type: 'Lowercase' }, { type: 'Replace', pattern: { Regex: regex }, content: 'x' }] },
});

/** Patterns with a known exponential worst case (OWASP's ReDoS list, Davis et al. 2018). */
const EXPONENTIAL = ['(a+)+$', '(a|aa)+$', '(a|a?)+$', '([a-zA-Z]+)*$', '(.*a){12}', '^(a?){25}a{25}$', '(\\w+\\s?)+$', '(x+x+)+y', '(\\d|\\d\\d)+!', '(?:\\s*,)*$'];

/** Split and Replace patterns from Hub tokenizers (GPT-2, cl100k, o200k, Llama 3, Qwen 2, DeepSeek V3, Gemma). */
const REAL = [
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
  '\\p{N}{1,3}', '[一-龥\u3040-ゟ゠-ヿ]+', '(?:\\r\\n|\\n)+', '(?:ab){2,}',
];

describe('hostile patterns: refused when the file loads', () => {
  for (const p of EXPONENTIAL) {
    it(`Split ${p} is refused, naming the field`, () => {
      assert.throws(() => loadTokenizerJson(withSplit(p), 'redos.json'), /^Error: redos\.json: pre_tokenizer\.pattern\.Regex: .* is refused: .*exponential time/);
    });
  }
  it('a Replace pattern inside a normalizer Sequence is checked too', () => {
    assert.throws(() => loadTokenizerJson(withReplace('(a+)+$'), 'redos.json'), /normalizer\.normalizers\[1\]\.pattern\.Regex: "\(a\+\)\+\$" is refused: "\(a\+\)\+" repeats "a\+"/);
  });
  for (const p of REAL) {
    it(`the Hub pattern ${p.slice(0, 40)}… is accepted`, () => {
      assert.equal(exponentialRisk(p), undefined);
      loadTokenizerJson(withSplit(p), 'real.json');
    });
  }
  it('the Hub tokenizer.json fixtures all load', () => {
    for (const name of ['gpt2', 'bert-base-uncased']) loadTokenizerJson(readFixture('tokenizers', name, 'tokenizer.json'), name);
    for (const name of ['qwen2-tiny', 'llama-tiny', 'roberta-tiny', 't5-tiny', 'bart-tiny']) loadTokenizerJson(readFixture('models', name, 'tokenizer.json'), name);
  });
  it('a refused pattern would indeed run for seconds: (a+)+$ on 22 letters and a "!" takes over 100 ms in JavaScript', () => {
    const started = performance.now();
    /(a+)+$/u.test('a'.repeat(22) + '!');
    assert.ok(performance.now() - started > 100, 'the exponential case is real, so refusing it matters');
  });
});

describe('hostile patterns: the panel worker under a time budget', function () {
  const dist = resolve(__dirname, '..', '..', '..', 'dist');
  let dir: string;
  before(function () {
    if (!existsSync(join(dist, 'engineWorker.js'))) this.skip(); // npm test builds first
    dir = mkdtempSync(join(tmpdir(), 'tt-redos-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('a polynomially slow pattern is stopped after the budget, the host loop stays responsive, and the next request is answered', async () => {
    // Not exponential (no nested repetition), but ten adjacent a* make a failing match O(n^10).
    const slow = 'a*a*a*a*a*a*a*a*a*a*b';
    assert.equal(exponentialRisk(slow), undefined);
    const file = join(dir, 'tokenizer.json');
    writeFileSync(file, withSplit(slow));
    const engine = new EngineClient(dist, { budgetMs: 1500 });
    try {
      let worstGap = 0, last = performance.now();
      const tick = setInterval(() => { const now = performance.now(); worstGap = Math.max(worstGap, now - last); last = now; }, 10);
      const started = performance.now();
      await assert.rejects(engine.request({ kind: 'tokenize', tokenizer: file, text: 'a'.repeat(3000), source: '', special: 'default', limit: 10 }),
        (e: Error) => e instanceof EngineTimeoutError && /did not finish within 1.5 s .*\(tokenize\)/.test(e.message));
      const took = performance.now() - started;
      clearInterval(tick);
      assert.ok(took < 5000, `stopped after ${took.toFixed(0)} ms`);
      assert.ok(worstGap < 200, `host event loop stalled ${worstGap.toFixed(0)} ms`);
      const ok = await engine.request({ kind: 'count', tokenizer: 'gpt2', text: 'hello world', special: 'default' });
      assert.equal(ok, 2);
    } finally {
      engine.dispose();
    }
  });
});
