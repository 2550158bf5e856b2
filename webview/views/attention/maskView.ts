/**
 * The mask comparator: one head's scores (q·k ÷ √d_k, from the step trace) under four
 * masks side by side — bidirectional (BERT), causal (decoder), a padded batch, and
 * encoder–decoder cross attention — each as its mask (0 / −∞) and the weights after
 * softmax. No encoder–decoder model is loaded, so cross attention shows its pattern only.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import { el } from '../../dom';
import { t } from '../../l10n';
import { explanation } from './explain';
import { drawMatrix } from './heatmap';
import { maskedSoftmax, maskMatrix, type MaskKind } from './matrix';

const KINDS: [MaskKind, string, string][] = [
  ['bidirectional', 'Bidirectional (BERT encoder)', 'Every token sees every token.'],
  ['causal', 'Causal (decoder)', 'Token i sees tokens 0…i; the future gets −∞.'],
  ['padding', 'Padded batch', 'As the shorter sequence of a batch: the last {0} positions are [PAD] keys and get −∞.'],
  ['cross', 'Cross attention (encoder–decoder)', 'Decoder queries over encoder outputs: nothing is masked. Pattern only: no encoder–decoder model is loaded.'],
];

export function maskView(): { node: HTMLElement; show(s: StepTrace): void } {
  const grid = el('div', { class: 'mask-grid', id: 'mask-grid' }, el('p', { class: 'muted' }, t('Computing the head\'s scores…')));
  return {
    node: el('section', { id: 'mask-view' }, el('p', { class: 'muted' }, t('The same scores, four masks: the mask is added before the softmax.')), grid, explanation('mask')),
    show(s) {
      const T = s.T;
      const pad = Math.max(1, Math.floor(T / 4));
      // Two canvases side by side in a 300 px panel, or one under the other in a narrower column.
      const room = Math.min(260, (grid.clientWidth || document.body.clientWidth - 40) - 28); // the grid is 0 wide while its tab is hidden
      const cell = Math.max(2, Math.min(12, Math.floor(room / T)));
      grid.replaceChildren(...KINDS.map(([kind, title, note]) => {
        const mask = maskMatrix(kind, T, s.causal, pad);
        const maskCanvas = el('canvas', { role: 'img', 'aria-label': t('{0}: mask', t(title)), 'data-kind': kind });
        const weightCanvas = el('canvas', { role: 'img', 'aria-label': t('{0}: weights after softmax', t(title)), 'data-kind': kind });
        requestAnimationFrame(() => {
          drawMatrix(maskCanvas, mask.map((v) => (v === -Infinity ? -Infinity : 0.15)), T, { cell });
          if (kind !== 'cross') drawMatrix(weightCanvas, maskedSoftmax(s.scores, mask, T), T, { cell });
        });
        return el('figure', { class: 'mask-panel', 'data-kind': kind },
          el('figcaption', {}, el('strong', {}, t(title)), el('br'), t(note, pad)),
          el('div', { class: 'mask-pair' }, el('div', {}, el('span', { class: 'muted' }, t('mask (0 / −∞)')), maskCanvas),
            kind === 'cross' ? el('div', { class: 'muted' }, t('(no weights: pattern only)')) : el('div', {}, el('span', { class: 'muted' }, t('softmax')), weightCanvas)));
      }));
    },
  };
}
