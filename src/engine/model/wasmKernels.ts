/**
 * The WebAssembly SIMD matmul (matmul.wat), the memory it works in, and the helper
 * threads that share it; also the module's softmax rows and GELU, which run on the
 * caller's thread (they are O(T²) and O(T·F), against the products' O(T·C·F)).
 *
 * One shared WebAssembly.Memory holds the model's weights (a bump allocator hands out
 * Float32Array views for weights.ts) and fixed scratch areas for the activations that
 * are copied in and out of each product, and a region for one KV cache (kvStore: decode
 * steps then read the cached rows in place). The memory is sized once, at load, and never
 * grows: growing would detach every weight view. Copying activations is O(T·C) against
 * the product's O(T·C·OC), under 1% of the time.
 *
 * Two builds of the module (tools/build-wasm.mjs): relaxed SIMD, whose f32x4.relaxed_madd is
 * one FMA instruction (about 1.5× the strict kernel's GFLOP/s here), and strict SIMD, mul then
 * add, where relaxed SIMD is missing. VS Code's Electron and Node ≥ 22 have relaxed SIMD; Node
 * 20 has it behind --experimental-wasm-relaxed-simd, which a Worker's execArgv refuses (a V8
 * flag is per process), so on Node 20 the flag is set with v8.setFlagsFromString before the
 * relaxed module is compiled, and the strict one is used if that fails. Both agree with the
 * TypeScript kernel within 1e-5 (tested); an FMA rounds once where mul + add round twice.
 *
 * Many input rows take `matmulPanels`: each thread packs 12 weight rows at a time (16 on the
 * strict build) into its own panel scratch, transposed so those columns' weights are adjacent
 * vectors, and runs every input row against it, 3 rows × 12 columns a step (strict: 2 × 16).
 * `matmul` (2 weight rows × 4 input rows, lane sums at the end) is left for inputs wider than
 * the panel scratch.
 *
 * Few input rows (decode: T = 1) take `matvec`, four weight rows against one input row: that
 * product reads every weight once per token, so it is bound by memory, not arithmetic, and
 * it is split between the threads by its weight bytes (≥ 1 MB), not by its multiply-adds.
 *
 * Threads: the kernel runs near the core's 128-bit SIMD peak, so the way up is more cores.
 * Helper workers (one per extra core, at most 3)
 * instantiate the same module on the same memory; every large product is cut into items
 * of 24 output columns (strict: 32) that the threads (the caller's included) take from an Atomics
 * counter until none is left. Columns, not rows: each weight row is then read by one
 * thread only, and a thread slowed by other work on its core just takes fewer items.
 * The forward pass stays synchronous, and a helper that is not started yet simply gets
 * no work. Helpers are unref'd, so they never keep a process alive.
 *
 * Anything that does not fit the scratch areas runs on the TypeScript kernel instead,
 * with the same results to ~1e-6.
 */
/// <reference path="./webassembly.d.ts" />
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { MATMUL_RELAXED_WASM_BASE64, MATMUL_WASM_BASE64 } from './matmulWasm.generated';
import { softmaxRows, type RowsView } from './attention';
import { geluTanh, silu, tsKernels, type HeadsAttentionArgs, type Kernels } from './kernels';
import type { Allocate } from './weights';
import type { ModelConfig } from './config';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit
/** Input rows per call: the threads share each round's output columns, and all of them read these rows. */
const ROW_CHUNK = 128;
/**
 * Output columns per work item: 2 panels of 12 on the relaxed build, 2 of 16 on the strict (4
 * and 3 of matvec's 8 rows). Small items keep the caller's wait for a helper's last item short;
 * 24 against 48 columns took GPT-2's prefill here from 460–482 to 426–450 ms.
 */
const colsPerItem = (relaxed: boolean) => (relaxed ? 24 : 32);
/** Output columns of the widest packed weight panel (matmul.wat's matmulPanels: 12 on the relaxed build, 16 on the strict). */
const PANEL_COLS = 16;
/** Floats after a panel's C × W: 16 for its bias, 36 for a partial panel's rows (3 × 12 or 2 × 16), rounded up. */
const PANEL_EXTRA = 64;
/** The most threads (caller and helpers) that may each hold a panel. */
const MAX_THREADS = 4;
/**
 * Products smaller than this many multiply-adds run on the caller's thread alone: a small
 * model's products (tiny-gpt: ≤ 17 M) gain nothing measurable from a helper, and on a busy
 * machine the caller can stall waiting for a descheduled one. GPT-2 small's are ≥ 75 M.
 */
