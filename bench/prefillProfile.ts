/**
 * Where one prefill's time goes (`npx tsx bench/prefillProfile.ts [gpt2|smollm] [runs]`):
 * the bench's model folders (bench/checkpoints.ts), 128 tokens, record 'all' plus the LM head
 * on the last position, as bench/model.ts times it. Every Kernels call is wrapped with a
 * timer and grouped by kind and shape (the matmuls by T×C·OC, attention per layer, GELU/SiLU,
 * softmax), and the layer functions outside the kernels (norms, residual adds, RoPE,
 * embeddings, buffer allocation) are what is left of the forward's time. Prints ms per
 * prefill (median of the runs), share, and GFLOP/s of each product shape.
 */
import { logitsAt } from '../src/engine/model/heads';
import type { Kernels } from '../src/engine/model/kernels';
import { loadModel, runModel } from '../src/engine/model/loadModel';
import { gpt2SmallCheckpoint, smolLM2Checkpoint } from './checkpoints';
import { mulberry32 } from './corpus';

const T = 128;

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'gpt2';
  const runs = Number(process.argv[3] ?? 5);
  const dir = which === 'smollm' ? await smolLM2Checkpoint() : await gpt2SmallCheckpoint();
  const model = loadModel(dir);
  const rand = mulberry32(7);
  const ids = Array.from({ length: T }, () => Math.floor(rand() * model.config.vocabSize));
  const k = model.kernels as Kernels & Record<string, unknown>;
  const spent = new Map<string, { ms: number; flops: number; calls: number }>();
  const note = (key: string, ms: number, flops: number) => {
    const s = spent.get(key) ?? { ms: 0, flops: 0, calls: 0 };
    s.ms += ms; s.flops += flops; s.calls++;
    spent.set(key, s);
  };
  const wrap = <A extends unknown[], R>(name: keyof Kernels, key: (...a: A) => string, flops: (...a: A) => number) => {
    const f = k[name] as ((...a: A) => R) | undefined;
    if (!f) return;
    (k as Record<string, unknown>)[name] = (...a: A): R => {
      const t0 = performance.now();
      const r = f.apply(k, a);
      note(key(...a), performance.now() - t0, flops(...a));
      return r;
    };
  };
  const mm = k.matmul.bind(k);
  k.matmul = (out, inp, w, bias, t, c, oc) => {
    const t0 = performance.now();
    mm(out, inp, w, bias, t, c, oc);
    note(`matmul ${t}×${c}·${oc}`, performance.now() - t0, 2 * t * c * oc);
  };
  wrap('attendHeads', (a: { Tq: number; NH: number }) => `attendHeads (${a.NH} heads, scores+softmax+·V+copies out)`, (a: { Tq: number; Tk: number; NH: number; HD: number }) => 4 * a.Tq * a.Tk * a.NH * a.HD);
  wrap('geluTanh', () => 'gelu (wasm, with copies)', () => 0);
  wrap('silu', () => 'silu (wasm, with copies)', () => 0);
  wrap('softmaxRows', () => 'softmaxRows', () => 0);
  const prefill = () => { const r = runModel(model, { ids }, { record: 'all' }); return logitsAt(model.config, model.weights, r.hidden, T - 1, model.kernels); };
  prefill();
  const totals: number[] = [];
  const perRun: Map<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    spent.clear();
    const t0 = performance.now();
    prefill();
    totals.push(performance.now() - t0);
    perRun.push(new Map([...spent].map(([key, s]) => [key, s.ms])));
  }
  const order = totals.map((t, i) => [t, i]).sort((a, b) => a[0] - b[0]);
  const mid = order[Math.floor(runs / 2)][1];
  const total = totals[mid];
  console.log(`${which}: prefill + LM head ${total.toFixed(0)} ms (median of ${runs}; ${model.kernels.name}, ${model.threads} threads); min ${order[0][0].toFixed(0)} ms`);
  let inKernels = 0;
  const rows = [...spent].map(([key, s]) => ({ key, ms: perRun[mid].get(key) ?? 0, gf: s.flops ? (s.flops / (perRun[mid].get(key) ?? 1)) / 1e6 : 0, calls: s.calls }));
  rows.sort((a, b) => b.ms - a.ms);
  for (const r of rows) {
    inKernels += r.ms;
    console.log(`  ${r.key.padEnd(58)} ${r.ms.toFixed(1).padStart(7)} ms ${(100 * r.ms / total).toFixed(1).padStart(5)}%  ${String(r.calls).padStart(3)} calls${r.gf ? `  ${r.gf.toFixed(1)} GFLOP/s` : ''}`);
  }
  console.log(`  ${'outside the kernels (norms, adds, RoPE, embeddings, allocation)'.padEnd(58)} ${(total - inKernels).toFixed(1).padStart(7)} ms ${(100 * (total - inKernels) / total).toFixed(1).padStart(5)}%`);
  model.dispose();
}

void main();
