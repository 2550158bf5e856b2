/**
 * The arithmetic behind the panel in a narrow column and on long inputs: the heatmap's
 * cell size always fits its box (fractions below one pixel a token), zoom steps back to
 * "fit", each row's max and entropy (hand-computed: −Σ w ln w / ln n), axis labels that
 * keep their distance, the focus window around the query, capped token text, and
 * durations that never read "0 ms".
 */
import { strict as assert } from 'node:assert';
import { capped, TOKEN_TEXT_MAX } from '../../webview/capped';
import { formatMs } from '../../webview/views/attention/duration';
import { focusWindow, rowStats, subMatrix, tickPositions } from '../../webview/views/attention/overviewMath';
import { cellSize, LABELLED_CELL, zoomStep, type InspectorState } from '../../webview/views/attention/state';

const fit: InspectorState = { layer: 0, heads: [0], aggregate: 'mean', query: 0, zoom: 0 };
const LABEL_MARGIN = 100; // heatmap.ts LABEL_SPACE (96) and the gap

describe('narrow column and long inputs', () => {
  it('the fitted heatmap is never wider than its box, labelled only when the labels fit too', () => {
    for (const width of [200, 296, 320, 360, 500, 1200]) {
      for (const T of [1, 5, 20, 23, 30, 64, 256, 1024, 4096]) {
        const cell = cellSize(fit, T, width);
        const drawn = T * cell + (cell >= LABELLED_CELL ? LABEL_MARGIN - 4 : 0);
        assert.ok(drawn <= width, `T ${T} in ${width} px: cell ${cell} draws ${drawn} px`);
        assert.ok(cell > 0 && cell <= 28, `T ${T} in ${width} px: cell ${cell}`);
      }
    }
    assert.equal(cellSize(fit, 20, 340), 12); // (340 − 100) / 20
    assert.equal(cellSize(fit, 30, 340), 8); // 8 would not leave room for labels: whole pixels, no labels
    assert.ok(Math.abs(cellSize(fit, 1024, 340) - 336 / 1024) < 1e-12);
    assert.equal(cellSize({ ...fit, zoom: 6 }, 1024, 340), 6);
  });

  it('zoom: + from a fraction goes to whole pixels; − back to (or below) the fit is "fit" again', () => {
    const f = 336 / 1024;
    assert.equal(zoomStep(fit, f, 1), 3); // as from one pixel a token
    assert.equal(zoomStep({ ...fit, zoom: 3 }, f, 1), 5);
    assert.equal(zoomStep({ ...fit, zoom: 5 }, f, -1), 3);
    assert.equal(zoomStep({ ...fit, zoom: 3 }, f, -1), 1);
    assert.equal(zoomStep({ ...fit, zoom: 1 }, f, -1), 0);
    assert.equal(zoomStep(fit, 12, -1), 0);
    assert.equal(zoomStep(fit, 12, 1), 14);
    assert.equal(zoomStep({ ...fit, zoom: 64 }, 12, 1), 64);
  });

  it('row statistics: max weight and entropy ÷ ln(keys the row may see)', () => {
    // causal, T = 4: row 0 sees 1 key, row 3 sees 4
    const m = new Float32Array([
      1, 0, 0, 0,
      0.5, 0.5, 0, 0,
      0.2, 0.3, 0.5, 0,
      0.5, 0.5, 0, 0,
    ]);
    const { max, entropy } = rowStats(m, 4, true);
    assert.deepEqual(Array.from(max), [1, 0.5, 0.5, 0.5]);
    assert.equal(entropy[0], 0); // one key: no spread to measure
    assert.ok(Math.abs(entropy[1] - 1) < 1e-6); // even over the two keys it sees
    const h2 = -(0.2 * Math.log(0.2) + 0.3 * Math.log(0.3) + 0.5 * Math.log(0.5)) / Math.log(3);
    assert.ok(Math.abs(entropy[2] - h2) < 1e-6, `${entropy[2]} vs ${h2}`);
    assert.ok(Math.abs(entropy[3] - 0.5) < 1e-6); // ln 2 / ln 4
    // bidirectional: every row sees all 4 keys
    const uniform = new Float32Array(16).fill(0.25);
    assert.ok(Array.from(rowStats(uniform, 4, false).entropy).every((h) => Math.abs(h - 1) < 1e-6));
    const oneHot = new Float32Array(16); for (let q = 0; q < 4; q++) oneHot[q * 4 + 3] = 1;
    assert.ok(Array.from(rowStats(oneHot, 4, false).entropy).every((h) => h === 0));
  });

  it('axis labels: a 1 / 2 / 5 × 10ⁿ step that leaves the gap between neighbours', () => {
    assert.deepEqual(tickPositions(1024, 320, 48), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(tickPositions(10, 500, 48), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const [T, width] of [[1024, 296], [4096, 500], [37, 300], [1, 300]]) {
      const ticks = tickPositions(T, width, 48);
      assert.ok(ticks.length >= 1 && ticks[0] === 0);
      for (let i = 1; i < ticks.length; i++) assert.ok((ticks[i] - ticks[i - 1]) * (width / T) >= 48, `T ${T}, ${width} px: ${ticks}`);
    }
  });

  it('focus window: the query in the middle, kept inside the input; its block is the matrix\'s', () => {
    assert.deepEqual(focusWindow(1024, 1023, 24), [1000, 1024]);
    assert.deepEqual(focusWindow(1024, 0, 24), [0, 24]);
    assert.deepEqual(focusWindow(1024, 500, 24), [488, 512]);
    assert.deepEqual(focusWindow(10, 5, 24), [0, 10]);
    const T = 5, m = Float32Array.from({ length: T * T }, (_, i) => i);
    assert.deepEqual(Array.from(subMatrix(m, T, 2, 2)), [12, 13, 17, 18]);
  });

  it('token text is capped with …, never splitting a surrogate pair', () => {
    assert.equal(capped('x'.repeat(10_000)), `${'x'.repeat(TOKEN_TEXT_MAX)}…`);
    assert.equal(capped('Ġquick'), 'Ġquick');
    assert.equal(capped('x'.repeat(TOKEN_TEXT_MAX)), 'x'.repeat(TOKEN_TEXT_MAX));
    const emoji = `${'a'.repeat(TOKEN_TEXT_MAX - 1)}😀tail`;
    assert.equal(capped(emoji), `${'a'.repeat(TOKEN_TEXT_MAX - 1)}…`);
  });

  it('durations keep their precision: tiny-gpt\'s sub-millisecond forward pass is not "0 ms"', () => {
    assert.equal(formatMs(0.4237), '0.42 ms');
    assert.equal(formatMs(3.456), '3.5 ms');
    assert.equal(formatMs(123.4), '123 ms');
    assert.equal(formatMs(0.004), '< 0.01 ms');
    assert.equal(formatMs(Number.NaN), '—');
  });
});
