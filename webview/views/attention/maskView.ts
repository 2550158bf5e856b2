/**
 * The mask comparator: one head's scores (q·k ÷ √d_k, from the step trace) under four
 * masks side by side — bidirectional (BERT), causal (decoder), a padded batch, and
 * encoder–decoder cross attention — each as its mask (0 / −∞) and the weights after
 * softmax. No encoder–decoder model is loaded, so cross attention shows its pattern only.
 * A layer with a sliding window adds a fifth panel: its own mask, and the keys it hides.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import { el } from '../../dom';
import { t } from '../../l10n';
import { explanation } from './explain';
import { drawMatrix } from './heatmap';
import { maskedSoftmax, maskMatrix, type MaskKind } from './matrix';
import type { PanelAttention } from '../../../src/shared/protocol';
import { panelArchitecture, slidingMask, windowHidden } from './decoderMath';
import { windowsLine } from './decoderText';

const KINDS: [MaskKind, string, string][] = [
  ['bidirectional', 'Bidirectional (BERT encoder)', 'Every token sees every token.'],
  ['causal', 'Causal (decoder)', 'Token i sees tokens 0…i; the future gets −∞.'],
  ['padding', 'Padded batch', 'As the shorter sequence of a batch: the last {0} positions are [PAD] keys and get −∞.'],
  ['cross', 'Cross attention (encoder–decoder)', 'Decoder queries over encoder outputs: nothing is masked. Pattern only: no encoder–decoder model is loaded.'],
];

/** This layer's own sliding window: its mask and the head's real weights, and which keys the window hides from the query. */
function slidingPanel(s: StepTrace, cell: number): HTMLElement {
  const T = s.T, W = s.slidingWindow;
  const mask = slidingMask(T, s.causal, W);
  const maskCanvas = el('canvas', { role: 'img', 'aria-label': t('{0}: mask', t('Sliding window (this layer)')), 'data-kind': 'sliding' });
  const weightCanvas = el('canvas', { role: 'img', 'aria-label': t('{0}: weights after softmax', t('Sliding window (this layer)')), 'data-kind': 'sliding' });
  requestAnimationFrame(() => {
    drawMatrix(maskCanvas, mask.map((v) => (v === -Infinity ? -Infinity : 0.15)), T, { cell, rows: [s.query] });
    drawMatrix(weightCanvas, maskedSoftmax(s.scores, mask, T), T, { cell, rows: [s.query] });
  });
  const hidden = windowHidden(s.query, W);
  return el('figure', { class: 'mask-panel', 'data-kind': 'sliding', id: 'mask-sliding' },
    el('figcaption', {}, el('strong', {}, t('Sliding window (this layer)')), el('br'),
      t('Layer {0} keeps a window of {1} keys: query i sees keys i − {1} + 1 … i, older ones get −∞.', s.layer, W), ' ',
      hidden.length ? t('For query {0} the window hides keys 0–{1} ({2} keys the causal mask alone would show).', s.query, hidden[hidden.length - 1], hidden.length) : t('For query {0} the window hides nothing yet: it has at most {1} keys.', s.query, W)),
    el('div', { class: 'mask-pair' }, el('div', {}, el('span', { class: 'muted' }, t('mask (0 / −∞)')), maskCanvas), el('div', {}, el('span', { class: 'muted' }, t('softmax')), weightCanvas)));
}

export function maskView(a?: PanelAttention): { node: HTMLElement; show(s: StepTrace): void } {
  const grid = el('div', { class: 'mask-grid', id: 'mask-grid' }, el('p', { class: 'muted' }, t('Computing the head\'s scores…')));
  const slides = !!a && panelArchitecture(a).slidingWindows.some((w) => w > 0);
  return {
    node: el('section', { id: 'mask-view' }, el('p', { class: 'muted' }, t('The same scores, four masks: the mask is added before the softmax.')),
      ...(slides ? [el('p', { id: 'mask-windows' }, windowsLine(a!))] : []), grid, explanation('mask'), ...(slides ? [explanation('sliding')] : [])),
    show(s) {
      const T = s.T;
      const pad = Math.max(1, Math.floor(T / 4));
      // Two canvases side by side in a 300 px panel, or one under the other in a narrower column.
      const room = Math.min(260, (grid.clientWidth || document.body.clientWidth - 40) - 28); // the grid is 0 wide while its tab is hidden
      const cell = Math.max(2, Math.min(12, Math.floor(room / T)));
      // The layer's own sliding window first: it is the mask this model really adds.
      grid.replaceChildren(...(s.slidingWindow > 0 ? [slidingPanel(s, cell)] : []), ...KINDS.map(([kind, title, note]) => {
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
