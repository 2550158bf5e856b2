/**
 * The step trace's live answers to "why ÷√d_k" and "why subtract the max": the scale this
 * model uses, the variance of q·k for this head and query before and after scaling, the
 * softmax formula, and the row's scores × 100 through float32 exp with and without the max
 * subtracted (numbers from scaleMath.ts).
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import { el } from '../../dom';
import { t } from '../../l10n';
import { overflowDemo, scaleHeader, scoreVariance } from './scaleMath';
import { fmt } from './stepParts';

/** Block 1: which scale, and what it did to the spread of the scores. */
export function scaleLines(s: StepTrace): HTMLElement[] {
  const which = s.scaleByInverseLayer
    ? t('Scale used: 1/(√d_k · (layer + 1)) = {0} (scale_attn_by_inverse_layer_idx: each layer also divides by its number + 1).', fmt(s.scale))
    : Math.abs(s.scale * Math.sqrt(s.headSize) - 1) < 1e-6 ? t('Scale used: 1/√d_k = 1/√{0} = {1}.', s.headSize, fmt(s.scale))
      : t('Scale used: {0}, not 1/√d_k = {1} (this model sets its own scale).', fmt(s.scale), fmt(1 / Math.sqrt(s.headSize)));
  const v = scoreVariance(s);
  const spread = v ? el('p', { id: 'step-variance' }, t('Over the {0} keys this query sees, q·k has variance {1} (d_k = {2}); after {3}, {4}.', v.keys, fmt(v.raw), s.headSize, scaleHeader(s), fmt(v.scaled))) : el('span');
  return [el('p', { id: 'step-scale' }, which), spread];
}

/** Block 2: the formula and the overflow demonstration on this row. */
export function overflowLines(s: StepTrace): HTMLElement[] {
  const d = overflowDemo(s.masked, 100);
  const finite = d.scores.filter((x) => x !== -Infinity);
  const top = finite.length ? Math.max(...finite) : 0;
  const naive = d.naive.overflowed
    ? t('without the max subtracted, {0} of the exps overflow float32 to ∞ and the weights become {1};', d.naive.overflowed, d.naive.nan ? 'NaN' : fmt(d.naive.weights[0]))
    : t('without the max subtracted, no exp overflows here (the largest is e^{0}; float32 overflows above e^88.7);', fmt(top));
  return [
    el('p', {}, t('softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ) = exp(xᵢ − max) / Σⱼ exp(xⱼ − max)')),
    el('p', { id: 'step-overflow' }, t('The same row × 100 (largest score {0}):', fmt(top)), ' ', naive, ' ',
      t('with it subtracted, the largest exp is e⁰ = 1, Σ exp = {0} and the weights sum to {1}.', fmt(d.safe.sum), fmt(d.safe.weights.reduce((a, b) => a + b, 0)))),
  ];
}
