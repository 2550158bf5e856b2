/**
 * Benchmark 4: model prefill on 128 tokens with attentions recorded, two shapes with random
 * weights written once (bench/checkpoints.ts): GPT-2 small (12 layers × 12 heads, 768 wide,
 * 50,257 tokens) and SmolLM2-135M (llama: 30 layers, 576 wide, 9 heads / 3 KV heads, 1,536
 * FFN, 49,152 tokens, tied). The peer is Hugging Face transformers on PyTorch (CPU) loading
 * the same folder (bench/transformers_peer.py: eager with output_attentions, and sdpa
 * without), on as many threads as our kernel uses; for GPT-2, an interpreter with torch
 * but no transformers falls back to the hand-written forward (bench/torch_gpt2.py).
 * Python: $BENCH_PYTHON, else ../ref-venv/bin/python (beside the checkout), else
 * /usr/bin/python3; without one the peer lines say it is unavailable.
 * Also: the matmul kernel's GFLOP/s, the cost of recording everything over attention
 * weights only, resident memory against the F32 size, and the engine worker's load.
 */
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { logitsAt } from '../src/engine/model/heads';
import { topK, tsKernels } from '../src/engine/model/kernels';
import { loadModel, runModel, type LoadedModel } from '../src/engine/model/loadModel';
import type { ForwardResult } from '../src/engine/model/transformer';
import { createWasmArena, wasmSupported } from '../src/engine/model/wasmKernels';
import { gpt2SmallCheckpoint, smolLM2Checkpoint } from './checkpoints';
import { mulberry32 } from './corpus';
import { gflops, prefillFlops } from './flops';
import { recordResult } from './results';
import { simdPeakGflops } from './simdPeak';

const T = 128;
const VENV_PYTHON = resolve(__dirname, '..', '..', 'ref-venv', 'bin', 'python');
const PYTHON = process.env.BENCH_PYTHON ?? (existsSync(VENV_PYTHON) ? VENV_PYTHON : '/usr/bin/python3');

function median(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); times.push(performance.now() - t0); }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** GFLOP/s of one kernel build on one thread (and its share of that build's SIMD peak) and on all, and the typescript kernel's. */
async function kernelGflops(simd: 'strict' | 'relaxed'): Promise<string> {
  const peak = await simdPeakGflops(simd);
  const [t, c, oc] = [128, 768, 3072];
  const arena = createWasmArena(c * oc, { inp: 128 * 3072, w: 0, out: 128 * 3072, bias: 0 }, { threads: 0, simd })!;
  const w = arena.allocate(c * oc);
  for (let i = 0; i < w.length; i++) w[i] = Math.random() - 0.5;
  const inp = new Float32Array(t * c).map(() => Math.random() - 0.5);
  const out = new Float32Array(t * oc);
  const flops = 2 * t * c * oc;
  const wasm = median(() => arena.kernels.matmul(out, inp, w, null, t, c, oc), 15);
  const ts = median(() => tsKernels.matmul(out, inp, w, null, t, c, oc), 3);
  const arena2 = createWasmArena(c * oc, { inp: 128 * 3072, w: 0, out: 128 * 3072, bias: 0 }, { simd })!;
  const w2 = arena2.allocate(c * oc);
  w2.set(w);
  const start = Date.now();
  while (Date.now() - start < 300) arena2.kernels.matmul(out, inp, w2, null, t, c, oc); // let the helpers start
  const wasmN = median(() => arena2.kernels.matmul(out, inp, w2, null, t, c, oc), 15);
  arena.dispose(); arena2.dispose();
  recordResult(`kernel_${simd}_gflops`, { one_thread: flops / wasm / 1e6, peak_one_thread: peak, threads: arena2.threads, all_threads: flops / wasmN / 1e6 });
  return `${arena.kernels.name} ${(flops / wasm / 1e6).toFixed(1)} GFLOP/s on one thread (${((100 * flops) / wasm / 1e6 / peak).toFixed(0)}% of its SIMD peak, ${peak.toFixed(1)}), ${(flops / wasmN / 1e6).toFixed(1)} on ${arena2.threads} · typescript ${(flops / ts / 1e6).toFixed(1)} GFLOP/s (${t}×${c} · ${c}×${oc})`;
}

/**
 * The extension's way: the engine worker loads and runs the model while this thread (the
 * extension host's stand-in) keeps a 10 ms timer; the longest timer delay is how long the
 * host was blocked. Also counts the worker's loading-progress messages.
 */
async function workerLoad(dir: string): Promise<void> {
  const workerFile = resolve(__dirname, '..', 'dist', 'engineWorker.js');
  if (!existsSync(workerFile)) { console.log('   worker load: dist/engineWorker.js missing (npm run build)'); return; }
  const w = new Worker(workerFile);
  let worst = 0, last = performance.now(), progress = 0;
  const timer = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last - 10); last = now; }, 10);
  const t0 = performance.now();
  try {
    await new Promise<void>((res, rej) => {
      w.on('message', (m: { progress?: unknown; ok?: boolean; error?: string }) => {
        if (m.progress) { progress++; return; }
        if (m.ok) res(); else rej(new Error(m.error));
      });
      w.postMessage({ id: 1, request: { kind: 'attention', model: dir, ids: Array.from({ length: 16 }, (_, i) => i + 100), record: 'weights' } });
    });
    console.log(`   in the engine worker: loaded and ran in ${(performance.now() - t0).toFixed(0)} ms with ${progress} progress messages; the calling thread's longest stall was ${worst.toFixed(0)} ms`);
  } finally {
    clearInterval(timer);
    await w.terminate();
  }
}

