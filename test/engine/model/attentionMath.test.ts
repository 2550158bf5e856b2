/**
 * Attention arithmetic on hand-checkable numbers (the textbook case), the masks,
 * softmax stability, and the two matmul kernels against each other.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { buildMask, multiHeadAttention, softmaxRow } from '../../../src/engine/model/attention';
import { erf, topK, tsKernels } from '../../../src/engine/model/kernels';
import { createWasmArena, wasmSupported } from '../../../src/engine/model/wasmKernels';

/** qkv [T, 3C] from separate Q, K, V [T, C] rows. */
function qkvOf(q: number[][], k: number[][], v: number[][]): Float32Array {
  return Float32Array.from(q.flatMap((row, t) => [...row, ...k[t], ...v[t]]));
}

describe('attention arithmetic', () => {
  it('textbook case: Q=[[1,2],[1,2]], K=[[5,6],[5,6]], V=[[9,10],[11,12]], d_k=2 → weights 0.5, output [[10,11],[10,11]]', () => {
    const out = new Float32Array(4);
    const [head] = multiHeadAttention({
      out, qkv: qkvOf([[1, 2], [1, 2]], [[5, 6], [5, 6]], [[9, 10], [11, 12]]), mask: buildMask(2, false),
      T: 2, C: 2, NH: 1, scale: 1 / Math.sqrt(2), level: 'all', kernels: tsKernels,
    });
    assert.deepEqual([...head.raw!], [17, 17, 17, 17]); // q·k = 1·5 + 2·6
    head.scaled!.forEach((s) => assert.ok(Math.abs(s - 17 / Math.sqrt(2)) < 1e-5));
    assert.deepEqual([...head.weights!], [0.5, 0.5, 0.5, 0.5]);
    assert.deepEqual([...out], [10, 11, 10, 11]);
    assert.deepEqual([...head.rowSum!], [2, 2]); // e⁰ + e⁰ after the max is subtracted
  });

  it('causal mask: −∞ above the diagonal before softmax, exact zeros after', () => {
    const T = 5;
    const mask = buildMask(T, true);
    const qkv = Float32Array.from({ length: T * 6 }, (_, i) => Math.sin(i * 1.7) * 3);
    const [head] = multiHeadAttention({ out: new Float32Array(T * 2), qkv, mask, T, C: 2, NH: 1, scale: 1, level: 'all', kernels: tsKernels });
    for (let t = 0; t < T; t++) {
      let sum = 0;
      for (let s = 0; s < T; s++) {
        const w = head.weights![t * T + s];
        if (s > t) {
          assert.equal(mask[t * T + s], -Infinity);
          assert.equal(head.masked![t * T + s], -Infinity);
          assert.equal(w, 0);
          assert.ok(Number.isFinite(head.raw![t * T + s]), 'the hidden score is still computed for the trace');
        } else assert.ok(w > 0);
        sum += w;
      }
      assert.ok(Math.abs(sum - 1) < 1e-6);
      const row = head.shifted!.subarray(t * T, t * T + T);
      assert.equal(Math.max(...row), 0, 'the row max is subtracted');
      row.forEach((v, s) => assert.equal(v, Math.fround(head.masked![t * T + s] - head.rowMax![t])));
    }
  });

  it('padding mask: padded keys −∞ for every query; combined with causal', () => {
    const m = buildMask(3, true, [1, 1, 0]);
    assert.deepEqual([...m], [0, -Infinity, -Infinity, 0, 0, -Infinity, 0, 0, -Infinity]);
    assert.deepEqual([...buildMask(2, false, [1, 0])], [0, -Infinity, 0, -Infinity]);
  });

  it('softmax with scores of 1e4 stays finite and exact (max subtraction)', () => {
    // raw scores 2e4, 2e4 − 2, 2e4, 7 at scale ½; the last key masked
    const raw = Float32Array.from([2e4, 2e4 - 2, 2e4, 7]), mask = Float32Array.from([0, 0, 0, -Infinity]);
    const weights = Float32Array.from([9, 9, 9, 9]);
    const { max, sum } = softmaxRow(raw, mask, 0.5, weights, 0, 4);
    assert.equal(max, 1e4);
    const e1 = Math.exp(-1);
    assert.ok(Math.abs(sum - (2 + e1)) < 1e-12);
    [1 / (2 + e1), e1 / (2 + e1), 1 / (2 + e1), 0].forEach((v, i) => assert.ok(Math.abs(weights[i] - v) < 1e-7));
    assert.ok(Number.isNaN(Math.exp(1e4) / Math.exp(1e4)), 'without the max subtraction it would be ∞/∞');
  });

  it('a row with every key masked gets zero weights, not NaN', () => {
    const w = Float32Array.from([5, 5]);
    softmaxRow(Float32Array.from([1, 2]), Float32Array.from([-Infinity, -Infinity]), 1, w, 0, 2);
    assert.deepEqual([...w], [0, 0]);
  });

  it('erf matches reference values (Abramowitz & Stegun table 7.1) to 1e-12', () => {
    const table: [number, number][] = [[0, 0], [0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
      [2, 0.9953222650189527], [2.5, 0.9995930479825550], [3, 0.9999779095030014], [-1.5, -0.9661051464753108], [4, 0.9999999845827421]];
    for (const [x, v] of table) assert.ok(Math.abs(erf(x) - v) < 1e-12, `erf(${x}) = ${erf(x)}`);
  });

  it('topK: largest first, ties to the lower index', () => {
    assert.deepEqual(topK(Float32Array.from([1, 5, 3, 5, 2, 9]), 3), [5, 1, 3]);
    assert.deepEqual(topK(Float32Array.from([1, 2]), 5), [1, 0]);
  });
});

describe('matmul kernels', () => {
  it('WebAssembly SIMD is available in this Node', () => assert.ok(wasmSupported()));

  for (const [T, C, OC, threads] of [[1, 4, 3, 0], [5, 6, 7, 0], [37, 64, 129, 0], [130, 96, 200, 1], [128, 768, 384, 1]] as const) {
    it(`WebAssembly and TypeScript agree within 1e-5: ${T}×${C} · ${C}×${OC}${threads ? ', two threads' : ''}`, async () => {
      const arena = createWasmArena(OC * C + OC, { inp: 128 * 1024, w: 1024 * 64, out: 128 * 1024, bias: 1024 }, { threads })!;
      try {
        for (let i = 0; i < 100 && arena.readyThreads() < 1 + threads; i++) await new Promise((r) => setTimeout(r, 20));
        assert.equal(arena.readyThreads(), 1 + threads);
        let seed = T * 31 + C;
        const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
        const inp = Float32Array.from({ length: T * C }, rand);
        const w = Float32Array.from({ length: OC * C }, rand);
        const bias = Float32Array.from({ length: OC }, rand);
        const expected = new Float32Array(T * OC);
        tsKernels.matmul(expected, inp, w, bias, T, C, OC);
        // weights outside the wasm memory (copied) and inside it (direct)
        const inside = arena.allocate(OC * C); inside.set(w);
        for (const weights of [w, inside]) {
          const got = new Float32Array(T * OC);
          arena.kernels.matmul(got, inp, weights, bias, T, C, OC);
          got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5 * Math.max(1, Math.abs(expected[i])), `[${i}] ${v} vs ${expected[i]}`));
        }
        // a dot product checked by hand
        const one = new Float32Array(1);
        arena.kernels.matmul(one, Float32Array.from([1, 2, 3]), Float32Array.from([4, 5, 6]), Float32Array.from([0.5]), 1, 3, 1);
        assert.equal(one[0], 32.5);
      } finally {
        arena.dispose();
      }
    });
  }

  it('WebAssembly gelu_new equals 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) within 1e-6, across chunks and a 3-float tail', () => {
    const arena = createWasmArena(4, { inp: 16, w: 16, out: 1000, bias: 16 }, { threads: 0 })!;
    try {
      const N = 2503; // three 1,000-float chunks of scratch, the last one partial, then 3 floats in TypeScript
      const inp = Float32Array.from({ length: N }, (_, i) => -30 + (60 * i) / (N - 1));
      inp.set([0, -0, 1e4, -1e4, 88, -88, 3e38, -3e38], 1200);
      const got = new Float32Array(N);
      arena.kernels.geluTanh!(got, inp, N);
      inp.forEach((x, i) => {
        const ref = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
        const want = Number.isFinite(ref) ? ref : x > 0 ? x : 0; // tanh(±∞) = ±1, where x³ overflows in float64 too
        assert.ok(Math.abs(got[i] - want) <= 1e-6 * Math.max(1, Math.abs(want)), `gelu(${x}) = ${got[i]}, want ${want}`);
      });
    } finally {
      arena.dispose();
    }
  });

  for (const n of [37, 256]) {
    it(`WebAssembly softmax rows equal softmaxRow within 1e-6 (n = ${n}; causal + padding mask, a row masked everywhere, chunks)`, () => {
      const arena = createWasmArena(4, { inp: 10 * n, w: 16, out: 10 * n, bias: 1024 }, { threads: 0 })!; // 10 rows a chunk
      try {
        const rows = 25;
        let seed = n;
        const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 40 - 20;
        const raw = Float32Array.from({ length: rows * n }, rand);
        const keep = Array.from({ length: n }, (_, k) => (k % 7 === 3 ? 0 : 1)); // padded keys
        const mask = new Float32Array(rows * n);
        for (let t = 0; t < rows; t++) for (let k = 0; k < n; k++) if (k > t + 5 || !keep[k] || t === 11) mask[t * n + k] = -Infinity;
        const want = new Float32Array(rows * n), wantMax = new Float32Array(rows), wantSum = new Float32Array(rows);
        for (let t = 0; t < rows; t++) ({ max: wantMax[t], sum: wantSum[t] } = softmaxRow(raw, mask, 0.37, want, t * n, n));
        const got = new Float32Array(rows * n).fill(7), gotMax = new Float32Array(rows), gotSum = new Float32Array(rows);
        arena.kernels.softmaxRows!(got, raw, mask, 0.37, rows, n, gotMax, gotSum);
        got.forEach((v, i) => {
          assert.ok(Math.abs(v - want[i]) <= 1e-6, `[${i}] ${v} vs ${want[i]}`);
          if (mask[i] === -Infinity) assert.equal(v, 0, `masked [${i}] is exactly 0`);
        });
        assert.deepEqual([...gotMax], [...wantMax]);
        gotSum.forEach((v, t) => assert.ok(Math.abs(v - wantSum[t]) <= 1e-6 * wantSum[t], `sum ${t}: ${v} vs ${wantSum[t]}`));
        assert.equal(gotSum[11], 0);
        assert.equal(gotMax[11], -Infinity);
      } finally {
        arena.dispose();
      }
    });
  }

  it('matmulWasm.generated.ts is the compilation of matmul.wat', () => {
    const out = execFileSync(process.execPath, [resolve(__dirname, '../../../tools/build-wasm.mjs'), '--check'], { encoding: 'utf8' });
    assert.match(out, /up to date/);
  });
});
