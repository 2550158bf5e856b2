/**
 * The two WebAssembly builds of the matmul (strict SIMD: mul then add; relaxed SIMD: one
 * FMA, tools/build-wasm.mjs) against the TypeScript kernel, on the blocked product
 * (≥ 4 input rows) and on the matrix–vector path (1–3 rows, decode), on one thread and
 * with a helper; shapes cross every tail (odd columns, C not a multiple of 4, a last item
 * under 64 columns) and both sizes where the helper takes part (by multiply-adds, and by
 * weight bytes for the few-row products); then attendHeads, all heads of one attention
 * (strided q·kᵀ, softmax, weights · V rows) against its TypeScript forms: from the views and
 * by per-head copies, and a whole input's heads shared by two threads (attendHeadAt); and the
 * SiLU loop against x/(1+e^−x), and GELU / SiLU shared by two threads.
 */
import { strict as assert } from 'node:assert';
import { attendHeadsFromViews, multiHeadAttention, stepMask, type RowsView } from '../../../src/engine/model/attention';
import { silu, tsKernels, type HeadsAttentionArgs, type HeadsAttentionHead } from '../../../src/engine/model/kernels';
import { MATMUL_RELAXED_WASM_BASE64, MATMUL_WASM_BASE64 } from '../../../src/engine/model/matmulWasm.generated';
import { createWasmArena, wasmSupported, type SimdChoice } from '../../../src/engine/model/wasmKernels';

/** Seeded uniform floats in [−0.5, 0.5). */
function filled(n: number, seed: number): Float32Array {
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  return Float32Array.from({ length: n }, rand);
}