const PARALLEL_MIN_MACS = 1 << 25;
/** Products over at least this many weight floats (1 MB) are split too, however few their rows: decode's matrix–vector products are bound by reading them. */
const PARALLEL_MIN_WEIGHTS = 1 << 18;
/** Below this many input rows a product runs as `matvec` (4 weight rows × 1 input row) rather than `matmul`'s 2 × 4 blocks. */
const MATVEC_MAX_ROWS = 3;
/** Rounds a helper polls for the next job before it sleeps in Atomics.wait: decode posts ~50 small jobs a token, and a futex wake-up costs more than one of them. */
const HELPER_SPIN = 20_000;
/** The most floats a decode step's copy of one layer's K and V rows may take in the scratch (16 MB). */
const KV_SCRATCH_MAX = 1 << 22;
/**
 * The most floats of the KV-cache region (256 MB): every position of GPT-2 small (75 MB),
 * 2,900 of SmolLM2-135M. Pages of it no cache has touched cost address space only.
 */
const KV_REGION_MAX = 1 << 26;
/** GELU and SiLU over at least this many floats are shared by the threads, this many floats an item. */
const PARALLEL_MIN_FLOATS = 1 << 15;
const FLOATS_PER_ITEM = 1 << 13;
/** Floats before the attention region for attendHeadAt's argument block (80 bytes used). */
const ATTN_ARGS_FLOATS = 32;
/** The most floats of the attention region (16 MB): all heads of 128 tokens (GPT-2 small: 0.7 M), two or more at 1,024. */
const ATTN_REGION_MAX = 1 << 22;
/** A helper that has not finished after this long is treated as dead. */
const HELPER_TIMEOUT_MS = 60_000;

/**
 * The shared work block: [0] next item (taken with Atomics.add), [1..8] the product's
 * arguments (out, inp, w, bias, T, C, OC, item count), [9] 1 for matvec, 0 for matmul,
 * 2 for matmulPanels of 12 columns, 6 of 16, [10] the panel region's byte offset, [11] one thread's panel bytes
 * (thread i packs at [10] + i · [11]; the caller is thread 0); kind 3 is attention: items are
 * heads, [1] the byte offset of attendHeadAt's argument block, [8] the head count; kinds 4 and
 * 5 are GELU and SiLU in place over [2] floats at byte [1], items of FLOATS_PER_ITEM floats.
 * Threads take items of columns until none is left, so a thread slowed by anything else on
 * its core simply takes fewer items.
 */
const WORK_SLOTS = 14;
/** Work block slots: the open job's number (0: none open, helpers may not join), and how many helpers are inside it. */
const JOB_OPEN = 12, JOB_ACTIVE = 13;

/*
 * The caller never waits for a helper that has not joined: a helper that wakes late (its core
 * busy with other work) finds the job closed and goes back to sleep. Joining is: count itself
 * in (JOB_ACTIVE), then check the job is still the open one; the caller closes the job once
 * no item is left and waits only while JOB_ACTIVE > 0, i.e. for items already being done.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, work, index, cols } = workerData;
const { matmul, matvec, matmulPanels, attendHeadAt, geluTanh, silu } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(control);
const w = new Int32Array(work);
function run() {
  const n = Atomics.load(w, 8), kind = Atomics.load(w, 9);
  if (kind === 3) { // attention heads: [1] the argument block
    const args = Atomics.load(w, 1);
    for (let i; (i = Atomics.add(w, 0, 1)) < n;) attendHeadAt(args, i);
    return;
  }
  if (kind === 4 || kind === 5) { // GELU (4) or SiLU (5) in place: [1] the floats' byte offset, [2] their count
    const f = kind === 4 ? geluTanh : silu, at = Atomics.load(w, 1), count = Atomics.load(w, 2);
    for (let i; (i = Atomics.add(w, 0, 1)) < n;) f(at + i * ${FLOATS_PER_ITEM * 4}, Math.min(${FLOATS_PER_ITEM}, count - i * ${FLOATS_PER_ITEM}));
    return;
  }
  const out = Atomics.load(w, 1), inp = Atomics.load(w, 2), wt = Atomics.load(w, 3), bias = Atomics.load(w, 4);
  const T = Atomics.load(w, 5), C = Atomics.load(w, 6), OC = Atomics.load(w, 7);
  const mm = kind === 1 ? matvec : kind === 2 || kind === 6 ? matmulPanels : matmul;
  const panel = Atomics.load(w, 10) + index * Atomics.load(w, 11);
  for (let i; (i = Atomics.add(w, 0, 1)) < n;) {
    const o0 = i * cols;
    mm(out + o0 * 4, inp, wt + o0 * C * 4, bias ? bias + o0 * 4 : 0, T, C, Math.min(cols, OC - o0), OC, panel, kind === 6 ? 1 : 0);
  }
}
Atomics.store(c, 9, 1); // ready
let seen = 0;
for (;;) {
  for (let spin = 0; spin < ${HELPER_SPIN} && Atomics.load(c, 0) === seen; spin++);
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (seen < 0) break;
  const job = Atomics.load(w, ${JOB_OPEN});
  if (job === 0) continue; // closed before this helper woke
  Atomics.add(w, ${JOB_ACTIVE}, 1);
  if (Atomics.load(w, ${JOB_OPEN}) === job) run();
  if (Atomics.sub(w, ${JOB_ACTIVE}, 1) === 1) Atomics.notify(w, ${JOB_ACTIVE});
}`;

/** A helper thread and its control block: [0] wake-up count (−1 stops), [9] ready. */
interface Helper { worker: Worker; control: Int32Array; job: number }

