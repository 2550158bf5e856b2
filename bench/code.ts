/**
 * Bench: the code features' analysis per typing pause on a 2,000-line generated Python file
 * (the corpus' tiktoken script and nanoGPT attention repeated), the full path (analyzeCode:
 * parse from scratch, walk everything) against the incremental one (CodeDocument: the kept
 * tree edited and reparsed, unchanged statements' steps reused), and a 10 MB file. Then the
 * inlay hints' counting cost for one screen of literals (the worker's `count`), cold and
 * from the hint provider's per-text cache. Medians of PAUSES pauses; each pause types a
 * few characters into a line (one to three edits, like a burst of keystrokes).
 *
 * Run: npx tsx bench/code.ts   (no test: timings depend on the machine and its load)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCode } from '../src/engine/code/analyze';
import { CodeDocument, type SourceEdit } from '../src/engine/code/codeDocument';
import { handle } from '../src/engine/worker/handlers';

const PAUSES = 40;
const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'code');
const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function generated(lines: number): string {
  const block = (read('tiktoken_script.py') + read('nanogpt_attention.py')).split('\n');
  const out: string[] = [];
  while (out.length < lines) out.push(...block);
  return out.slice(0, lines).join('\n');
}

async function main(): Promise<void> {
  let text = generated(2000);
  await analyzeCode(text, 'python'); // grammar loaded, code compiled
  const doc = new CodeDocument('python');
  await doc.update(text);
  let seed = 26;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
  const full: number[] = [], inc: number[] = [], incParse: number[] = [], fullParse: number[] = [];
  for (let p = 0; p < PAUSES; p++) {
    // inside an identifier of some line (after its indentation): typing that keeps the file's shape
    const lineStart = text.indexOf('\n', rand(text.length)) + 1;
    const at = lineStart + (text.slice(lineStart).match(/^\s*/)?.[0].length ?? 0) + 1;
    const edits: SourceEdit[] = [];
    for (let k = 0, pos = at; k < 1 + rand(3); k++, pos += 2) edits.push({ start: pos, oldEnd: pos, text: 'x_' });
    for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.oldEnd);
    let t = performance.now();
    const a = await doc.update(text, edits);
    inc.push(performance.now() - t); incParse.push(a.parseMs);
    t = performance.now();
    const b = await analyzeCode(text, 'python');
    full.push(performance.now() - t); fullParse.push(b.parseMs);
    if (a.literals.length !== b.literals.length || a.steps.length !== b.steps.length) throw new Error('incremental and full answers differ');
  }
  const last = await analyzeCode(text, 'python');
  console.log(`2,000 lines (${(text.length / 1000).toFixed(0)} KB, ${last.literals.length} literals, ${last.steps.length} steps), median of ${PAUSES} pauses:`);
  console.log(`  full reparse    ${median(full).toFixed(1)} ms per pause (parse ${median(fullParse).toFixed(1)})`);
  console.log(`  incremental     ${median(inc).toFixed(1)} ms per pause (parse ${median(incParse).toFixed(1)}): ${(median(full) / median(inc)).toFixed(1)}× less`);

  const huge = 'x = tok.encode("hello")\n'.repeat(Math.ceil(10_000_000 / 24));
  let t = performance.now();
  const h = await doc.update(huge);
  console.log(`  10 MB file      ${(performance.now() - t).toFixed(2)} ms (${h.skipped})`);
  doc.dispose();

  // Counting one screen of literals: cold (the worker's count), then the hint provider's cache (a Map per text).
  const visible = last.literals.slice(0, 40);
  handle({ kind: 'count', tokenizer: 'cl100k_base', text: 'warm', special: 'default' });
  handle({ kind: 'count', tokenizer: 'gpt2', text: 'warm', special: 'default' });
  const cache = new Map<string, number>();
  t = performance.now();
  for (const l of visible) cache.set(`${l.builtinTokenizer}\0${l.value}`, handle({ kind: 'count', tokenizer: l.builtinTokenizer ?? 'gpt2', text: l.value, special: 'default' }));
  const cold = performance.now() - t;
  t = performance.now();
  let sum = 0;
  for (const l of visible) sum += cache.get(`${l.builtinTokenizer}\0${l.value}`) ?? 0;
  const warm = performance.now() - t;
  console.log(`  ${visible.length} visible literals counted: cold ${cold.toFixed(1)} ms, cached ${warm.toFixed(2)} ms (${sum} tokens)`);
  console.log(`  per visible literal, incremental pause + cold counts: ${((median(inc) + cold) / visible.length).toFixed(2)} ms (budget 20 ms)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