describe('matmul kernels: strict and relaxed SIMD, blocked and matrix–vector', () => {
  it('both builds run here (Node 20: relaxed SIMD after its V8 flag is set at run time)', () => {
    assert.ok(wasmSupported('strict'));
    assert.ok(wasmSupported('relaxed'));
    const arena = createWasmArena(4, { inp: 16, w: 16, out: 16, bias: 16 }, { threads: 0 })!;
    try {
      assert.equal(arena.kernels.name, 'wasm-relaxed-simd'); // 'auto' prefers the FMA build
    } finally {
      arena.dispose();
    }
  });

  it('TT_WASM_RELAXED=0 keeps the strict build (the fallback where relaxed SIMD is missing), ', () => {
    process.env.TT_WASM_RELAXED = '0';
    try {
      const arena = createWasmArena(4, { inp: 16, w: 16, out: 16, bias: 16 }, { threads: 0 })!;
      assert.equal(arena.kernels.name, 'wasm-simd');
      arena.dispose();
    } finally {
      delete process.env.TT_WASM_RELAXED;
    }
  });

  const shapes: [number, number, number, number][] = [
    [1, 4, 3, 0], [1, 6, 7, 0], [2, 96, 130, 0], [3, 64, 129, 0], [4, 5, 9, 0], [37, 64, 129, 0], // single thread, every tail
    [1, 768, 384, 1], [3, 770, 383, 1], // few rows, ≥ 1 MB of weights: split by weight bytes
    [130, 96, 200, 1], [128, 768, 384, 1], // split by multiply-adds
  ];
  for (const simd of ['strict', 'relaxed'] as SimdChoice[]) {
    for (const [T, C, OC, threads] of shapes) {
      it(`${simd}: ${T}×${C} · ${C}×${OC}${threads ? ', two threads' : ''} equals TypeScript within 1e-5 (weights copied in and in place)`, async () => {
        const arena = createWasmArena(OC * C + OC, { inp: 128 * 1024, w: 1024 * 1024, out: 128 * 1024, bias: 1024 }, { threads, simd })!;
        try {
          assert.equal(arena.kernels.name, simd === 'relaxed' ? 'wasm-relaxed-simd' : 'wasm-simd');
          for (let i = 0; i < 100 && arena.readyThreads() < 1 + threads; i++) await new Promise((r) => setTimeout(r, 20));
          assert.equal(arena.readyThreads(), 1 + threads);
          const inp = filled(T * C, T * 31 + C), w = filled(OC * C, OC), bias = filled(OC, 5);
          const expected = new Float32Array(T * OC);
          tsKernels.matmul(expected, inp, w, bias, T, C, OC);
          const inside = arena.allocate(OC * C);
          inside.set(w);
          for (const weights of [w, inside]) {
            for (const b of [bias, null]) {
              const got = new Float32Array(T * OC).fill(NaN);
              arena.kernels.matmul(got, inp, weights, b, T, C, OC);
              got.forEach((v, i) => {
                const want = expected[i] - (b ? 0 : bias[i % OC]);
                assert.ok(Math.abs(v - want) < 1e-5 * Math.max(1, Math.abs(want)), `[${Math.floor(i / OC)}, ${i % OC}] ${v} vs ${want}`);
              });
            }
          }
        } finally {
          arena.dispose();
        }
      });
    }
    it(`${simd}: a dot product checked by hand, 1·4 + 2·5 + 3·6 + 0.5 = 32.5, on both paths`, () => {
      const arena = createWasmArena(4, { inp: 64, w: 64, out: 64, bias: 16 }, { threads: 0, simd })!;
      try {
        const one = new Float32Array(1);
        arena.kernels.matmul(one, Float32Array.from([1, 2, 3]), Float32Array.from([4, 5, 6]), Float32Array.from([0.5]), 1, 3, 1);
        assert.equal(one[0], 32.5);
        const four = new Float32Array(4); // 4 input rows: the blocked kernel
        arena.kernels.matmul(four, Float32Array.from([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]), Float32Array.from([4, 5, 6]), Float32Array.from([0.5]), 4, 3, 1);
        assert.deepEqual([...four], [32.5, 32.5, 32.5, 32.5]);
      } finally {
        arena.dispose();
      }
    });
  }

  it('the relaxed build has an f32x4.relaxed_madd (0xfd 0x85 0x02) for each of the 43 accumulations, the strict build none', () => {
    const count = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      let n = 0;
      for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0xfd && bytes[i + 1] === 0x85 && bytes[i + 2] === 0x02) n++;
      return n;
    };
    assert.equal(count(MATMUL_RELAXED_WASM_BASE64), 43); // matmul's 8, panelRows' 9 and panelRows16's 8, matvecStrided's 8, $dot's 1, weightedRows' 9
    assert.equal(count(MATMUL_WASM_BASE64), 0);
  });
});

