/**
 * The Masks tab for an encoder–decoder: the model's real masks for its three attentions —
 * encoder self [Te, Te] and cross [Td, Te] hide padded source keys (none for one unpadded
 * selection), decoder self [Td, Td] is causal — each beside the real weights of the chosen
 * layer and head, with the seed question answered from those numbers (seq2seqNote.ts).
 */
import type { PanelSeq2Seq } from '../../../src/shared/seq2seqProtocol';
import { el } from '../../dom';
import { t } from '../../l10n';
import { explanation } from '../attention/explain';
import type { Inspector } from '../attention/state';
import { drawRect, rectCell } from './rectHeatmap';
import { headSlice, kindMatrix, realMask } from './seq2seqMath';
import { seq2seqNote } from './seq2seqNote';
import { kindTitles } from './seq2seqView';

export function seq2seqMasks(ins: Inspector, s: PanelSeq2Seq): { node: HTMLElement; show(): void } {
  const grid = el('div', { class: 'mask-grid', id: 'mask-grid' });
  const note = el('div', { id: 'seq2seq-note-box' });
  const a = ins.a;
  const captions: Record<string, string> = {
    'encoder-self': t('Padding only: {0} of {1} source keys are padding.', s.sourceMask.filter((m) => m === 0).length, a.T),
    'decoder-self': t('Causal: key k > query q gets −∞ ({0} of {1} cells).', (s.Td * (s.Td - 1)) / 2, s.Td * s.Td),
    cross: t('Padding only, on the source keys: every target token reads every real source token.'),
  };

  function draw(): void {
    const head = ins.state.heads[0] ?? 0;
    const width = Math.max(160, Math.min(260, ((grid.clientWidth || 900) / 3) - 40));
    grid.replaceChildren(...kindTitles().map(([kind, title]) => {
      const { rows, cols, mask } = realMask(s, kind);
      const m = kindMatrix(a, s, kind, ins.state.layer);
      const weights = headSlice(m.layer, Math.min(head, (kind === 'encoder-self' ? a.heads : s.heads) - 1), m.rows, m.cols);
      const maskCanvas = el('canvas', { role: 'img', 'aria-label': t('{0}: mask', title), 'data-kind': kind, 'data-rows': rows, 'data-cols': cols });
      const weightCanvas = el('canvas', { role: 'img', 'aria-label': t('{0}: weights after softmax', title), 'data-kind': kind });
      const cell = rectCell(cols, width);
      requestAnimationFrame(() => {
        drawRect(maskCanvas, mask.map((v) => (v === -Infinity ? -Infinity : 0.15)), rows, cols, { cell });
        drawRect(weightCanvas, weights, rows, cols, { cell });
      });
      return el('figure', { class: 'mask-panel', 'data-kind': kind },
        el('figcaption', {}, el('strong', {}, title), el('br'), captions[kind]),
        el('div', { class: 'mask-pair' }, el('div', {}, el('span', { class: 'muted' }, t('mask (0 / −∞)')), maskCanvas), el('div', {}, el('span', { class: 'muted' }, t('softmax')), weightCanvas)));
    }));
    note.replaceChildren(seq2seqNote(a, s, ins.state.layer, head));
  }

  ins.onChange(draw);
  requestAnimationFrame(draw);
  return {
    node: el('section', { id: 'mask-view' }, el('p', { class: 'muted' }, t('This model\'s real masks, added to the scores before the softmax, beside the real weights of the first chosen head.')),
      grid, note, explanation('mask')),
    show: draw,
  };
}
