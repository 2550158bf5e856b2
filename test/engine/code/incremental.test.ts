/**
 * Incremental analysis (src/engine/code/codeDocument.ts) against a fresh full parse
 * (analyzeCode) of the same text, after every edit of seeded edit sequences on the corpus
 * files: typing a line character by character (half-typed calls and strings: syntax errors
 * mid-edit), deletions, multi-line pastes with CJK and emoji (UTF-16 columns), several
 * changes in one event as VS Code sends multi-cursor edits (last first), and an edit list
 * that does not lead to the text (a missed event: parsed from scratch, same answer).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCode } from '../../../src/engine/code/analyze';
import { CodeDocument, pointAt, treeEdit, type SourceEdit } from '../../../src/engine/code/codeDocument';
import { MAX_PARSE_CHARS } from '../../../src/engine/code/parser';
import type { CodeAnalysis } from '../../../src/engine/code/types';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'code');
const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

/** Parse budgets out of the way: this compares answers, codeBudgets.test.ts tests the budgets (a loaded machine can stall a parse past 250 ms). */
const BUDGET_MS = 60_000;

/** What the providers read: everything but the timings. */
const found = (a: CodeAnalysis) => ({ references: a.references, literals: a.literals, steps: a.steps, hasErrors: a.hasErrors, skipped: a.skipped });

function apply(text: string, edits: readonly SourceEdit[]): string {
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.oldEnd);
  return text;
}

async function expectSame(doc: CodeDocument, text: string, edits: readonly SourceEdit[] | undefined, what: string): Promise<void> {
  const inc = await doc.update(text, edits);
  const full = await analyzeCode(text, doc.lang, BUDGET_MS);
  assert.deepEqual(found(inc), found(full), what);
}

const SNIPPETS = [
  'tok.encode("hal', 'n = len(enc.encode("词元 🤗 tokens"))\n', 'att = F.softmax(att, dim=-1)\n', '(\n', '"""', ')', 'y = att @ v\n',
  '    att = att.masked_fill(mask == 0, float("-inf"))\n', 'prompt = "Hello 😀"\n', 'enc = tiktoken.get_encoding("o200k_base")\n', ':\n    ', '# softmax(x)\n',
  'class LlamaRMSNorm(nn.Module):\n    pass\n', 'q @ k.transpose(-2, -1) / math.sqrt(d)', '\n', 'def f(', "'",
];

describe('code analysis: incremental parse equals a fresh full parse', function () {
  this.timeout(120_000);

  it('pointAt counts rows and UTF-16 columns', () => {
    assert.deepEqual(pointAt('s = "é😀"\nx = 1', 12), { row: 1, column: 2 });
    assert.deepEqual(pointAt('ab', 2), { row: 0, column: 2 });
  });

  it('an edit\'s new end point is where its text ends in the text after it (counted afresh by pointAt)', () => {
    const before = 's = "é😀"\nx = 1\ny = 2\n';
    for (const e of [{ start: 3, oldEnd: 3, text: 'ab' }, { start: 6, oldEnd: 14, text: '\n\n  z' }, { start: 0, oldEnd: 0, text: '😀\n' }, { start: 11, oldEnd: 12, text: '' }, { start: 2, oldEnd: 2, text: 'a\nb😀' }]) {
      const { edit, after } = treeEdit(before, e);
      assert.deepEqual(edit.newEndPosition, pointAt(after, e.start + e.text.length), JSON.stringify(e));
    }
  });

  it('typing a tokenizer call and an attention line character by character (every prefix half-typed)', async () => {
    let text = read('tiktoken_script.py');
    const doc = new CodeDocument('python', BUDGET_MS);
    await expectSame(doc, text, undefined, 'first parse');
    const typed = 'att = F.softmax(q @ k.transpose(-2, -1) / math.sqrt(d_k), dim=-1)\nm = len(enc.encode("词元 and 🤗 emoji"))\n';
    let at = text.indexOf('\n', text.length / 2) + 1;
    for (const ch of typed) {
      const edit = { start: at, oldEnd: at, text: ch };
      text = apply(text, [edit]);
      at++;
      await expectSame(doc, text, [edit], `after typing ${JSON.stringify(typed.slice(0, typed.indexOf(ch) + 1))}`);
      assert.equal(doc.lastParse, 'incremental');
      assert.equal(doc.lastWalk, 'by-statement');
      assert.ok(doc.reused > 0, 'unchanged statements reused');
    }
    doc.dispose();
  });

  for (const file of ['nanogpt_attention.py', 'llama_rotary.py', 'hf_quicktour.py', 'transformers_js.ts']) {
    it(`${file}: 150 seeded edits (inserts, deletes, pastes, multi-cursor), compared after each`, async () => {
      let seed = 0x2600 + file.length;
      const rand = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
      let text = read(file);
      const doc = new CodeDocument(file.endsWith('.py') ? 'python' : 'typescript', BUDGET_MS);
      await expectSame(doc, text, undefined, 'first parse');
      let errors = 0;
      for (let i = 0; i < 150; i++) {
        const changes: SourceEdit[] = [];
        // one to three changes in one event, from the end backwards (VS Code's order for multi-cursor edits)
        let limit = text.length;
        for (let c = 1 + rand(3); c > 0 && limit > 0; c--) {
          const start = rand(limit + 1);
          const oldEnd = rand(3) === 0 ? Math.min(limit, start + rand(30)) : start;
          changes.push({ start, oldEnd, text: rand(4) === 0 ? '' : SNIPPETS[rand(SNIPPETS.length)] });
          limit = start;
        }
        text = apply(text, changes);
        const inc = await doc.update(text, changes);
        const full = await analyzeCode(text, doc.lang, BUDGET_MS);
        assert.deepEqual(found(inc), found(full), `${file} after edit ${i}: ${JSON.stringify(changes)}`);
        assert.equal(doc.lastParse, 'incremental');
        assert.equal(doc.lastWalk, 'by-statement', 'every node the analysis asked for found again by its range');
        if (full.hasErrors) errors++;
      }
      assert.ok(errors > 20, `the sequence leaves syntax errors on the way (${errors} of 150)`);
      doc.dispose();
    });
  }

  it('edits that do not lead to the text (a missed event), an over-size text, then edits again', async () => {
    const doc = new CodeDocument('python', BUDGET_MS);
    let text = read('nanogpt_attention.py');
    await expectSame(doc, text, undefined, 'first parse');
    const missed = text.replace('softmax', 'softmin');
    await expectSame(doc, missed, [{ start: 0, oldEnd: 0, text: '# a comment\n' }], 'a wrong edit list');
    assert.equal(doc.lastParse, 'full');
    const huge = 'x = tok.encode("hello")\n'.repeat(Math.ceil((MAX_PARSE_CHARS + 1) / 24));
    const big = await doc.update(huge, [{ start: 0, oldEnd: missed.length, text: huge }]);
    assert.equal(big.skipped, 'too-large');
    text = read('nanogpt_attention.py');
    await expectSame(doc, text, [{ start: 0, oldEnd: huge.length, text }], 'back under the limit');
    assert.equal(doc.lastParse, 'full');
    const edit = { start: 0, oldEnd: 0, text: 'n = len(tokenizer.encode("again"))\n' };
    await expectSame(doc, apply(text, [edit]), [edit], 'incremental again');
    assert.equal(doc.lastParse, 'incremental');
    doc.dispose();
  });
});