describe('attention heads in WebAssembly (decode steps and whole inputs) and SiLU', () => {
  /** A KV cache's rows: K and V [Tk, NKV·HD], q [Tq, NH·HD] inside a wider fused row (stride QKV); the causal mask of the last Tq positions. */
  function decodeCase(Tq: number, Tk: number, NH: number, NKV: number, HD: number, seed: number) {
    const QD = NH * HD, KD = NKV * HD, QKV = QD + 2 * KD;
    const qkv = filled(Tq * QKV, seed);
    const q: RowsView = { data: qkv, offset: 0, stride: QKV };
    const k: RowsView = { data: filled(Tk * KD, seed + 1).map((x) => 3 * x), offset: 0, stride: KD };
    const v: RowsView = { data: filled(Tk * KD, seed + 2), offset: 0, stride: KD };
    return { q, k, v, QD, mask: stepMask(Tq, Tk - Tq, true) };
  }
  const heads = (NH: number, Tq: number, Tk: number, HD: number, masks: Float32Array[]): HeadsAttentionHead[] => Array.from({ length: NH }, (_, h) => ({
    raw: new Float32Array(Tq * Tk), weights: new Float32Array(Tq * Tk), rowMax: new Float32Array(Tq), rowSum: new Float32Array(Tq), headOut: new Float32Array(Tq * HD), mask: masks[h % masks.length],
  }));
  const close = (got: Float32Array, want: Float32Array, tol: number, what: string) =>
    got.forEach((x, i) => assert.ok(Math.abs(x - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what} [${i}] ${x} vs ${want[i]}`));

  for (const simd of ['strict', 'relaxed'] as SimdChoice[]) {
    for (const [Tq, Tk, NH, NKV, HD] of [[1, 1, 2, 2, 4], [1, 37, 12, 12, 64], [2, 130, 9, 3, 64], [1, 200, 4, 1, 36], [7, 7, 4, 2, 20], [40, 40, 3, 3, 64]] as const) {
      it(`${simd}: ${Tq} ${Tq > 1 ? 'queries' : 'query'} over ${Tk} cached keys, ${NH} heads / ${NKV} KV heads of ${HD}: equals the TypeScript form within 1e-5`, () => {
        const arena = createWasmArena(2 * Tk * NKV * HD + 8, { inp: 64 * 1024, w: 2 * Tk * NKV * HD, out: 64 * 1024, bias: 1024 }, { threads: 0, simd })!;
        try {
          const { q, k, v, QD, mask } = decodeCase(Tq, Tk, NH, NKV, HD, Tk + NH);
          const bias = mask.map((m, i) => (m === 0 ? (i % 5) - 2 : m)); // a finite per-head bias (T5-like) on one head in two
          const args = (hs: HeadsAttentionHead[], out: Float32Array): HeadsAttentionArgs => ({ out, q, k, v, Tq, Tk, NH, NKV, HD, scale: 1 / Math.sqrt(HD), heads: hs });
          const want = heads(NH, Tq, Tk, HD, [mask, bias]), got = heads(NH, Tq, Tk, HD, [mask, bias]);
          const wantOut = new Float32Array(Tq * QD), gotOut = new Float32Array(Tq * QD);
          attendHeadsFromViews(args(want, wantOut));
          assert.equal(arena.kernels.attendHeads!(args(got, gotOut)), true);
          close(gotOut, wantOut, 1e-5, 'out');
          got.forEach((g, h) => {
            close(g.raw, want[h].raw, 1e-5, `raw ${h}`);
            close(g.weights, want[h].weights, 1e-5, `weights ${h}`);
            close(g.rowSum!, want[h].rowSum!, 1e-5, `sum ${h}`);
            close(g.headOut!, want[h].headOut!, 1e-5, `head out ${h}`);
          });
          // K and V already in the kernel's memory (a KV cache from kvStore): read in place, the same numbers
          const inMemory = (view: RowsView): RowsView => { const data = arena.allocate(view.data.length); data.set(view.data); return { ...view, data }; };
          const placed = heads(NH, Tq, Tk, HD, [mask, bias]), placedOut = new Float32Array(Tq * QD);
          assert.equal(arena.kernels.attendHeads!({ ...args(placed, placedOut), k: inMemory(k), v: inMemory(v) }), true);
          close(placedOut, wantOut, 1e-5, 'out (K, V in place)');
          placed.forEach((g, h) => close(g.weights, want[h].weights, 1e-5, `weights ${h} (K, V in place)`));
          // a scratch too small for the K and V rows: the kernel declines, the caller computes
          const tiny = createWasmArena(4, { inp: 64, w: 8, out: 64, bias: 16 }, { threads: 0, simd })!;
          assert.equal(tiny.kernels.attendHeads!(args(heads(NH, Tq, Tk, HD, [mask]), new Float32Array(Tq * QD))), Tk * NKV * HD * 2 <= 8);
          tiny.dispose();
        } finally {
          arena.dispose();
        }
      });
    }
  }

  it('every attention path agrees within 1e-5: TypeScript by copies (5 queries), from the views (2), and WebAssembly with matmulStrided (5) and matvecStrided (2); GQA, records at level all', () => {
    const [Tk, NH, NKV, HD] = [50, 6, 2, 16];
    const { q, k, v, QD, mask } = decodeCase(2, Tk, NH, NKV, HD, 3);
    // three more queries after the two decode ones, each seeing every key
    const q5: RowsView = { data: Float32Array.from([...q.data, ...filled(3 * q.stride, 9)]), offset: 0, stride: q.stride };
    const mask5 = new Float32Array(5 * Tk);
    mask5.set(mask);
    const arena = createWasmArena(4, { inp: 64 * 1024, w: 64 * 1024, out: 64 * 1024, bias: 1024 }, { threads: 0 })!;
    try {
      const run = (kernels: typeof tsKernels, Tq: number) => {
        const out = new Float32Array(Tq * QD);
        const recs = multiHeadAttention({ out, q: Tq === 5 ? q5 : q, k, v, Tq, Tk, NH, NKV, HD, mask: Tq === 5 ? mask5 : mask, scale: 0.25, level: 'all', kernels });
        return { out, recs, Tq };
      };
      const ref = run(tsKernels, 5);
      for (const got of [run(tsKernels, 2), run(arena.kernels, 2), run(arena.kernels, 5)]) {
        const { Tq } = got;
        close(got.out, ref.out.subarray(0, Tq * QD), 1e-5, `out (${Tq} queries)`);
        got.recs.forEach((r, h) => {
          const want = ref.recs[h];
          close(r.weights!, want.weights!.subarray(0, Tq * Tk), 1e-5, `weights ${h}`);
          close(r.raw!, want.raw!.subarray(0, Tq * Tk), 1e-5, `raw ${h}`);
          close(r.out!, want.out!.subarray(0, Tq * HD), 1e-5, `head out ${h}`);
          close(r.rowMax!, want.rowMax!.subarray(0, Tq), 1e-5, `row max ${h}`);
          close(r.rowSum!, want.rowSum!.subarray(0, Tq), 1e-5, `row sum ${h}`);
          r.weights!.forEach((w, i) => { if (mask5[i] === -Infinity) assert.equal(w, 0); });
        });
      }
    } finally {
      arena.dispose();
    }
  });

  for (const simd of ['strict', 'relaxed'] as SimdChoice[]) {
    it(`${simd}: a whole input's heads shared by two threads (attendHeadAt), all at once and a few heads at a time, equal the TypeScript by-copies path within 1e-5; GQA, one mask and a mask per head`, async () => {
      const [T, NH, NKV, HD] = [37, 12, 4, 32];
      const QKV = (NH + 2 * NKV) * HD;
      const qkv = filled(T * QKV, 11);
      const views = { q: { data: qkv, offset: 0, stride: QKV }, k: { data: qkv, offset: NH * HD, stride: QKV }, v: { data: qkv, offset: (NH + NKV) * HD, stride: QKV } };
      const causal = stepMask(T, 0, true);
      const biased = causal.map((m, i) => (m === 0 ? (i % 7) - 3 : m));
      const run = (kernels: typeof tsKernels, headMasks?: Float32Array[]) => {
        const out = new Float32Array(T * NH * HD);
        const recs = multiHeadAttention({ out, ...views, Tq: T, Tk: T, NH, NKV, HD, mask: causal, headMasks, scale: 1 / Math.sqrt(HD), level: 'all', kernels });
        return { out, recs };
      };
      // attn: room for every head, and for 5 heads (three rounds)
      for (const attn of [1 << 16, T * NH * HD + 5 * (3 * T * T + 2 * T) + 64]) {
        const arena = createWasmArena(4, { inp: 64 * 1024, w: 64 * 1024, out: 64 * 1024, bias: 1024, attn }, { threads: 1, simd })!;
        try {
          for (let i = 0; i < 100 && arena.readyThreads() < 2; i++) await new Promise((r) => setTimeout(r, 20));
          assert.equal(arena.readyThreads(), 2);
          for (const headMasks of [undefined, Array.from({ length: NH }, (_, h) => (h % 3 ? causal : biased))]) {
            const want = run(tsKernels, headMasks), got = run(arena.kernels, headMasks);
            close(got.out, want.out, 1e-5, 'out');
            got.recs.forEach((r, h) => {
              close(r.raw!, want.recs[h].raw!, 1e-5, `raw ${h}`);
              close(r.weights!, want.recs[h].weights!, 1e-5, `weights ${h}`);
              close(r.rowMax!, want.recs[h].rowMax!, 1e-5, `row max ${h}`);
              close(r.rowSum!, want.recs[h].rowSum!, 1e-5, `row sum ${h}`);
              close(r.out!, want.recs[h].out!, 1e-5, `head out ${h}`);
              r.weights!.forEach((w, i) => { if ((headMasks?.[h] ?? causal)[i] === -Infinity) assert.equal(w, 0); });
            });
          }
        } finally {
          arena.dispose();
        }
      }
    });
  }

  it('GELU and SiLU over 100,003 floats shared by two threads: the same floats as on one thread, and within 1e-6 of the formulas, on both builds', async () => {
    const N = 100_003;
    const inp = Float32Array.from({ length: N }, (_, i) => -12 + (24 * i) / (N - 1));
    for (const simd of ['strict', 'relaxed'] as SimdChoice[]) {
      const one = createWasmArena(4, { inp: 16, w: 16, out: 1 << 17, bias: 16 }, { threads: 0, simd })!;
      const two = createWasmArena(4, { inp: 16, w: 16, out: 1 << 17, bias: 16 }, { threads: 1, simd })!;
      try {
        for (let i = 0; i < 100 && two.readyThreads() < 2; i++) await new Promise((r) => setTimeout(r, 20));
        assert.equal(two.readyThreads(), 2);
        const formulas = {
          geluTanh: (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
          silu: (x: number) => x / (1 + Math.exp(-x)),
        };
        for (const [name, f] of Object.entries(formulas) as [keyof typeof formulas, (x: number) => number][]) {
          const a = new Float32Array(N), b = new Float32Array(N);
          one.kernels[name]!(a, inp, N);
          two.kernels[name]!(b, inp, N);
          assert.deepEqual(b, a, `${name}: two threads = one`);
          inp.forEach((x, i) => assert.ok(Math.abs(b[i] - f(x)) <= 1e-6 * Math.max(1, Math.abs(f(x))), `${name}(${x}) = ${b[i]}, want ${f(x)}`));
        }
      } finally {
        one.dispose();
        two.dispose();
      }
    }
  });

  it('WebAssembly SiLU equals x / (1 + e^(−x)) within 1e-6, across chunks and a 3-float tail, on both builds', () => {
    for (const simd of ['strict', 'relaxed'] as SimdChoice[]) {
      const arena = createWasmArena(4, { inp: 16, w: 16, out: 1000, bias: 16 }, { threads: 0, simd })!;
      try {
        const N = 2503;
        const inp = Float32Array.from({ length: N }, (_, i) => -30 + (60 * i) / (N - 1));
        inp.set([0, -0, 1e4, -1e4, 88, -88, 3e38, -3e38], 1200);
        const got = new Float32Array(N), ts = new Float32Array(N);
        arena.kernels.silu!(got, inp, N);
        silu(ts, inp, N);
        inp.forEach((x, i) => {
          const want = x / (1 + Math.exp(-x));
          assert.ok(Math.abs(got[i] - want) <= 1e-6 * Math.max(1, Math.abs(want)), `silu(${x}) = ${got[i]}, want ${want}`);
          assert.ok(Math.abs(ts[i] - want) <= 1e-6 * Math.max(1, Math.abs(want)));
        });
      } finally {
        arena.dispose();
      }
    }
  });
});
