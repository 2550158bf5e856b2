/**
 * The training topics' numbers and the trace view's UTF-8 line, against values worked by
 * hand from their definitions: the Noam schedule (Vaswani et al. 2017, eq. 3; base model
 * d_model 512, 4000 warm-up steps), Adam's first steps (Kingma & Ba 2015, Algorithm 1), and
 * UTF-8 (RFC 3629: 好 U+597D → E5 A5 BD, é U+00E9 → C3 A9, 😀 U+1F600 → F0 9F 98 80).
 */
import { strict as assert } from 'node:assert';
import { adamSteps, noamCurve, noamRate } from '../../webview/views/attention/trainingMath';
import { utf8Characters } from '../../webview/views/utf8Chars';

const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} ≈ ${b}`);

describe('training numbers and UTF-8 bytes', () => {
  it('Noam: linear warm-up to d^−0.5 · warmup^−0.5, then 1/√step', () => {
    close(noamRate(4000, 512, 4000), 1 / Math.sqrt(512 * 4000)); // 6.99e-4, the peak
    close(noamRate(1, 512, 4000), 1 / (Math.sqrt(512) * 4000 ** 1.5)); // 1.75e-7
    close(noamRate(2000, 512, 4000), noamRate(4000, 512, 4000) / 2); // linear before the peak
    close(noamRate(16000, 512, 4000), noamRate(4000, 512, 4000) / 2); // 1/√step after it
    const curve = noamCurve(512, 4000);
    const top = curve.reduce((a, b) => (b.lr > a.lr ? b : a));
    assert.ok(Math.abs(top.step - 4000) <= 16000 / 119, `peak near 4000, at ${top.step}`);
  });

  it('Adam: the first step is ≈ lr against the gradient, whatever its size', () => {
    const [small] = adamSteps([1e-4], 1e-3), [large] = adamSteps([100], 1e-3);
    close(small.delta, -1e-3 * 1e-4 / (1e-4 + 1e-9)); // −lr · g / (|g| + ε)
    close(large.delta, -1e-3, 1e-9);
    // two steps by hand: g = 1 then −1, β₁ 0.9, β₂ 0.98: m = −0.01, v = 0.0396; m̂ = −0.01/0.19, v̂ = 0.0396/0.0396 = 1
    const [, second] = adamSteps([1, -1], 1e-3);
    close(second.m, -0.01); close(second.v, 0.0396);
    close(second.delta, (-1e-3 * (-0.01 / 0.19)) / (1 + 1e-9));
  });

  it('UTF-8: each character beyond ASCII with its bytes', () => {
    assert.deepEqual(utf8Characters('你好 好 é 😀 a'), ['你 → E4 BD A0', '好 → E5 A5 BD', 'é → C3 A9', '😀 → F0 9F 98 80']);
    assert.deepEqual(utf8Characters('plain ascii'), []);
  });
});
