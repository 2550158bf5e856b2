/**
 * What the code features promise beyond finding things:
 *   - the inlay hint's count (the worker's `count` request) equals js-tiktoken's for every
 *     literal of the fixture corpus that names a tiktoken encoding or GPT-2;
 *   - model cards from a Hugging Face cache laid out as huggingface_hub writes it equal what
 *     transformers reports (test/fixtures/code/model_cards.json, tools/reference/code_model_cards.py);
 *   - bad input: a 10 MB file, syntax errors mid-edit, unknown and invalid Hub ids — no
 *     exception, nothing blocks;
 *   - budget: ≤ 20 ms per visible literal on a 2,000-line file (measured and printed, not
 *     asserted on time: the CI machine's speed is not ours to promise).
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEncoding, type TiktokenEncoding } from 'js-tiktoken';
import { analyzeCode } from '../../../src/engine/code/analyze';
import { describeCachedModel } from '../../../src/engine/code/modelCard';
import { MAX_PARSE_CHARS } from '../../../src/engine/code/parser';
import { handle } from '../../../src/engine/worker/handlers';
import { HF_FIXTURES } from '../fixtures';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'code');
const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');
const JS_TIKTOKEN: Record<string, TiktokenEncoding> = { r50k_base: 'gpt2', p50k_base: 'p50k_base', cl100k_base: 'cl100k_base', o200k_base: 'o200k_base' };

describe('code features: inlay counts against js-tiktoken', function () {
  this.timeout(120_000);
  it('every literal in the corpus with a tiktoken-family tokenizer: the same count', async () => {
    const encodings = new Map<string, ReturnType<typeof getEncoding>>();
    const reference = (name: TiktokenEncoding) => encodings.get(name) ?? encodings.set(name, getEncoding(name)).get(name)!;
    let compared = 0;
    for (const file of ['tiktoken_script.py', 'tiktoken_models.py', 'hf_quicktour.py', 'transformers_js.ts']) {
      const a = await analyzeCode(read(file), file.endsWith('.py') ? 'python' : 'typescript');
      for (const l of a.literals) {
        const encoding = l.builtinTokenizer && JS_TIKTOKEN[l.builtinTokenizer];
        if (!encoding) continue;
        const ours = handle({ kind: 'count', tokenizer: l.builtinTokenizer!, text: l.value, special: 'default' });
        assert.equal(ours, reference(encoding).encode(l.value).length, `${file}: ${JSON.stringify(l.value)} with ${l.builtinTokenizer}`);
        compared++;
      }
    }
    assert.equal(compared, 13, 'literals compared (the corpus has 13 with a tiktoken-family tokenizer)');
  });
});

/** A Hugging Face cache with one repo: blobs/, refs/main, snapshots/<commit>/ (copies stand in for the symlinks). */
function fakeCache(repo: string, fromFolder: string, files: string[]): string {
  const cache = mkdtempSync(join(tmpdir(), 'tt-code-cache-'));
  const dir = join(cache, `models--${repo.replace('/', '--')}`);
  const commit = 'a'.repeat(40);
  mkdirSync(join(dir, 'refs'), { recursive: true });
  mkdirSync(join(dir, 'blobs'));
  mkdirSync(join(dir, 'snapshots', commit), { recursive: true });
  writeFileSync(join(dir, 'refs', 'main'), commit);
  for (const f of files) {
    copyFileSync(join(fromFolder, f), join(dir, 'blobs', f.replace(/\W/g, '_')));
    copyFileSync(join(fromFolder, f), join(dir, 'snapshots', commit, f));
  }
  return cache;
}

describe('code features: model cards from the Hugging Face cache', () => {
  const expected = JSON.parse(read('model_cards.json')) as Record<string, Record<string, unknown>>;
  for (const name of Object.keys(expected)) {
    it(`${name}: architecture, layers, heads, KV heads, width, vocabulary and parameters as transformers reads them`, () => {
      const folder = join(HF_FIXTURES, 'models', name);
      const cache = fakeCache(`tiny/${name}`, folder, ['config.json', 'model.safetensors', 'tokenizer.json']);
      try {
        const card = describeCachedModel(`tiny/${name}`, cache);
        assert.equal(card.inCache, true);
        assert.equal(card.problem, undefined);
        const { architecture, modelType, layers, heads, kvHeads, width, vocab, parameters } = card;
        assert.deepEqual({ architecture, modelType, layers, heads, kvHeads, width, vocab, parameters }, expected[name]);
        const blobs = ['config.json', 'model.safetensors', 'tokenizer.json'].reduce((s, f) => s + statSync(join(folder, f)).size, 0);
        assert.equal(card.diskBytes, blobs);
        assert.ok(card.tokenizerJson?.endsWith('tokenizer.json'));
      } finally { rmSync(cache, { recursive: true, force: true }); }
    });
  }

  it('an id not in the cache, an id that cannot exist, an empty cache folder: answers, no exception', () => {
    const cache = mkdtempSync(join(tmpdir(), 'tt-code-empty-'));
    try {
      assert.deepEqual(describeCachedModel('no-such-org/no-such-model-31415', cache), { id: 'no-such-org/no-such-model-31415', validId: true, inCache: false, folder: undefined, tokenizerJson: undefined });
      assert.equal(describeCachedModel('not a/valid/hub id', cache).validId, false);
      assert.equal(describeCachedModel('gpt2', join(cache, 'missing')).inCache, false);
    } finally { rmSync(cache, { recursive: true, force: true }); }
  });
});

