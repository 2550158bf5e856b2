/**
 * Bench section 5: linear time on large inputs. Each built-in tokenizer encodes 1 MB and
 * 5 MB of the same kinds of text (mixed prose/code/CJK, one repeated character, digits,
 * newlines, CJK, emoji ZWJ sequences), through encode() (ids) and tokenStream() (the
 * tokens the CLI's --json streams). Prints the 5 MB / 1 MB time ratio per case; the goal is
 * ≤ 6 (5 would be exactly linear; a quadratic path shows as ~25). Each time is the best of
 * BENCH_LINEAR_RUNS (default 2): on a shared machine the minimum is the least disturbed.
 * A 5 MB run of one character is one regex piece merged by bpeMerge's heap, O(n log n):
 * expect ~5.6 there from the log factor alone.
 */
import { loadBuiltinTokenizer } from '../src/engine/tokenizers/builtin';
import type { Tokenizer } from '../src/engine/tokenizers/types';
import { mixedCorpus } from './corpus';

const MB = 1_000_000;

/** `unit` repeated to `bytes` UTF-8 bytes (rounded down to whole units). */
function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
}

const RUNS = Number(process.env.BENCH_LINEAR_RUNS ?? 2);

function timeMs(fn: () => unknown): number {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

function streamCount(tok: Tokenizer, text: string): number {
  let n = 0;
  for (const _ of tok.tokenStream(text)) n++;
  return n;
}

export function linearBench(root: string): void {
  const mixed = mixedCorpus(root, 5 * MB);
  const cases: [string, (bytes: number) => string][] = [
    ['mixed text', (b) => mixed.slice(0, Math.floor((mixed.length * b) / Buffer.byteLength(mixed)))],
    ['"a" repeated', (b) => fill('a', b)],
    ['digits', (b) => fill('0123456789', b)],
    ['newlines', (b) => fill('\n', b)],
    ['"!" repeated', (b) => fill('!', b)],
    ['CJK', (b) => fill('好', b)],
    ['emoji ZWJ', (b) => fill('👨‍👩‍👧 ', b)],
  ];
  const names = (process.env.BENCH_TOKENIZERS ?? 'r50k_base,cl100k_base,o200k_base,bert-base-uncased').split(',');
  console.log(`\n5. Linear time: 1 MB vs 5 MB of the same text, encode (ids) and tokenStream (tokens, as the CLI streams them); goal 5 MB ≤ 6× 1 MB, best of ${RUNS}`);
  let worst = 0;
  for (const name of names) {
    const tok = loadBuiltinTokenizer(name);
    for (const [label, make] of cases) {
      const small = make(MB), big = make(5 * MB);
      tok.encode(small.slice(0, 10_000)); // warm-up
      const e1 = timeMs(() => tok.encode(small)), e5 = timeMs(() => tok.encode(big));
      const s1 = timeMs(() => streamCount(tok, small)), s5 = timeMs(() => streamCount(tok, big));
      worst = Math.max(worst, e5 / e1, s5 / s1);
      console.log(`   ${name.padEnd(17)} ${label.padEnd(13)} encode ${e1.toFixed(0).padStart(6)} → ${e5.toFixed(0).padStart(6)} ms ×${(e5 / e1).toFixed(1).padStart(4)} · tokenStream ${s1.toFixed(0).padStart(6)} → ${s5.toFixed(0).padStart(6)} ms ×${(s5 / s1).toFixed(1).padStart(4)}`);
    }
  }
  console.log(`   worst ratio ${worst.toFixed(1)} (goal ≤ 6)`);
}
