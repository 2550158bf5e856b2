/**
 * The step trace's "dot, cosine or distance?" block: for the query and one key (the key with
 * the largest weight unless another is picked), q·k, cosine and −‖q − k‖² side by side, what
 * each ignores, which key each would rank first, and the identity −‖q − k‖² = 2q·k − ‖q‖² − ‖k‖²
 * checked on the model's own vectors — the seed question 为什么用点积而不是欧式距离或余弦相似度.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { fmt, smallTable } from '../attention/stepParts';
import { similarityExplain } from './residualExplain';
import { bestKeys, scores } from './residualMath';

export function similarityBlock(s: StepTrace, tokens: readonly { text: string }[]): HTMLElement {
  const allowed = s.mask.map((m) => m !== -Infinity);
  const byWeight = s.weights.reduce((best, w, k) => (w > s.weights[best] ? k : best), 0);
  const label = (k: number) => `${k} ${tokenLabel(tokens[k]?.text ?? '')}`;
  const picker = el('select', { id: 'similarity-key', 'aria-label': t('key') }, ...s.k.map((_, k) => {
    const o = el('option', { value: k }, label(k));
    if (k === byWeight) o.selected = true;
    return o;
  }));
  const body = el('div', { id: 'similarity-body' });
  const best = bestKeys(s.q, s.k, allowed);
  const draw = (k: number) => {
    const v = scores(s.q, s.k[k]);
    const identity = 2 * v.dot - v.qNorm ** 2 - v.kNorm ** 2;
    body.replaceChildren(
      smallTable('similarity-table', [t('score'), t('value'), t('ranks first'), t('what it ignores')], [
        ['q·k', fmt(v.dot), label(best.dot), t('nothing: angle and both lengths count (attention uses this, × 1/√d_k)')],
        [t('cosine'), fmt(v.cosine), label(best.cosine), t('both lengths: only the angle counts')],
        ['−‖q−k‖²', fmt(v.negSquaredDistance), label(best.negSquaredDistance), t('the direction as such: a long key far from q loses even when it points the same way')],
      ]),
      el('p', { class: 'muted', id: 'similarity-identity' }, t('‖q‖ = {0}, ‖k‖ = {1}; 2q·k − ‖q‖² − ‖k‖² = {2} (= −‖q−k‖²).', fmt(v.qNorm), fmt(v.kNorm), fmt(identity))),
    );
  };
  picker.addEventListener('change', () => draw(Number(picker.value)));
  draw(byWeight);
  return el('div', { class: 'step', id: 'step-similarity' },
    el('div', { class: 'step-main' }, el('h4', {}, t('Dot product, cosine or distance?')), el('label', { class: 'field' }, el('span', {}, t('key')), picker), body),
    el('div', { class: 'step-why' }, similarityExplain()));
}
