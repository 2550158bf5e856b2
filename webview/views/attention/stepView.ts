/**
 * The step trace for one query token and one head, with the numbers: q·k for each key,
 * ÷√d_k, + mask (−∞ shown), the row max subtracted, exp, their sum, the weights, Σ w·v;
 * then concat, W^O, residual + LayerNorm (pre- or post-LN as the model has it) and the
 * FFN. Each step has its explanation beside it.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { explanation } from './explain';
import type { Inspector } from './state';

const MAX_ROWS = 64;

export function fmt(v: number): string {
  if (v === -Infinity) return '−∞';
  if (v === Infinity) return '∞';
  if (Number.isNaN(v)) return 'NaN';
  const a = Math.abs(v);
  return (a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(4)).replace('-', '−');
}

const vec = (v: number[], n = 8) => `[${v.slice(0, n).map(fmt).join(', ')}${v.length > n ? `, … (${v.length})` : ''}]`;
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

function stepBlock(title: string, body: (Node | string)[], topic?: Parameters<typeof explanation>[0]): HTMLElement {
  return el('div', { class: 'step' }, el('div', { class: 'step-main' }, el('h4', {}, title), ...body), topic ? el('div', { class: 'step-why' }, explanation(topic)) : el('span'));
}

export function renderStep(s: StepTrace, tokens: readonly { text: string }[]): HTMLElement {
  const keys = Array.from({ length: s.T }, (_, k) => k);
  // Long rows: show the keys with the largest weights, in order, and say so.
  const shown = s.T <= MAX_ROWS ? keys : [...keys].sort((x, y) => s.weights[y] - s.weights[x]).slice(0, MAX_ROWS).sort((x, y) => x - y);
  const head = el('tr', {}, ...[t('key'), 'q·k', `× 1/√${s.headSize}`, t('+ mask'), t('− max'), 'exp', t('weight')].map((h) => el('th', { scope: 'col' }, h)));
  const rows = shown.map((k) => el('tr', { class: s.mask[k] === -Infinity ? 'masked' : '' },
    el('th', { scope: 'row' }, `${k} ${tokenLabel(tokens[k]?.text ?? '')}`),
    ...[s.raw[k], s.scaled[k], s.masked[k], s.shifted[k], s.exp[k], s.weights[k]].map((v) => el('td', {}, fmt(v)))));
  const table = el('table', { class: 'step-table', id: 'step-table' }, el('thead', {}, head), el('tbody', {}, ...rows));
  const q = tokens[s.query]?.text ?? '';
  return el('section', { id: 'step-trace' },
    el('p', { class: 'muted' }, t('Layer {0}, head {1}, query token {2} “{3}”; head size d_k = {4}.', s.layer, s.head, s.query, tokenLabel(q), s.headSize)),
    stepBlock(t('1. Scores: q·k, scaled, masked'), [
      el('p', {}, t('q = {0}', vec(s.q))),
      s.T > MAX_ROWS ? el('p', { class: 'muted' }, t('Showing the {0} keys with the largest weights of {1}.', MAX_ROWS, s.T)) : el('span'),
      el('div', { class: 'table-scroll' }, table),
    ], 'scale'),
    stepBlock(t('2. Softmax with the max subtracted'), [
      el('p', {}, t('row max = {0}; Σ exp = {1}; weights = exp / Σ (they sum to {2}).', fmt(s.max), fmt(s.sum), fmt(s.weights.reduce((a, b) => a + b, 0)))),
    ], 'softmax'),
    stepBlock(t('3. The mask'), [el('p', {}, s.causal ? t('Causal: the {0} keys after the query get −∞, so their weights are exactly 0.', s.mask.filter((m) => m === -Infinity).length) : t('Bidirectional: no key is masked (padding would be).'))], 'mask'),
    stepBlock(t('4. Weights × V: the head\'s output'), [el('p', {}, t('output = Σ weight · v = {0}', vec(s.headOut)))], 'heads'),
    stepBlock(t('5. Concat and W^O'), [
      el('p', {}, t('concat of all heads (|·| = {0}) = {1}', fmt(norm(s.concat)), vec(s.concat))),
      el('p', {}, t('concat · W^Oᵀ + b (|·| = {0}) = {1}', fmt(norm(s.attnProj)), vec(s.attnProj))),
    ]),
    stepBlock(s.norm === 'pre' ? t('6. Residual (pre-LN)') : t('6. Residual + LayerNorm (post-LN)'), [
      el('p', {}, t('input (|·| = {0}) = {1}', fmt(norm(s.input)), vec(s.input))),
      el('p', {}, t('input + attention (|·| = {0}) = {1}', fmt(norm(s.residualAttn)), vec(s.residualAttn))),
      el('p', {}, s.norm === 'pre' ? t('LN₂ of it, the FFN\'s input = {0}', vec(s.lnFfn)) : t('LN₁ of it = {0}', vec(s.lnAttn))),
    ], s.norm === 'pre' ? 'prepost' : 'layernorm'),
    stepBlock(t('7. Feed-forward ({0})', s.activation), [
      el('p', {}, t('before the activation: {0}', vec(s.ffnPre))),
      el('p', {}, t('after: {0} ({1} of {2} positive)', vec(s.ffnAct), s.ffnAct.filter((v) => v > 0).length, s.ffnAct.length)),
      el('p', {}, t('FFN output = {0}', vec(s.ffnOut))),
      el('p', {}, t('the layer\'s output (|·| = {0}) = {1}', fmt(norm(s.output)), vec(s.output))),
    ], 'ffn'),
    el('div', { class: 'step-more' }, el('h4', {}, t('More questions')), ...(['dot', 'mlm', 'gqa', 'kvcache'] as const).map((topic) => explanation(topic))),
  );
}

export function stepView(ins: Inspector): { node: HTMLElement; show(s: StepTrace): void; error(message: string): void; request(): void } {
  const body = el('div', { id: 'step-body' }, el('p', { class: 'muted' }, t('Computing the step trace…')));
  const request = () => {
    const { layer, heads, query } = ins.state;
    ins.post({ type: 'requestStep', layer, head: heads[0], query });
  };
  return {
    node: el('section', { id: 'step-view' }, body),
    show(s) { body.replaceChildren(renderStep(s, ins.a.tokens)); },
    error(message) { body.replaceChildren(el('p', { class: 'error', role: 'alert' }, message)); },
    request,
  };
}
