/**
 * "Train BPE on selection": the classic algorithm (`</w>`) or byte-level, a merge count
 * and minimum frequency; every round (pair, frequency, vocabulary size) and the final
 * segmentation of each word.
 */
import type { TrainResultMessage } from '../../src/shared/protocol';
import { button, numberField } from '../components/toolkit';
import { el, visible } from '../dom';

export function renderTrainForm(onTrain: (mode: 'classic' | 'byte-level', merges: number, minFrequency: number) => void): HTMLElement {
  const merges = numberField('train-merges', 'Merges', 20);
  const minFreq = numberField('train-min-frequency', 'Minimum pair frequency', 2);
  const mode = el('select', { id: 'train-mode', 'aria-label': 'training mode' },
    el('option', { value: 'classic' }, 'classic (characters + </w>)'), el('option', { value: 'byte-level' }, 'byte-level (UTF-8 bytes)'));
  const error = el('p', { class: 'error', role: 'alert' });
  const go = button('Train BPE on selection', () => {
    const m = merges.read(), f = minFreq.read();
    if (!Number.isInteger(m) || m < 0 || m > 100_000) { error.textContent = 'Merges must be a whole number from 0 to 100000.'; return; }
    if (!Number.isInteger(f) || f < 0) { error.textContent = 'The minimum frequency must be a whole number ≥ 0.'; return; }
    error.textContent = '';
    onTrain((mode as HTMLSelectElement).value as 'classic' | 'byte-level', m, f);
  });
  return el('div', { class: 'train-form' }, merges.node, minFreq.node, el('label', { class: 'field' }, el('span', {}, 'Mode'), mode), go, error);
}

export function renderTrainResult(r: TrainResultMessage): HTMLElement {
  const rounds = el('table', { id: 'train-rounds' },
    el('thead', {}, el('tr', {}, ...['round', 'pair', 'merged', 'frequency', 'vocabulary'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...r.merges.map((m) => el('tr', {}, el('td', {}, String(m.round)), el('td', {}, `${visible(m.pair[0])} + ${visible(m.pair[1])}`),
      el('td', {}, el('code', {}, visible(m.merged))), el('td', {}, String(m.frequency)), el('td', {}, String(m.vocabSize))))));
  const seg = el('table', { id: 'train-segmentation' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'word'), el('th', { scope: 'col' }, '×'), el('th', { scope: 'col' }, 'segmentation'))),
    el('tbody', {}, ...r.segmentation.map((w) => el('tr', {}, el('td', {}, visible(w.word)), el('td', {}, String(w.frequency)),
      el('td', {}, el('span', { class: 'symbols' }, ...w.symbols.map((s) => el('span', { class: 'symbol' }, visible(s)))))))));
  return el('section', {}, el('p', {}, `${r.mode} BPE: ${r.initialVocab.length} initial symbols, ${r.merges.length} merges — stopped: ${r.stoppedBecause}.`),
    el('h4', {}, 'Rounds'), rounds, el('h4', {}, 'Segmentation'), seg);
}
