/**
 * Bench section 1: encode throughput, trace off, on ≥ 5 MB of mixed text (prose, code, CJK)
 * for the four tiktoken encodings (r50k, p50k, cl100k, o200k). Ours against gpt-tokenizer
 * (goal ≥ 1.5×), js-tiktoken (goal ≥ 2×) and `tiktoken` on npm, OpenAI's Rust compiled to
 * WASM (goal ≥ 3×), in the same run on the same text; ids are checked equal first. The
 * speed ratios (ours / peer, above 1: we are faster) go to results.json as
 * `*_speed_ratio.<encoding>`. Without the `tiktoken` package the section runs without it.
 */
import { Tiktoken as JsTiktoken } from 'js-tiktoken/lite';
import * as gptR50k from 'gpt-tokenizer/encoding/r50k_base';
import * as gptP50k from 'gpt-tokenizer/encoding/p50k_base';
import * as gptCl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as gptO200k from 'gpt-tokenizer/encoding/o200k_base';
import { loadBuiltinTokenizer } from '../src/engine/tokenizers/builtin';
import { mixedCorpus } from './corpus';
import { recordNested } from './results';

const ENCODINGS = [
  ['r50k_base', gptR50k],
  ['p50k_base', gptP50k],
  ['cl100k_base', gptCl100k],
  ['o200k_base', gptO200k],
] as const;

type Ids = ArrayLike<number>;
interface Side { name: string; key: string; encode: () => Ids; free?: () => void }

/** The `tiktoken` package's get_encoding, or why it cannot be used. */
function loadRustTiktoken(): { getEncoding: (name: string) => { encode(t: string, allowed: string[], disallowed: string[]): Uint32Array; free(): void } } | { missing: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('tiktoken') as { get_encoding: (name: string) => { encode(t: string, a: string[], d: string[]): Uint32Array; free(): void } };
    return { getEncoding: (name) => mod.get_encoding(name) };
  } catch (e) {
    return { missing: (e as Error).message.split('\n')[0] };
  }
}

function jsTiktoken(name: string): JsTiktoken {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ranks = require(`js-tiktoken/ranks/${name}`);
  return new JsTiktoken(ranks.default ?? ranks);
}

/** First index where two id lists differ, or -1. */
function firstDifference(a: Ids, b: Ids): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** A side whose first run takes longer than this is timed once (js-tiktoken: ~50 s on o200k; noise is small against it). */
const ONE_RUN_ABOVE_MS = 10_000;

/** Median ms and number of runs per side, the sides taking turns in each round so that machine noise falls on all of them. */
function interleavedMedians(sides: readonly Side[], runs: number): { ms: number; runs: number }[] {
  const times = sides.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    sides.forEach((side, i) => {
      if (r > 0 && times[i][0] > ONE_RUN_ABOVE_MS) return;
      const t = performance.now();
      side.encode();
      times[i].push(performance.now() - t);
    });
  }
  return times.map((ts) => ({ ms: [...ts].sort((a, b) => a - b)[Math.floor(ts.length / 2)], runs: ts.length }));
}

export function throughputBench(root: string, runs: number): void {
  const text = mixedCorpus(root);
  const mb = Buffer.byteLength(text) / 1e6;
  const rust = loadRustTiktoken();
  console.log(`\n1. Encode throughput, trace off: ${mb.toFixed(2)} MB of mixed text (prose, code, CJK), median of ${runs}; goals ours / gpt-tokenizer ≥ 1.5×, / js-tiktoken ≥ 2×, / tiktoken (Rust → WASM) ≥ 3×`);
  if ('missing' in rust) console.log(`   tiktoken (npm, Rust → WASM) not installed, measured without it: ${rust.missing}`);
  for (const [name, gpt] of ENCODINGS) {
    const ours = loadBuiltinTokenizer(name);
    const js = jsTiktoken(name);
    // the corpus holds special-token text (<|endoftext|> in package docs): every side reads it as plain text
    const sides: Side[] = [
      { name: 'ours', key: '', encode: () => ours.encode(text) },
      { name: 'gpt-tokenizer', key: 'gpt_tokenizer', encode: () => gpt.encode(text, { disallowedSpecial: new Set() }) },
      { name: 'js-tiktoken', key: 'js_tiktoken', encode: () => js.encode(text, [], []) },
    ];
    if (!('missing' in rust)) {
      const enc = rust.getEncoding(name);
      sides.push({ name: 'tiktoken', key: 'tiktoken', encode: () => enc.encode(text, [], []), free: () => enc.free() });
    }
    try {
      const reference = sides[0].encode(); // warm-up and the correctness check
      const mismatches = sides.slice(1).flatMap((side) => {
        const ids = side.encode();
        const at = firstDifference(reference, ids);
        return at < 0 ? [] : [`${side.name} differs at token ${at} (ours ${reference[at]}, theirs ${ids[at]}; lengths ${reference.length} vs ${ids.length})`];
      });
      const timed = interleavedMedians(sides, runs);
      const ms = timed.map((t) => t.ms);
      const cells = sides.slice(1).map((side, i) => {
        const ratio = ms[i + 1] / ms[0];
        recordNested(`${side.key}_speed_ratio`, name, Number(ratio.toFixed(3)));
        const fewer = timed[i + 1].runs < runs ? ` (${timed[i + 1].runs} run)` : '';
        return `${side.name} ${(mb / ms[i + 1] * 1000).toFixed(2).padStart(6)} MB/s${fewer} → ${ratio.toFixed(2)}×`;
      });
      console.log(`   ${name.padEnd(12)} ours ${(mb / ms[0] * 1000).toFixed(1).padStart(6)} MB/s | ${cells.join(' | ')} | ids equal: ${mismatches.length === 0 ? 'yes' : 'NO'}`);
      for (const line of mismatches) console.log(`   ${name.padEnd(12)} ids MISMATCH: ${line}`);
    } finally {
      for (const side of sides) side.free?.(); // tiktoken's encoders live in WASM memory
    }
  }
}
