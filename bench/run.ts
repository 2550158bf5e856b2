/**
 * `npm run bench`: speed as ratios against peers measured in the same run (absolute
 * times on shared machines mislead). Prints:
 * 1. encode throughput on ≥ 5 MB of mixed text (prose, code, CJK), r50k, p50k, cl100k, o200k:
 *    ours vs js-tiktoken, gpt-tokenizer and tiktoken (Rust → WASM) (goals ≥ 2×, ≥ 1.5×, ≥ 3×);
 *    ids checked equal (bench/throughput.ts);
 * 2. 100 KB and 1 MB of one repeated character (`a`, space, `好`): time and the
 *    1 MB / 100 KB ratio (goal ≤ 50 ms and ≤ 12);
 * 3. hover answer latency on a 2,000-line file (goal p95 ≤ 20 ms);
 * 4. prefill of a GPT-2-small and a SmolLM2-135M-shaped model, 128 tokens with attentions,
 *    against Hugging Face transformers on PyTorch (bench/model.ts; goal ≤ 2.5×);
 *    and decode speed, 64 new tokens after 128, against transformers generate (bench/decode.ts; goal ≥ 1.0×);
 * 5. linear time: 5 MB against 1 MB of the same text per built-in tokenizer (bench/linear.ts; goal ≤ 6×);
 * 6. real tokenizer.json files (Llama 3, Qwen3, Gemma 3, Llama 2) on 100 KB – 2 MB against Hugging Face
 *    tokenizers (bench/tokenizerJson.ts; goals 1 MB / 100 KB ≤ 12, speed ≥ 1.0× on 2 MB).
 * 7. the extension host's worst event-loop delay while the panel tokenizes a 5 MB selection,
 *    the answer as bytes against the former JSON string (bench/hostLoop.ts; needs dist/; goal < 50 ms).
 */
import { Tiktoken } from 'js-tiktoken/lite';
import * as gptR50k from 'gpt-tokenizer/encoding/r50k_base';
import { resolve } from 'node:path';
import { loadBuiltinTokenizer } from '../src/engine/tokenizers/builtin';
import { tokensAt } from '../src/engine/tokenizers/hover';
import { mixedCorpus } from './corpus';
import { linearBench } from './linear';
import { throughputBench } from './throughput';
import { tokenizerJsonBench } from './tokenizerJson';
import { decodeBench } from './decode';
import { modelBench } from './model';
import { hostLoopBench } from './hostLoop';
import { wantsJson, writeResults } from './results';

const ROOT = resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function jsTiktoken(name: string): Tiktoken {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ranks = require(`js-tiktoken/ranks/${name}`);
  return new Tiktoken(ranks.default ?? ranks);
}

function medianMs(fn: () => unknown, runs = RUNS): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function repeated(): void {
  console.log('\n2. One repeated character (byte-level BPE merging must stay near-linear), gpt2 and cl100k, median of 3');
  for (const name of ['r50k_base', 'cl100k_base']) {
    const ours = loadBuiltinTokenizer(name);
    for (const ch of ['a', ' ', '好']) {
      const small = ch.repeat(100_000 / new TextEncoder().encode(ch).length);
      const big = ch.repeat(1_000_000 / new TextEncoder().encode(ch).length);
      ours.encode(small.slice(0, 1000) + 'x');
      const t1 = medianMs(() => ours.encode(small), 3);
      const t2 = medianMs(() => ours.encode(big), 3);
      console.log(`   ${name.padEnd(12)} ${JSON.stringify(ch)}: 100 KB ${t1.toFixed(1).padStart(6)} ms · 1 MB ${t2.toFixed(1).padStart(7)} ms · ratio ${(t2 / t1).toFixed(1)}`);
    }
  }
  const js = jsTiktoken('r50k_base');
  const peer = 2_000;
  const tJs = medianMs(() => js.encode('a'.repeat(peer)), 1);
  const tGt = medianMs(() => gptR50k.encode('a'.repeat(peer * 5)), 1);
  console.log(`   peers for scale: js-tiktoken ${tJs.toFixed(0)} ms on ${peer.toLocaleString('en-US')} × a; gpt-tokenizer ${tGt.toFixed(0)} ms on ${(peer * 5).toLocaleString('en-US')} × a`);
}

function hover(): void {
  const lines = mixedCorpus(ROOT, 400_000).split('\n').filter((l) => l.trim().length > 0).slice(0, 2_000);
  const tok = loadBuiltinTokenizer('cl100k_base');
  tokensAt(tok, lines[0], 0);
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const times: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const line = lines[Math.floor(rand() * lines.length)];
    const col = Math.floor(rand() * line.length);
    const t = performance.now();
    tokensAt(tok, line, col);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const longest = Math.max(...lines.map((l) => l.length));
  console.log(`\n3. Hover answer on a ${lines.length}-line file (longest line ${longest} chars), 2,000 hovers: p50 ${times[1000].toFixed(3)} ms · p95 ${times[1900].toFixed(3)} ms · max ${times[1999].toFixed(2)} ms (engine side; the worker round trip adds ~0.1 ms)`);
}

console.log(`Transformer Tracer benchmark · node ${process.version} · ${new Date().toISOString()}`);
const only = process.env.BENCH_ONLY; // e.g. BENCH_ONLY=repeated
if (!only || only === 'throughput') throughputBench(ROOT, RUNS);
if (!only || only === 'repeated') repeated();
if (!only || only === 'hover') hover();
if (!only || only === 'linear') linearBench(ROOT);
if (!only || only === 'tokenizer-json') tokenizerJsonBench(ROOT);
void (async () => {
  if (!only || only === 'model') await modelBench(RUNS);
  if (!only || only === 'model' || only === 'decode') await decodeBench(RUNS);
  if (!only || only === 'host-loop') await hostLoopBench(ROOT);
  if (wantsJson()) writeResults(resolve(ROOT, 'bench', 'results.json')); // `npm run bench -- --json`
})();
