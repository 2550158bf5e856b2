/**
 * The mask contract of softmaxRows on both kernels (attention.ts's TypeScript one and the
 * WebAssembly SIMD one in wasmKernels.ts): the mask is *added* to the scaled scores, so a
 * finite bias (ALiBi, T5's relative bias, Hugging Face's finfo.min padding) shifts the
 * weights, and −∞ gives exactly 0. References are softmax written out as e^x / Σ e^x in
 * float64 (no max subtracted), and the worked example of issue 20: raw [1, 2, 3, 4], scale 1,
 * bias [0, 0, 0, 2] → softmax([1, 2, 3, 6]) = 0.006 0.017 0.046 0.930, where ignoring the
 * bias gives softmax([1, 2, 3, 4]) = 0.032 0.087 0.237 0.644.
 */
import { strict as assert } from 'node:assert';
import { softmaxRows } from '../../../src/engine/model/attention';
import { createWasmArena, type WasmArena } from '../../../src/engine/model/wasmKernels';

type SoftmaxRows = (weights: Float32Array, raw: Float32Array, mask: Float32Array, scale: number, rows: number, n: number, rowMax?: Float32Array, rowSum?: Float32Array) => void;

/** softmax(raw · scale + mask) of one row, straight from the formula in float64. */
function referenceSoftmax(raw: number[], mask: number[], scale: number): number[] {
  const x = raw.map((r, i) => r * scale + mask[i]);
  const e = x.map(Math.exp);
  const sum = e.reduce((a, b) => a + b, 0);
  return sum === 0 ? e.map(() => 0) : e.map((v) => v / sum);
}

interface Run { weights: number[][]; max: number[]; sum: number[] }

function run(kernel: SoftmaxRows, raw: number[][], mask: number[][], scale: number): Run {
  const rows = raw.length, n = raw[0].length;
  const weights = new Float32Array(rows * n).fill(7), max = new Float32Array(rows).fill(7), sum = new Float32Array(rows).fill(7);
  kernel(weights, Float32Array.from(raw.flat()), Float32Array.from(mask.flat()), scale, rows, n, max, sum);
  return { weights: raw.map((_, r) => [...weights.subarray(r * n, r * n + n)]), max: [...max], sum: [...sum] };
}

const F32_MIN = -3.4028234663852886e38; // Hugging Face's torch.finfo(float32).min padding bias
const NINF = -Infinity;

// n = 4: one SIMD block in the WebAssembly kernel
const RAW4 = [[1, 2, 3, 4], [0, 0, 0, 0], [1, 2, 3, 4], [2, 2, 2, 2], [5, 1, 3, 2]];
const MASK4 = [[0, 0, 0, 2], [0, 0, 0, 2], [NINF, 1.5, 0, NINF], [-3, 0, 0.5, F32_MIN], [NINF, NINF, NINF, NINF]];
// n = 7: a block and a 3-float tail, random scores and biases
let seed = 20;
const rand = (lo: number, hi: number) => lo + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * (hi - lo);
const RAW7 = Array.from({ length: 6 }, () => Array.from({ length: 7 }, () => rand(-6, 6)));
const MASK7 = RAW7.map((row, r) => row.map((_, k) => (k === r ? NINF : rand(-4, 4))));

const arena: WasmArena = createWasmArena(4, { inp: 64, w: 16, out: 64, bias: 64 }, { threads: 0 })!;
after(() => arena.dispose());
const KERNELS: [string, SoftmaxRows][] = [
  ['TypeScript', softmaxRows],
  ['WebAssembly', (...args) => arena.kernels.softmaxRows!(...args)],
];

for (const [name, kernel] of KERNELS) {
  describe(`softmaxRows adds the mask (${name} kernel)`, () => {
    it("issue 20's worked example: raw [1,2,3,4] + bias [0,0,0,2] → 0.006 0.017 0.046 0.930", () => {
      const { weights } = run(kernel, [RAW4[0]], [MASK4[0]], 1);
      assert.deepEqual(weights[0].map((w) => w.toFixed(3)), ['0.006', '0.017', '0.046', '0.930']);
      assert.notDeepEqual(weights[0].map((w) => w.toFixed(3)), ['0.032', '0.087', '0.237', '0.644']);
    });

    it('finite biases, −∞ and finfo.min match e^x / Σ e^x within 1e-6; −∞ gives exactly 0; a row masked everywhere gives zeros', () => {
      for (const [raw, mask, scale] of [[RAW4, MASK4, 1], [RAW4, MASK4, 0.5], [RAW7, MASK7, 0.37]] as const) {
        const got = run(kernel, raw.map((r) => [...r]), mask.map((m) => [...m]), scale);
        got.weights.forEach((row, r) => {
          const want = referenceSoftmax(raw[r], mask[r], scale);
          row.forEach((w, k) => {
            assert.ok(Math.abs(w - want[k]) <= 1e-6, `scale ${scale} row ${r} [${k}]: ${w} vs ${want[k]}`);
            if (mask[r][k] === NINF) assert.equal(w, 0, `row ${r} [${k}] masked −∞ is exactly 0`);
          });
        });
      }
      const allMasked = run(kernel, [RAW4[4]], [MASK4[4]], 1);
      assert.deepEqual(allMasked.weights[0], [0, 0, 0, 0]);
      assert.equal(allMasked.max[0], -Infinity);
      assert.equal(allMasked.sum[0], 0);
    });

    it('the row max and sum include the bias', () => {
      const { max, sum } = run(kernel, RAW4, MASK4, 1);
      // row 0: scores 1 2 3 (4+2) → max 6, Σ e^(m−6) = e^−5 + e^−4 + e^−3 + 1
      assert.equal(max[0], 6);
      assert.ok(Math.abs(sum[0] - (Math.exp(-5) + Math.exp(-4) + Math.exp(-3) + 1)) <= 1e-6);
      // row 1: zeros + bias → max 2, Σ = 3e^−2 + 1
      assert.equal(max[1], 2);
      assert.ok(Math.abs(sum[1] - (3 * Math.exp(-2) + 1)) <= 1e-6);
      // row 2: [−∞, 2+1.5, 3, −∞] → max 3.5, Σ = 1 + e^−0.5
      assert.equal(max[2], 3.5);
      assert.ok(Math.abs(sum[2] - (1 + Math.exp(-0.5))) <= 1e-6);
      // row 3: [2−3, 2, 2.5, finfo.min] → max 2.5, the finfo.min key adds e^(−3.4e38) = 0
      assert.equal(max[3], 2.5);
      assert.ok(Math.abs(sum[3] - (Math.exp(-3.5) + Math.exp(-0.5) + 1)) <= 1e-6);
    });
  });
}

describe('softmaxRows with a bias: the two kernels agree', () => {
  it('weights within 1e-6, the same row max, sums within 1e-6 relative (n = 4 and n = 7)', () => {
    for (const [raw, mask, scale] of [[RAW4, MASK4, 1], [RAW7, MASK7, 0.37]] as const) {
      const [ts, wasm] = KERNELS.map(([, k]) => run(k, raw.map((r) => [...r]), mask.map((m) => [...m]), scale));
      ts.weights.forEach((row, r) => row.forEach((w, k) => assert.ok(Math.abs(w - wasm.weights[r][k]) <= 1e-6, `row ${r} [${k}]: ${w} vs ${wasm.weights[r][k]}`)));
      assert.deepEqual(wasm.max, ts.max);
      ts.sum.forEach((s, r) => assert.ok(Math.abs(s - wasm.sum[r]) <= 1e-6 * Math.max(1, s), `sum ${r}: ${s} vs ${wasm.sum[r]}`));
    }
  });
});
