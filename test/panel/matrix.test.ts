/**
 * The inspector's arithmetic (webview/views/attention/matrix.ts) on hand-checked cases and
 * against the textbook: sinusoidal table values, masked softmax, head aggregation, CSV.
 */
import { strict as assert } from 'node:assert';
import { aggregateHeads, csvCell, maskedSoftmax, maskMatrix, matrixCsv, sinusoidalTable, spanSum } from '../../webview/views/attention/matrix';

describe('inspector arithmetic', () => {
  it('sinusoidal table: PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(…)', () => {
    const d = 8, pe = sinusoidalTable(50, d);
    assert.equal(pe[0], 0); assert.equal(pe[1], 1);
    assert.ok(Math.abs(pe[1 * d + 0] - Math.sin(1)) < 1e-7);
    assert.ok(Math.abs(pe[10 * d + 2] - Math.sin(10 / 10000 ** (2 / 8))) < 1e-6);
    assert.ok(Math.abs(pe[10 * d + 3] - Math.cos(10 / 10000 ** (2 / 8))) < 1e-6);
    assert.ok(Math.abs(pe[49 * d + 7] - Math.cos(49 / 10000 ** (6 / 8))) < 1e-6);
  });

  it('masks: causal upper triangle −∞; padding hides the last keys; cross and bidirectional hide nothing', () => {
    const c = maskMatrix('causal', 3, true);
    assert.deepEqual(Array.from(c), [0, -Infinity, -Infinity, 0, 0, -Infinity, 0, 0, 0]);
    const p = maskMatrix('padding', 4, false, 1);
    assert.deepEqual(Array.from(p.subarray(0, 4)), [0, 0, 0, -Infinity]);
    assert.ok(Array.from(maskMatrix('cross', 4, true)).every((v) => v === 0));
    assert.ok(Array.from(maskMatrix('bidirectional', 4, true)).every((v) => v === 0));
  });

  it('masked softmax: rows sum to 1, masked cells are exactly 0, large scores do not overflow', () => {
    const scores = Float32Array.from([1000, 1001, 5, 0, 0, 0, 2, 1, 0]);
    const w = maskedSoftmax(scores, maskMatrix('causal', 3, true), 3);
    assert.deepEqual(Array.from(w.subarray(0, 3)), [1, 0, 0]);
    assert.ok(Math.abs(w[3] - 0.5) < 1e-7 && w[5] === 0);
    const e = [Math.exp(2), Math.exp(1), 1], s = e[0] + e[1] + e[2];
    e.forEach((v, k) => assert.ok(Math.abs(w[6 + k] - v / s) < 1e-7));
    const all = maskedSoftmax(Float32Array.from([1, 2]), Float32Array.from([-Infinity, -Infinity]), 1);
    assert.ok(!Number.isNaN(all[0]));
  });

  it('aggregate (mean, max) and span sums', () => {
    const layer = Float32Array.from([1, 0, 0, 1, /* head 1 */ 0.5, 0.5, 0, 1]);
    assert.deepEqual(Array.from(aggregateHeads(layer, 2, [0, 1], 'mean')), [0.75, 0.25, 0, 1]);
    assert.deepEqual(Array.from(aggregateHeads(layer, 2, [0, 1], 'max')), [1, 0.5, 0, 1]);
    assert.deepEqual(Array.from(spanSum(Float32Array.from([1, 0, 0.5, 0.5]), 2, 1, 0)), [1.5, 0.5]);
  });

  it('CSV quotes, escapes and defuses formulas', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    const csv = matrixCsv(Float32Array.from([0.25, 0.75, 1, 0]), ['Ġa', ',']).trim().split('\n');
    assert.deepEqual(csv, ['query \\ key,0:Ġa,"1:,"', '0:Ġa,0.25,0.75', '"1:,",1,0']);
  });
});