function startHelpers(mod: WebAssembly.Module, memory: WebAssembly.Memory, work: Int32Array, count: number, cols: number): Helper[] {
  const helpers: Helper[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const control = new Int32Array(new SharedArrayBuffer(16 * 4));
      const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module: mod, memory, control: control.buffer, work: work.buffer, index: i + 1, cols } });
      worker.unref();
      worker.on('error', () => Atomics.store(control, 9, 0));
      helpers.push({ worker, control, job: 0 });
    } catch {
      break; // no threads here: the caller's thread does all the work
    }
  }
  return helpers;
}

/** Which build of the module: relaxed SIMD (FMA) where the runtime has it, else strict ('auto'), or one of them. */
export type SimdChoice = 'auto' | 'relaxed' | 'strict';

export interface ArenaOptions {
  /** Helper threads besides the caller's (default: cores − 1, at most 3). */
  threads?: number;
  simd?: SimdChoice;
}

const compiled: { strict?: WebAssembly.Module | null; relaxed?: WebAssembly.Module | null } = {};

const tryCompile = (base64: string): WebAssembly.Module | null => {
  try {
    return new WebAssembly.Module(Buffer.from(base64, 'base64'));
  } catch {
    return null;
  }
};

/** The relaxed-SIMD module, turning on Node 20's flag for it when the first try fails; null where the runtime cannot run it. */
function relaxedModule(): WebAssembly.Module | null {
  if (compiled.relaxed === undefined) {
    compiled.relaxed = tryCompile(MATMUL_RELAXED_WASM_BASE64);
    if (!compiled.relaxed) {
      try {
        setFlagsFromString('--experimental-wasm-relaxed-simd');
        compiled.relaxed = tryCompile(MATMUL_RELAXED_WASM_BASE64);
      } catch {
        compiled.relaxed = null;
      }
    }
  }
  return compiled.relaxed;
}

function wasmModule(simd: SimdChoice = 'auto'): { mod: WebAssembly.Module; relaxed: boolean } | undefined {
  if (simd !== 'strict') {
    const relaxed = simd === 'auto' && process.env.TT_WASM_RELAXED === '0' ? null : relaxedModule(); // TT_WASM_RELAXED=0: strict unless asked
    if (relaxed) return { mod: relaxed, relaxed: true };
    if (simd === 'relaxed') return undefined;
  }
  compiled.strict ??= tryCompile(MATMUL_WASM_BASE64); // null: no WebAssembly SIMD here, the TypeScript kernel is used
  return compiled.strict ? { mod: compiled.strict, relaxed: false } : undefined;
}

export const wasmSupported = (simd: SimdChoice = 'strict'): boolean => wasmModule(simd) !== undefined;

export interface ScratchSizes {
  /** floats for input rows (ROW_CHUNK × widest padded input) */
  inp: number;
  /** floats for a copied weight matrix (attention's K and Vᵀ; a decode step's cached K and V rows) */
  w: number;
  /** floats for output rows (ROW_CHUNK × widest output, or a vocabulary's logits) */
  out: number;
  /** floats for a copied bias */
  bias: number;
  /** floats for one KV cache kept in this memory (kernels.kvStore); absent or 0: none */
  kv?: number;
  /** floats for attention over whole inputs (attendHeads: the heads' concat, then per head its scores, weights, row stats and mask); absent: as `out` */
  attn?: number;
}