export interface PeerInfo { torch: string; transformers: string; threads: number }
interface TransformersPeer extends PeerInfo {
  class: string;
  eager_ms: number; sdpa_ms: number; top5: number[]; sdpa_top5: number[];
  hidden_last_row: number[]; attn_last_layer_h0_last_row: number[];
}
interface HandWrittenPeer { ms: number; torch: string; threads: number; hidden_last_row: number[]; attn_l11_h0_last_row: number[]; top_logit_id: number }

/** Runs a peer script; its JSON line, or the reason it could not run (its last stderr line). */
export function runPeer<P>(script: string, args: string[]): P | string {
  try {
    const out = execFileSync(PYTHON, [resolve(__dirname, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').pop()!) as P;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const lines = (err.stderr ?? '').trim().split('\n').filter(Boolean);
    return lines.length ? lines[lines.length - 1] : err.message.split('\n')[0];
  }
}

const maxDelta = (ref: number[], ours: Float32Array) => Math.max(...ref.map((v, i) => Math.abs(v - ours[i]))).toExponential(1);

/** Loads the folder, times our prefill at each record level (interleaved, so drift hits them alike), prints memory. */
function oursTimed(dir: string, runs: number, ids: number[]): { model: LoadedModel; result: ForwardResult; top5: number[]; ms: number } {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = loadModel(dir);
  const loadMs = performance.now() - t0;
  const rss1 = process.memoryUsage().rss;
  const L = model.config.layers;
  const prefill = () => { const r = runModel(model, { ids }, { record: 'all' }); return { r, logits: logitsAt(model.config, model.weights, r.hidden, T - 1, model.kernels) }; };
  let last = prefill();
  const times: Record<'all' | 'weights' | 'none', number[]> = { all: [], weights: [], none: [] };
  for (let i = 0; i < runs; i++) {
    let t1 = performance.now();
    last = prefill();
    times.all.push(performance.now() - t1);
    for (const level of ['weights', 'none'] as const) {
      t1 = performance.now();
      runModel(model, { ids }, { record: level });
      times[level].push(performance.now() - t1);
    }
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const [all, weights, none] = [med(times.all), med(times.weights), med(times.none)];
  const rss2 = process.memoryUsage().rss;
  const f32 = model.weights.floats * 4;
  const fileBytes = statSync(resolve(dir, 'model.safetensors')).size;
  console.log(`   load ${loadMs.toFixed(0)} ms · weights ${(f32 / 1e6).toFixed(0)} MB F32 (file ${(fileBytes / 1e6).toFixed(0)} MB) · resident +${((rss1 - rss0) / 1e6).toFixed(0)} MB after load (${((rss1 - rss0) / fileBytes).toFixed(2)}× the file, goal ≤ 1.3×), +${((rss2 - rss0) / 1e6).toFixed(0)} MB after the runs`);
  console.log(`   ours (${model.kernels.name}, ${model.threads} threads): record all + LM head ${all.toFixed(0)} ms · weights only ${weights.toFixed(0)} ms · nothing ${none.toFixed(0)} ms (the head and recording all cost ${((all / weights - 1) * 100).toFixed(1)}% over weights only; ${L} layers)`);
  return { model, result: last.r, top5: topK(last.logits, 5), ms: all };
}

/** One shape: ours, then the peer, with the ratio ours/peer (above 1: we are slower), GFLOP/s and the check that the answers agree. */
async function shapeBench(title: string, key: string, dir: string, runs: number, opts: { worker?: boolean; handWrittenFallback?: boolean }): Promise<void> {
  console.log(`\n   ${title}`);
  const rand = mulberry32(7);
  const vocab = (JSON.parse(readFileSync(resolve(dir, 'config.json'), 'utf8')) as { vocab_size: number }).vocab_size;
  const ids = Array.from({ length: T }, () => Math.floor(rand() * vocab));
  const { model, result, top5, ms } = oursTimed(dir, runs, ids);
  if (opts.worker) await workerLoad(dir);
  const cfg = model.config, L = cfg.layers, C = cfg.hidden;
  const flops = prefillFlops(cfg, T);
  console.log(`   FLOPs per prefill ${(flops.total / 1e9).toFixed(2)} G (matmuls ${(flops.matmuls / 1e9).toFixed(2)} + scores ${(flops.scores / 1e9).toFixed(2)} + LM head on the last position ${(flops.head / 1e9).toFixed(3)}) · ours ${gflops(flops.total, ms)}`);
  const hid = result.hidden.subarray((T - 1) * C, T * C);
  const att = result.layers[L - 1].heads[0].weights!.subarray((T - 1) * T, T * T);
  const args = [dir, JSON.stringify(ids), String(runs), String(model.threads)];
  model.dispose();
  const peer = runPeer<TransformersPeer>('transformers_peer.py', args);
  if (typeof peer !== 'string') {
    const same = (ids5: number[]) => (ids5.every((id, i) => id === top5[i]) ? 'yes' : 'NO');
    console.log(`   transformers ${peer.transformers} ${peer.class} on PyTorch ${peer.torch} CPU, ${peer.threads} threads, eager, output_attentions: ${peer.eager_ms.toFixed(0)} ms · ${gflops(flops.total, peer.eager_ms)} → ours/peer = ${(ms / peer.eager_ms).toFixed(2)}× (goal ≤ 2.5×)`);
    console.log(`   transformers sdpa, without attentions (its default): ${peer.sdpa_ms.toFixed(0)} ms · ${gflops(flops.total, peer.sdpa_ms)} → ours/peer = ${(ms / peer.sdpa_ms).toFixed(2)}×`);
    recordResult('peer', { name: 'Hugging Face transformers (AutoModelForCausalLM, eager with attentions; generate with use_cache)', torch: peer.torch, transformers: peer.transformers, threads: peer.threads });
    recordResult(`${key}_prefill_ratio`, ms / peer.eager_ms);
    recordResult(`${key}_prefill_ms`, { ours: ms, transformers_eager: peer.eager_ms, transformers_sdpa: peer.sdpa_ms });
    console.log(`   ids equal: ${same(peer.top5)} (last-position top 5: ours ${top5.join(',')}, eager ${peer.top5.join(',')}, sdpa ${same(peer.sdpa_top5)}) · hidden max |Δ| ${maxDelta(peer.hidden_last_row, hid)} · attention (layer ${L - 1}, head 0, last row) max |Δ| ${maxDelta(peer.attn_last_layer_h0_last_row, att)}`);
    return;
  }
  const hand = opts.handWrittenFallback ? runPeer<HandWrittenPeer>('torch_gpt2.py', args) : undefined;
  if (hand && typeof hand !== 'string') {
    console.log(`   transformers peer unavailable (${peer}); hand-written forward on PyTorch ${hand.torch} CPU, ${hand.threads} threads: ${hand.ms.toFixed(0)} ms · ${gflops(flops.total, hand.ms)} → ours/peer = ${(ms / hand.ms).toFixed(2)}×`);
    recordResult('peer', { name: 'hand-written GPT-2 forward', torch: hand.torch, transformers: null, threads: hand.threads });
    recordResult(`${key}_prefill_ratio`, ms / hand.ms);
    console.log(`   ids equal (top 1 only): ${top5[0] === hand.top_logit_id ? 'yes' : 'NO'} · hidden max |Δ| ${maxDelta(hand.hidden_last_row, hid)} · attention max |Δ| ${maxDelta(hand.attn_l11_h0_last_row, att)}`);
    return;
  }
  console.log(`   transformers peer unavailable (${PYTHON}: ${hand ?? peer}); pip install torch transformers into ../ref-venv or set BENCH_PYTHON`);
}

export async function modelBench(runs = 3): Promise<void> {
  console.log(`\n4. Model prefill, ${T} tokens, attentions recorded, median of ${runs} (ratio ours/peer: above 1, we are slower)`);
  console.log(`   matmul kernel: ${await kernelGflops('strict')}`);
  if (wasmSupported('relaxed')) console.log(`   matmul kernel: ${await kernelGflops('relaxed')} (FMA; the model runs this one)`);
  await shapeBench('GPT-2-small shape (12 layers × 12 heads, 768 wide, 50,257 tokens)', 'gpt2', await gpt2SmallCheckpoint(), runs, { worker: true, handWrittenFallback: true });
  await shapeBench('SmolLM2-135M shape (llama: 30 layers, 576 wide, 9 heads / 3 KV heads, 1,536 FFN, 49,152 tokens, tied)', 'smollm', await smolLM2Checkpoint(), runs, {});
  if (process.env.BENCH_TS_MODEL === '1') {
    const dir = await gpt2SmallCheckpoint();
    const ts = loadModel(dir, { kernels: 'typescript' });
    const ids = Array.from({ length: T }, (_, i) => i + 100);
    console.log(`   typescript fallback kernel (GPT-2 small): ${median(() => runModel(ts, { ids }, { record: 'all' }), 1).toFixed(0)} ms`);
  }
}