describe('code features: bad input and budgets', function () {
  this.timeout(120_000);

  it('a 10 MB file is not parsed: an empty answer at once', async () => {
    const huge = 'x = tok.encode("hello")\n'.repeat(Math.ceil(10_000_000 / 24));
    assert.ok(huge.length > MAX_PARSE_CHARS);
    const t = performance.now();
    const a = await analyzeCode(huge, 'python');
    const ms = performance.now() - t;
    assert.equal(a.skipped, 'too-large');
    assert.deepEqual([a.references, a.literals, a.steps], [[], [], []]);
    console.log(`      10 MB file: answered in ${ms.toFixed(1)} ms (not parsed)`);
  });

  it('a parse over its budget is cancelled and answers nothing', async () => {
    const big = read('nanogpt_attention.py').repeat(150); // ~450 KB, under the size limit
    const a = await analyzeCode(big, 'python', 0.01);
    assert.equal(a.skipped, 'over-budget');
    const again = await analyzeCode(read('tiktoken_script.py'), 'python'); // the parser is usable afterwards
    assert.equal(again.literals.length, 5);
  });

  it('syntax errors mid-edit: everything before (and after) the broken line is still found', async () => {
    const src = read('tiktoken_script.py').replace('print(enc.encode("hello world"))', 'print(enc.encode("hello world"');
    const a = await analyzeCode(src, 'python');
    assert.equal(a.hasErrors, true);
    assert.deepEqual(a.references.map((r) => r.id), ['cl100k_base']);
    const values = a.literals.map((l) => l.value);
    assert.ok(values.includes('You are a concise assistant. Answer in one sentence.') && values.includes('Transformers 把文本切成词元 🤗'), JSON.stringify(values));
    const cut = read('nanogpt_attention.py');
    for (const at of [100, 900, 1500, 2100, cut.length - 40]) {
      const partial = await analyzeCode(cut.slice(0, at) + '(\n', 'python'); // half-typed
      assert.equal(partial.skipped, undefined);
    }
    const ts = await analyzeCode("const tokenizer = await AutoTokenizer.from_pretrained('Xenova/gpt2');\nconst x = tokenizer.encode('half typed", 'typescript');
    assert.deepEqual(ts.references.map((r) => r.id), ['Xenova/gpt2']);
  });

  it('a 2,000-line file: parse, walk and count per visible literal (printed)', async () => {
    const block = read('tiktoken_script.py') + read('nanogpt_attention.py');
    const lines: string[] = [];
    while (lines.length < 2000) lines.push(...block.split('\n'));
    const src = lines.slice(0, 2000).join('\n');
    await analyzeCode(src, 'python'); // warm: grammar loaded, code compiled
    const t0 = performance.now();
    const a = await analyzeCode(src, 'python');
    const analyseMs = performance.now() - t0;
    handle({ kind: 'count', tokenizer: 'cl100k_base', text: 'warm', special: 'default' });
    const visible = a.literals.slice(0, 40); // about one screen
    const t1 = performance.now();
    for (const l of visible) handle({ kind: 'count', tokenizer: l.builtinTokenizer ?? 'gpt2', text: l.value, special: 'default' });
    const countMs = performance.now() - t1;
    const perLiteral = (analyseMs + countMs) / visible.length;
    console.log(`      2,000 lines: parse ${a.parseMs.toFixed(1)} ms + walk ${a.analyseMs.toFixed(1)} ms; ${a.literals.length} literals, ${a.steps.length} steps; ` +
      `${visible.length} visible literals counted in ${countMs.toFixed(1)} ms → ${perLiteral.toFixed(2)} ms per visible literal (budget 20 ms)`);
    assert.ok(a.literals.length > 100 && a.steps.length > 100);
  });
});