export interface WasmArena {
  kernels: Kernels;
  allocate: Allocate;
  /** bytes reserved in the WebAssembly memory */
  bytes: number;
  /** threads that share each large product (the caller's included) */
  threads: number;
  /** threads ready to work now (helpers start asynchronously) */
  readyThreads(): number;
  /** Stop the helper threads. */
  dispose(): void;
}

const pad4 = (n: number) => (n + 3) & ~3;

/** Scratch sizes for a model: width C, FFN width F, head size HD, (NH + 2·NKV)·HD fused q|k|v, maxT positions, vocab V. */
export function scratchFor(cfg: Pick<ModelConfig, 'hidden' | 'ffnHidden' | 'heads' | 'kvHeads' | 'headDim' | 'maxPositions' | 'vocabSize' | 'layers'>): ScratchSizes {
  const { hidden: C, ffnHidden: F, headDim: HD, maxPositions: maxT, vocabSize: V } = cfg;
  const QKV = (cfg.heads + 2 * cfg.kvHeads) * HD, QD = cfg.heads * HD;
  const wide = Math.max(pad4(C), pad4(F), pad4(maxT), pad4(QD));
  const KD = cfg.kvHeads * HD;
  return {
    inp: ROW_CHUNK * wide,
    // a decode step copies one layer's cached K and V rows here (up to 16 MB; longer caches take the TypeScript path)
    w: Math.max(pad4(maxT) * pad4(HD) + pad4(HD) * pad4(maxT), Math.min(2 * maxT * KD, KV_SCRATCH_MAX)),
    out: Math.max(ROW_CHUNK * Math.max(QKV, F, maxT, C), V),
    bias: Math.max(QKV, F, V),
    kv: Math.min(2 * cfg.layers * maxT * KD, KV_REGION_MAX),
    attn: Math.min(maxT * QD + cfg.heads * (3 * maxT * maxT + 2 * maxT), ATTN_REGION_MAX),
  };
}

/**
 * A memory for `weightFloats` floats of weights plus scratch; undefined when WebAssembly
 * SIMD is missing or the total passes 4 GiB (the caller then stays in TypeScript).
 */
