/**
 * The seed question "Why do two of the three attentions need no mask, and how is the third
 * masked?" answered with the loaded encoder–decoder's own numbers (as variantsNote.ts does
 * for modern decoders): how many cells of each attention the real masks hide, that the
 * encoder does read later source tokens, that even the start token reads the last source
 * token, and that the decoder's weights on later keys are exactly 0.
 */
import type { PanelAttention } from '../../../src/shared/protocol';
import type { PanelSeq2Seq } from '../../../src/shared/seq2seqProtocol';
import { el } from '../../dom';
import { t } from '../../l10n';
import { fmt } from '../attention/stepParts';
import { maskFacts } from './seq2seqMath';

export function seq2seqNote(a: PanelAttention, s: PanelSeq2Seq, layer: number, head: number, open = true): HTMLElement {
  const f = maskFacts(a, s, layer, head);
  const l = Math.min(layer, a.layers - 1), dl = Math.min(layer, s.layers - 1);
  const d = el('details', { class: 'explain', 'data-topic': 'seq2seq-masks', id: 'seq2seq-note' },
    el('summary', {}, t('Why do two of the three attentions need no mask, and how is the third masked?')),
    el('p', {}, t('Masks hide what a position must not read. Only the decoder reads a sequence that is being written, so only its self attention hides the future; the other two read the source, which is given whole before decoding starts. Padding is the one thing all three may hide. In {0}, head {1}:', a.model, head)),
    el('ul', {},
      el('li', { id: 'seq2seq-note-encoder' }, t('Encoder self attention (layer {0}): each of the {1} source tokens may read all {1}; nothing in the source is in the future. {2} of the {3} source keys are padding, so {4} of {5} cells get −∞. The encoder does read later tokens: {6} of the {7} cells above the diagonal have weight above 0.01.',
        l, f.Te, f.padded, f.Te, f.encoderMasked, f.encoderCells, f.encoderLaterRead, f.encoderLater)),
      el('li', { id: 'seq2seq-note-cross' }, t('Cross attention (decoder layer {0}): q from the {1} target tokens, k and v from the encoder\'s finished output over all {2} source tokens. The decoder may read the whole source at every step, so only padded source keys get −∞: {3} of {4} cells. Even the start token puts weight {5} on the last source token.',
        dl, f.Td, f.Te, f.crossMasked, f.crossCells, fmt(f.startOnLastSource))),
      el('li', { id: 'seq2seq-note-decoder' }, t('Decoder self attention (decoder layer {0}): causal. Target token i reads target tokens 0…i; the {1} of {2} cells above the diagonal get −∞ before the softmax, so their weights are exactly 0 (the largest here: {3}) and each row still sums to 1. In training the whole target is fed at once; without the mask, position i would copy token i + 1 instead of predicting it.',
        dl, f.decoderMasked, f.decoderCells, fmt(f.decoderFutureMax)))));
  if (open) d.setAttribute('open', '');
  return d;
}
