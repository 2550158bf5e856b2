/**
 * "Train BPE on selection": the classic algorithm (`</w>`) or byte-level, a merge count
 * and minimum frequency; every round (pair, frequency, vocabulary size) and the final
 * segmentation of each word, with the BPE / byte-level BPE explanations beside them.
 */
import type { TrainResultMessage } from '../../src/shared/protocol';
import { button, numberField } from '../components/toolkit';
import { el, visible } from '../dom';
import { t } from '../l10n';
import { explanation } from './attention/explain';

/** `example`: train on the textbook corpus (low ×5, lower ×2, newest ×6, widest ×3) instead of the selection. */
export function renderTrainForm(onTrain: (mode: 'classic' | 'byte-level', merges: number, minFrequency: number, example: boolean) => void): HTMLElement {
  const merges = numberField('train-merges', t('Merges'), 20);
  const minFreq = numberField('train-min-frequency', t('Minimum pair frequency'), 2);
  const mode = el('select', { id: 'train-mode', 'aria-label': t('training mode') },
    el('option', { value: 'classic' }, t('classic (characters + </w>)')), el('option', { value: 'byte-level' }, t('byte-level (UTF-8 bytes)')));
  const error = el('p', { class: 'error', role: 'alert' });
  const train = (example: boolean) => {
    const m = merges.read(), f = minFreq.read();
    if (!Number.isInteger(m) || m < 0 || m > 100_000) { error.textContent = t('Merges must be a whole number from 0 to 100000.'); return; }
    if (!Number.isInteger(f) || f < 0) { error.textContent = t('The minimum frequency must be a whole number ≥ 0.'); return; }
    error.textContent = '';
    onTrain((mode as HTMLSelectElement).value as 'classic' | 'byte-level', m, f, example);
  };
  const go = button(t('Train BPE on selection'), () => train(false));
  const example = button(t('Train on the textbook example (low ×5, lower ×2, newest ×6, widest ×3)'), () => train(true), 'secondary', 'train-example');
  return el('div', { class: 'train-form' }, merges.node, minFreq.node, el('label', { class: 'field' }, el('span', {}, t('Mode')), mode), go, example, error,
    el('div', { class: 'train-why', id: 'train-why' }, explanation('bpe'), explanation('bbpe')));
}

/** Why training stopped, in the display language (src/engine/training/bpeTrainer.ts's reasons; anything else as sent). */
export function stoppedText(reason: string): string {
  let m: RegExpMatchArray | null;
  if (reason === 'no pair left to merge') return t('no pair left to merge');
  if ((m = /^reached (\d+) merges$/.exec(reason))) return t('reached {0} merges', m[1]);
  if ((m = /^reached vocabulary size (\d+)$/.exec(reason))) return t('reached vocabulary size {0}', m[1]);
  if ((m = /^best pair occurs (\d+) time\(s\), below the minimum (\d+)$/.exec(reason))) return t('best pair occurs {0} time(s), below the minimum {1}', m[1], m[2]);
  return reason;
}

export function renderTrainResult(r: TrainResultMessage): HTMLElement {
  const rounds = el('table', { id: 'train-rounds' },
    el('thead', {}, el('tr', {}, ...[t('round'), t('pair'), t('merged'), t('frequency'), t('vocabulary')].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...r.merges.map((m) => el('tr', {}, el('td', {}, String(m.round)), el('td', {}, `${visible(m.pair[0])} + ${visible(m.pair[1])}`),
      el('td', {}, el('code', {}, visible(m.merged))), el('td', {}, String(m.frequency)), el('td', {}, String(m.vocabSize))))));
  const seg = el('table', { id: 'train-segmentation' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('word')), el('th', { scope: 'col' }, '×'), el('th', { scope: 'col' }, t('segmentation')))),
    el('tbody', {}, ...r.segmentation.map((w) => el('tr', {}, el('td', {}, visible(w.word)), el('td', {}, String(w.frequency)),
      el('td', {}, el('span', { class: 'symbols' }, ...w.symbols.map((s) => el('span', { class: 'symbol' }, visible(s)))))))));
  const summary = r.mode === 'classic'
    ? t('classic BPE: {0} initial symbols, {1} merges — stopped: {2}.', r.initialVocab.length, r.merges.length, stoppedText(r.stoppedBecause))
    : t('byte-level BPE: {0} initial symbols, {1} merges — stopped: {2}.', r.initialVocab.length, r.merges.length, stoppedText(r.stoppedBecause));
  return el('section', {}, el('p', {}, summary), el('h4', {}, t('Rounds')), rounds, el('h4', {}, t('Segmentation')), seg);
}
