/**
 * The step trace's scale header and its √d_k / softmax-overflow numbers: the header names the
 * scale GPT-2's scale_attn_by_inverse_layer_idx really uses, the variance is the textbook one
 * (worked by hand), and float32 exp overflows above ≈ 88.72 (IEEE 754 single: ln(3.4028e38)).
 */
import { strict as assert } from 'node:assert';
import { float32Softmax, overflowDemo, scaleHeader, scoreVariance } from '../../webview/views/attention/scaleMath';

describe('step trace: scale and softmax numbers', () => {
  it('the scale header shows the scale the model uses', () => {
    assert.equal(scaleHeader({ scale: 1 / 8, headSize: 64, layer: 3 }), '× 1/√64');
    // scale_attn_by_inverse_layer_idx, layer 2: 1/(8·3); the old header said × 1/√64 or a bare number
    assert.equal(scaleHeader({ scale: 1 / 24, headSize: 64, layer: 2, scaleByInverseLayer: true }), '× 1/(√64 · 3)');
    assert.equal(scaleHeader({ scale: 1 / 8, headSize: 64, layer: 0, scaleByInverseLayer: true }), '× 1/√64');
    assert.equal(scaleHeader({ scale: 1, headSize: 64, layer: 0 }), '× 1'); // T5
    assert.equal(scaleHeader({ scale: 0.0625, headSize: 64, layer: 0 }), '× 0.0625'); // Gemma, query_pre_attn_scalar 256
  });

  it('the variance of q·k is taken over the visible keys, before and after scaling', () => {
    // raw 1, 3, (masked 100): mean 2, variance 1; × 0.5: variance 0.25
    const v = scoreVariance({ raw: [1, 3, 100], scaled: [0.5, 1.5, 50], mask: [0, 0, -Infinity] });
    assert.deepEqual(v, { keys: 2, raw: 1, scaled: 0.25 });
    assert.equal(scoreVariance({ raw: [1], scaled: [1], mask: [0] }), undefined);
  });

  it('float32 exp overflows without the max subtracted and not with it', () => {
    assert.equal(float32Softmax([88.7], false).overflowed, 0);
    assert.equal(float32Softmax([88.8], false).overflowed, 1);
    const d = overflowDemo([2, 1, -Infinity]);
    assert.deepEqual(d.scores, [200, 100, -Infinity]);
    assert.equal(d.naive.overflowed, 2);
    assert.ok(d.naive.nan, '∞/∞ is NaN');
    assert.equal(d.safe.overflowed, 0);
    assert.ok(!d.safe.nan);
    // e^0 / (e^0 + e^−100): the first weight is 1 in float32, the masked one exactly 0
    assert.deepEqual(d.safe.weights, [1, Math.fround(Math.exp(-100)), 0]);
  });
});