export function createWasmArena(weightFloats: number, scratch: ScratchSizes, opts: ArenaOptions = {}): WasmArena | undefined {
  const built = wasmModule(opts.simd);
  if (!built) return undefined;
  const mod = built.mod;
  // one packed panel per thread, as wide as the widest input row the input scratch holds
  const panelWidth = pad4(Math.ceil(scratch.inp / ROW_CHUNK));
  const panelFloats = PANEL_COLS * panelWidth + PANEL_EXTRA;
  const regions = [scratch.inp, scratch.w, scratch.out, scratch.bias, scratch.kv ?? 0, MAX_THREADS * panelFloats, ATTN_ARGS_FLOATS + (scratch.attn ?? scratch.out)].map(pad4);
  const totalFloats = pad4(weightFloats) + 4 * 1024 + regions.reduce((a, b) => a + b, 0);
  const pages = Math.ceil((totalFloats * 4 + 16) / PAGE);
  if (pages > MAX_PAGES) return undefined;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  type Product = (out: number, inp: number, w: number, bias: number, T: number, C: number, OC: number, ldo: number) => void;
  const matmulWasm = instance.exports.matmul as Product;
  const matvecWasm = instance.exports.matvec as Product;
  const attendHeadAt = instance.exports.attendHeadAt as (args: number, i: number) => void;
  const matmulPanels = instance.exports.matmulPanels as (out: number, inp: number, w: number, bias: number, T: number, C: number, OC: number, ldo: number, panel: number, wide: number) => void;
  const matmulStrided = instance.exports.matmulStrided as (out: number, inp: number, w: number, bias: number, T: number, C: number, OC: number, ldo: number, ldi: number, ldw: number) => void;
  const matvecStrided = instance.exports.matvecStrided as (out: number, inp: number, w: number, bias: number, T: number, C: number, OC: number, ldo: number, ldw: number) => void;
  const weightedRows = instance.exports.weightedRows as (out: number, p: number, v: number, n: number, HD: number, ldv: number) => void;
  const geluWasm = instance.exports.geluTanh as (at: number, n: number) => void;
  const siluWasm = instance.exports.silu as (at: number, n: number) => void;
  const softmaxWasm = instance.exports.softmaxRows as (at: number, mask: number, stats: number, rows: number, n: number, scale: number) => void;
  // packed panels (matmulPanels), 3 rows × 12 columns on the FMA build (~50 GFLOP/s a thread here, against
  // matmul's ~44), 2 × 16 on the strict one, whose separate mul needs a register more (~38, against ~31)
  const wide = built.relaxed ? 0 : 1;
  const heap = new Float32Array(memory.buffer);
  const work = new Int32Array(new SharedArrayBuffer(WORK_SLOTS * 4));
  let jobNumber = 0;
  const cols = colsPerItem(built.relaxed);
  const helpers = startHelpers(mod, memory, work, Math.max(0, Math.min(3, opts.threads ?? availableParallelism() - 1)), cols);

  /** out[rows, OC] on every ready thread, 24 or 32 columns at a time; the caller works too. */
  const parallel = (outOff: number, inpOff: number, wOff: number, biasOff: number, rows: number, Cp: number, OC: number) => {
    const vec = rows <= MATVEC_MAX_ROWS;
    const panels = !vec && PANEL_COLS * Cp + PANEL_EXTRA <= panelFloats;
    const product: Product = vec ? matvecWasm : panels ? (o, i, w, b, T, C, n, ldo) => matmulPanels(o, i, w, b, T, C, n, ldo, panelAt * 4, wide) : matmulWasm;
    const ready = helpers.filter((h) => Atomics.load(h.control, 9) === 1);
    const items = Math.ceil(OC / cols);
    if (ready.length === 0 || items < 2 || (rows * Cp * OC < PARALLEL_MIN_MACS && Cp * OC < PARALLEL_MIN_WEIGHTS)) {
      product(outOff, inpOff, wOff, biasOff, rows, Cp, OC, OC);
      return;
    }
    share(ready, [0, outOff, inpOff, wOff, biasOff, rows, Cp, OC, items, vec ? 1 : panels ? (wide ? 6 : 2) : 0, panelAt * 4, panelFloats * 4], (i) => {
      const o0 = i * cols;
      product(outOff + o0 * 4, inpOff, wOff + o0 * Cp * 4, biasOff ? biasOff + o0 * 4 : 0, rows, Cp, Math.min(cols, OC - o0), OC);
    });
  };

  /** Posts a job (the work block's slots) to the ready helpers, takes items on this thread too, and waits for the helpers to finish theirs. */
  const share = (ready: Helper[], slots: number[], item: (i: number) => void) => {
    slots.forEach((v, i) => Atomics.store(work, i, v));
    Atomics.store(work, JOB_OPEN, (jobNumber = (jobNumber % 0x7ffffffe) + 1));
    for (const h of ready) {
      h.job++;
      Atomics.store(h.control, 0, h.job);
      Atomics.notify(h.control, 0);
    }
    for (let i; (i = Atomics.add(work, 0, 1)) < slots[8];) item(i);
    Atomics.store(work, JOB_OPEN, 0);
    let active: number;
    for (let spin = 0; spin < HELPER_SPIN && Atomics.load(work, JOB_ACTIVE) !== 0; spin++); // a helper's last item ends within microseconds, a futex wake-up takes longer
    while ((active = Atomics.load(work, JOB_ACTIVE)) !== 0) {
      if (Atomics.wait(work, JOB_ACTIVE, active, HELPER_TIMEOUT_MS) === 'timed-out') throw new Error('a matmul helper thread stopped responding');
    }
  };

  // Floats [16/4 …) hold the weights (offset 0 stays unused so a bias offset of 0 means "none").
  let next = 4;
  const weightsEnd = 4 + pad4(weightFloats) + 4 * 1024;
  const allocate: Allocate = (n) => {
    if (next + n > weightsEnd) throw new Error(`the WebAssembly weight area is full (${weightFloats} floats reserved)`);
    const view = heap.subarray(next, next + n);
    next += pad4(n);
    return view;
  };
  const [inpAt, wAt, outAt, biasAt, kvAt, panelAt, attnArgsAt] = regions.reduce<number[]>((acc, size, i) => {
    acc.push(i === 0 ? weightsEnd : acc[i - 1] + regions[i - 1]);
    return acc;
  }, []);
  const inMemory = (a: Float32Array) => a.buffer === heap.buffer;
  /**
   * dst[at …] = heap[from … from+n): a plain loop below 256 floats, where making the
   * subarray for `set` costs more than the copy (attention copies out a few rows per head).
   */
  const fromHeap = (dst: Float32Array, at: number, from: number, n: number) => {
    if (n >= 256) { dst.set(heap.subarray(from, from + n), at); return; }
    for (let i = 0; i < n; i++) dst[at + i] = heap[from + i];
  };
  /** `rows` rows of `width` floats of a view, packed at float offset `at`. */
  const copyRows = (view: RowsView, rows: number, width: number, at: number) => {
    if (view.stride === width) { heap.set(view.data.subarray(view.offset, view.offset + rows * width), at); return; }
    for (let r = 0; r < rows; r++) heap.set(view.data.subarray(view.offset + r * view.stride, view.offset + r * view.stride + width), at + r * width);
  };

  /** An in-place wasm loop over N floats, through the output scratch a chunk at a time; the last N mod 4 in TypeScript. */
  const elementwise = (kind: number, wasm: (at: number, n: number) => void, ts: (out: Float32Array, inp: Float32Array, N: number) => void, out: Float32Array, inp: Float32Array, N: number) => {
    const chunk = scratch.out & ~3;
    if (chunk === 0) { ts(out, inp, N); return; }
    const whole = N & ~3;
    for (let i0 = 0; i0 < whole; i0 += chunk) {
      const n = Math.min(chunk, whole - i0);
      heap.set(inp.subarray(i0, i0 + n), outAt);
      const ready = n >= PARALLEL_MIN_FLOATS ? helpers.filter((h) => Atomics.load(h.control, 9) === 1) : [];
      if (ready.length === 0) wasm(outAt * 4, n);
      else share(ready, [0, outAt * 4, n, 0, 0, 0, 0, 0, Math.ceil(n / FLOATS_PER_ITEM), kind], (i) => wasm(outAt * 4 + i * FLOATS_PER_ITEM * 4, Math.min(FLOATS_PER_ITEM, n - i * FLOATS_PER_ITEM)));
      out.set(heap.subarray(outAt, outAt + n), i0);
    }
    if (whole < N) ts(out.subarray(whole, N), inp.subarray(whole, N), N - whole);
  };
  const kernels: Kernels = {
    name: built.relaxed ? 'wasm-relaxed-simd' : 'wasm-simd',
    matmul(out, inp, w, bias, T, C, OC) {
      const Cp = pad4(C);
      const inpDirect = inMemory(inp) && Cp === C;
      const wDirect = inMemory(w) && Cp === C;
      const biasDirect = !bias || inMemory(bias);
      if ((!wDirect && OC * Cp > scratch.w) || (!inpDirect && Cp * Math.min(T, ROW_CHUNK) > scratch.inp)
        || OC > scratch.out || (!biasDirect && OC > scratch.bias)) {
        tsKernels.matmul(out, inp, w, bias, T, C, OC);
        return;
      }
      let wOff = w.byteOffset;
      if (!wDirect) {
        if (Cp === C) heap.set(w.subarray(0, OC * C), wAt);
        else for (let o = 0; o < OC; o++) { heap.set(w.subarray(o * C, o * C + C), wAt + o * Cp); heap.fill(0, wAt + o * Cp + C, wAt + (o + 1) * Cp); }
        wOff = wAt * 4;
      }
      let biasOff = 0;
      if (bias) {
        if (biasDirect) biasOff = bias.byteOffset;
        else { heap.set(bias.subarray(0, OC), biasAt); biasOff = biasAt * 4; }
      }
      const rowsPerCall = Math.max(1, Math.min(ROW_CHUNK, Math.floor(scratch.out / OC)));
      for (let r0 = 0; r0 < T; r0 += rowsPerCall) {
        const rows = Math.min(rowsPerCall, T - r0);
        let inpOff: number;
        if (inpDirect) inpOff = inp.byteOffset + r0 * C * 4;
        else {
          if (Cp === C) heap.set(inp.subarray(r0 * C, (r0 + rows) * C), inpAt);
          else for (let r = 0; r < rows; r++) { heap.set(inp.subarray((r0 + r) * C, (r0 + r) * C + C), inpAt + r * Cp); heap.fill(0, inpAt + r * Cp + C, inpAt + (r + 1) * Cp); }
          inpOff = inpAt * 4;
        }
        parallel(outAt * 4, inpOff, wOff, biasOff, rows, Cp, OC);
        out.set(heap.subarray(outAt, outAt + rows * OC), r0 * OC);
      }
    },
    geluTanh(out, inp, N) { elementwise(4, geluWasm, geluTanh, out, inp, N); },
    silu(out, inp, N) { elementwise(5, siluWasm, silu, out, inp, N); },
    softmaxRows(weights, raw, mask, scale, rows, n, rowMax, rowSum) {
      // scores in the output scratch (softmaxed in place), the mask beside them in the input scratch, max/sum in the bias scratch
      const chunk = Math.min(Math.floor(scratch.out / n), Math.floor(scratch.inp / n), scratch.bias >> 1);
      if (chunk < 1) { softmaxRows(weights, raw, mask, scale, rows, n, rowMax, rowSum); return; }
      const stats = rowMax || rowSum;
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const k = Math.min(chunk, rows - r0);
        heap.set(raw.subarray(r0 * n, (r0 + k) * n), outAt);
        heap.set(mask.subarray(r0 * n, (r0 + k) * n), inpAt);
        softmaxWasm(outAt * 4, inpAt * 4, stats ? biasAt * 4 : 0, k, n, scale); // scales in float64, rounding as softmaxRow does
        weights.set(heap.subarray(outAt, outAt + k * n), r0 * n);
        if (stats) for (let r = 0; r < k; r++) {
          if (rowMax) rowMax[r0 + r] = heap[biasAt + 2 * r];
          if (rowSum) rowSum[r0 + r] = heap[biasAt + 2 * r + 1];
        }
      }
    },
  };
  let kvTaken = false;
  kernels.kvStore = (floats) => {
    if (kvTaken || floats > regions[4]) return undefined;
    kvTaken = true;
    let released = false;
    return { data: heap.subarray(kvAt, kvAt + floats), release: () => { if (!released) { released = true; kvTaken = false; } } };
  };
  const attnAt = attnArgsAt + ATTN_ARGS_FLOATS, attnFloats = regions[6] - ATTN_ARGS_FLOATS;
  const args32 = new Int32Array(memory.buffer, attnArgsAt * 4, ATTN_ARGS_FLOATS);
  const args64 = new Float64Array(memory.buffer, attnArgsAt * 4, ATTN_ARGS_FLOATS / 2);
  /**
   * attendHeads over a whole input (more than a few queries; q already at inpAt, K and V at
   * kAt/vAt): every head in wasm (attendHeadAt: scores, softmax, weights · V into the concat),
   * the heads shared by the threads as matmul's items are, as many at a time as the attention
   * region holds; then each head's records are copied out. False when not even one head fits.
   */
  const headsByThreads = (a: HeadsAttentionArgs, kAt: number, vAt: number, ldk: number, ldv: number, maskAt: number): boolean => {
    const { out, Tq, Tk, NH, HD, heads, discard } = a;
    const QD = NH * HD, TT = Tq * Tk;
    const shared = heads.every((hd) => hd.mask === heads[0].mask);
    const slotFloats = pad4(3 * TT + 2 * Tq), concatFloats = pad4(Tq * QD);
    const batch = Math.min(NH, Math.floor((attnFloats - concatFloats) / slotFloats));
    if (batch < 1) return false;
    const slotsAt = attnAt + concatFloats;
    if (shared) heap.set(heads[0].mask.subarray(0, TT), maskAt);
    args32.set([4 * inpAt, 4 * kAt, 4 * vAt, QD, ldk, ldv, Tq, Tk, HD, NH / a.NKV, shared ? 4 * maskAt : 0, 4 * slotsAt, 4 * slotFloats, 4 * attnAt, QD, discard ? 0 : 1, 0]);
    args64[9] = a.scale;
    const ready = helpers.filter((h) => Atomics.load(h.control, 9) === 1);
    for (let first = 0; first < NH; first += batch) {
      const count = Math.min(batch, NH - first);
      args32[16] = first;
      if (!shared) for (let i = 0; i < count; i++) heap.set(heads[first + i].mask.subarray(0, TT), slotsAt + i * slotFloats + 2 * TT + 2 * Tq);
      if (ready.length === 0 || count < 2) for (let i = 0; i < count; i++) attendHeadAt(4 * attnArgsAt, i);
      else share(ready, [0, 4 * attnArgsAt, 0, 0, 0, 0, 0, 0, count, 3], (i) => attendHeadAt(4 * attnArgsAt, i));
      for (let i = 0; i < count; i++) {
        const hd = heads[first + i], slot = slotsAt + i * slotFloats;
        if (!discard) {
          hd.raw.set(heap.subarray(slot, slot + TT));
          hd.weights.set(heap.subarray(slot + TT, slot + 2 * TT));
        }
        for (let t = 0; t < Tq; t++) {
          if (hd.rowMax) hd.rowMax[t] = heap[slot + 2 * TT + 2 * t];
          if (hd.rowSum) hd.rowSum[t] = heap[slot + 2 * TT + 2 * t + 1];
        }
        if (hd.headOut) for (let t = 0; t < Tq; t++) fromHeap(hd.headOut, t * HD, attnAt + t * QD + (first + i) * HD, HD);
      }
    }
    out.set(heap.subarray(attnAt, attnAt + Tq * QD));
    return true;
  };
  /**
   * attendHeads: the q rows and the mask in the input scratch, the K and V rows in the weight
   * scratch (three copies a layer, instead of three a head) unless they already are in this
   * memory (a KV cache from kvStore: read in place, at their stride), then per head: q·kᵀ over the
   * strided rows (matmulStrided, or matvecStrided for a decode step's few queries),
   * softmaxRows in place, and weightedRows (weights · V rows) over each query's keys up to
   * its last nonzero weight (a causal row skips the keys after it).
   * Out of scratch (long inputs): false, and attention.ts copies per head instead.
   */
  kernels.attendHeads = (a) => {
    const { out, q, k, v, Tq, Tk, NH, NKV, HD, scale, heads, discard } = a;
    const QD = NH * HD, KD = NKV * HD, group = NH / NKV;
    const maskAt = inpAt + pad4(Tq * QD), headAt = outAt + pad4(Tq * Tk);
    const inPlace = inMemory(k.data) && inMemory(v.data);
    if (HD % 4 !== 0 || pad4(Tq * QD) + Tq * Tk > scratch.inp || (!inPlace && 2 * Tk * KD > scratch.w) || pad4(Tq * Tk) + Tq * HD > scratch.out || 2 * Tq > scratch.bias) return false;
    copyRows(q, Tq, QD, inpAt);
    // K and V: float offsets into the heap and row strides
    let kAt = wAt, vAt = wAt + Tk * KD, ldk = KD, ldv = KD;
    if (inPlace) {
      kAt = k.data.byteOffset / 4 + k.offset; ldk = k.stride;
      vAt = v.data.byteOffset / 4 + v.offset; ldv = v.stride;
    } else {
      copyRows(k, Tk, KD, wAt);
      copyRows(v, Tk, KD, vAt);
    }
    if (Tq > MATVEC_MAX_ROWS && headsByThreads(a, kAt, vAt, ldk, ldv, maskAt)) return true;
    let maskIn: Float32Array | undefined;
    heads.forEach((hd, h) => {
      const g = Math.floor(h / group);
      if (hd.mask !== maskIn) { heap.set(hd.mask.subarray(0, Tq * Tk), maskAt); maskIn = hd.mask; }
      if (Tq <= MATVEC_MAX_ROWS) for (let t = 0; t < Tq; t++) matvecStrided(4 * (outAt + t * Tk), 4 * (inpAt + t * QD + h * HD), 4 * (kAt + g * HD), 0, 1, HD, Tk, Tk, ldk);
      else matmulStrided(4 * outAt, 4 * (inpAt + h * HD), 4 * (kAt + g * HD), 0, Tq, HD, Tk, Tk, QD, ldk);
      if (!discard) fromHeap(hd.raw, 0, outAt, Tq * Tk);
      const stats = hd.rowMax || hd.rowSum;
      softmaxWasm(4 * outAt, 4 * maskAt, stats ? 4 * biasAt : 0, Tq, Tk, scale);
      if (!discard) fromHeap(hd.weights, 0, outAt, Tq * Tk);
      for (let t = 0; t < Tq; t++) {
        if (hd.rowMax) hd.rowMax[t] = heap[biasAt + 2 * t];
        if (hd.rowSum) hd.rowSum[t] = heap[biasAt + 2 * t + 1];
        let n = Tk;
        while (n > 0 && heap[outAt + t * Tk + n - 1] === 0) n--;
        weightedRows(4 * (headAt + t * HD), 4 * (outAt + t * Tk), 4 * (vAt + g * HD), n, HD, ldv);
        fromHeap(out, t * QD + h * HD, headAt + t * HD, HD);
      }
      if (hd.headOut) fromHeap(hd.headOut, 0, headAt, Tq * HD);
    });
    return true;
  };
  const dispose = () => {
    for (const h of helpers) { Atomics.store(h.control, 0, -1); Atomics.notify(h.control, 0); void h.worker.terminate(); }
    helpers.length = 0;
  };
  const readyThreads = () => 1 + helpers.filter((h) => Atomics.load(h.control, 9) === 1).length;
  return { kernels, allocate, bytes: pages * PAGE, threads: 1 + helpers.length, readyThreads, dispose };
}
