/**
 * The step trace for one query token and one head, with the numbers: q·k for each key,
 * ÷√d_k, + mask (−∞ shown), the row max subtracted, exp, their sum, the weights, Σ w·v;
 * then concat, W^O, residual + LayerNorm (pre- or post-LN as the model has it) and the
 * FFN. Each step has its explanation beside it.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import type { PanelAttention } from '../../../src/shared/protocol';
import { stepTraceTargets, type CodeStepKind } from '../../../src/shared/stepFocus';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { explanation, type Topic } from './explain';
import { kvGroups, normStats, windowHidden } from './decoderMath';
import { ropeStep } from './ropeStep';
import { fmt, norm, stepBlock, vec } from './stepParts';
import type { Inspector } from './state';
import { groupText } from './decoderText';
import { variantsNote } from './variantsNote';
import { scaleHeader } from './scaleMath';
import { overflowLines, scaleLines } from './softmaxLines';
import { trainingBlock } from './trainingBlock';
import { normAxesBlock } from './normAxesBlock';
import { similarityBlock } from '../residual/similarityBlock';
import { crossMaskText, kindBlock, stepKindPicker, stepTokens } from '../seq2seq/stepKind';

export { fmt } from './stepParts';

const MAX_ROWS = 64;

/** Grouped-query attention: which K/V head this query head reads and who shares it (nothing for multi-head attention). */
function gqaLine(s: StepTrace): HTMLElement {
  if (!s.kvHeads || s.kvHeads === s.heads) return el('span');
  const g = kvGroups(s.heads, s.kvHeads)[s.kvHead];
  return el('p', { id: 'step-gqa' }, t('Grouped-query attention: k and v come from K/V head {0}, shared by {1}.', s.kvHead, groupText(g)));
}

function maskText(s: StepTrace): string {
  if (s.kind === 'cross') return crossMaskText(s);
  const base = s.causal ? t('Causal: the {0} keys after the query get −∞, so their weights are exactly 0.', s.mask.filter((m, k) => m === -Infinity && k > s.query).length) : t('Bidirectional: no key is masked (padding would be).');
  const hidden = windowHidden(s.query, s.slidingWindow ?? 0);
  if (!s.slidingWindow) return base;
  return `${base} ${hidden.length ? t('This layer slides a window of {0} keys: keys 0–{1} ({2} of them) are −∞ too.', s.slidingWindow, hidden[hidden.length - 1], hidden.length) : t('This layer slides a window of {0} keys; every earlier key of this query still fits in it.', s.slidingWindow)}`;
}

/** Block 6's norm line: what the norm subtracts and divides by, for the sum it normalizes (input + attention). */
function normLine(s: StepTrace): HTMLElement {
  const { mean, std, rms } = normStats(s.residualAttn);
  return el('p', { id: 'step-norm' }, s.normKind === 'rmsnorm'
    ? t('RMSNorm: divided by the root mean square {0} and multiplied by the gain g; the mean ({1}) is not subtracted and no bias is added.', fmt(rms), fmt(mean))
    : t('LayerNorm: the mean {0} subtracted, divided by the standard deviation {1}, then × γ + β.', fmt(mean), fmt(std)));
}

/** This token's vector before and after the norm of block 6: mean and std over its own d_model features (LayerNorm's axis). */
function normBeforeAfter(s: StepTrace): HTMLElement {
  const before = normStats(s.residualAttn), after = normStats(s.norm === 'post' ? s.lnAttn : s.lnFfn);
  return el('p', { id: 'step-norm-stats' }, t('Over this token\'s {0} features: before the norm mean {1}, std {2}; after it mean {3}, std {4} (γ and β move them away from 0 and 1). BatchNorm would instead average each feature over the batch and positions.',
    s.residualAttn.length, fmt(before.mean), fmt(before.std), fmt(after.mean), fmt(after.std)));
}

/** The norm topics block 6 does not show, then training: every model gets every text. */
function moreTopics(s: StepTrace): Topic[] {
  const shown = s.normKind === 'rmsnorm' ? 'rmsnorm' : s.norm === 'pre' ? 'prepost' : 'layernorm';
  const norms = (['layernorm', 'prepost', 'rmsnorm'] as const).filter((x) => x !== shown);
  return ['dot', 'mlm', 'gqa', 'kvcache', ...norms, 'crossentropy', 'teacherforcing', 'adam', 'noam'];
}

function ffnBlock(s: StepTrace): HTMLElement {
  const tail = [
    el('p', {}, t('FFN output = {0}', vec(s.ffnOut))),
    el('p', {}, t('the layer\'s output (|·| = {0}) = {1}', fmt(norm(s.output)), vec(s.output))),
  ];
  if (s.ffn === 'gated' && s.ffnUp) {
    return stepBlock(t('7. Gated feed-forward ({0}): down(act(gate) ⊙ up)', s.activation), [
      el('p', {}, t('gate = x · W_gateᵀ: {0}', vec(s.ffnPre))),
      el('p', {}, t('up = x · W_upᵀ: {0}', vec(s.ffnUp))),
      el('p', {}, t('act(gate) ⊙ up, the down projection\'s input: {0}', vec(s.ffnAct))),
      ...tail,
    ], 'swiglu', 'step-ffn');
  }
  return stepBlock(t('7. Feed-forward ({0})', s.activation), [
    el('p', {}, t('before the activation: {0}', vec(s.ffnPre))),
    el('p', {}, t('after: {0} ({1} of {2} positive)', vec(s.ffnAct), s.ffnAct.filter((v) => v > 0).length, s.ffnAct.length)),
    ...tail,
  ], 'ffn', 'step-ffn');
}

/** `tokens`: the keys' tokens; `queryTokens`: the query's (an encoder–decoder's target tokens for decoder-self and cross). */
export function renderStep(s: StepTrace, tokens: readonly { text: string }[], a?: PanelAttention, queryTokens: readonly { text: string }[] = tokens): HTMLElement {
  const keys = Array.from({ length: s.T }, (_, k) => k);
  // Long rows: show the keys with the largest weights, in order, and say so.
  const shown = s.T <= MAX_ROWS ? keys : [...keys].sort((x, y) => s.weights[y] - s.weights[x]).slice(0, MAX_ROWS).sort((x, y) => x - y);
  // the scale the model uses: 1/√d_k, 1/(√d_k · (layer + 1)), T5's 1 (its initialisation folds the scale into W_q), Gemma's own
  const scaleHead = scaleHeader(s);
  const head = el('tr', {}, ...[t('key'), 'q·k', scaleHead, t('+ mask'), t('− max'), 'exp', t('weight')].map((h) => el('th', { scope: 'col' }, h)));
  const rows = shown.map((k) => el('tr', { class: s.mask[k] === -Infinity ? 'masked' : '' },
    el('th', { scope: 'row' }, `${k} ${tokenLabel(tokens[k]?.text ?? '')}`),
    ...[s.raw[k], s.scaled[k], s.masked[k], s.shifted[k], s.exp[k], s.weights[k]].map((v) => el('td', {}, fmt(v)))));
  const table = el('table', { class: 'step-table', id: 'step-table' }, el('thead', {}, head), el('tbody', {}, ...rows));
  const q = queryTokens[s.query]?.text ?? '';
  return el('section', { id: 'step-trace' },
    el('p', { class: 'muted' }, t('Layer {0}, head {1}, query token {2} “{3}”; head size d_k = {4}.', s.layer, s.head, s.query, tokenLabel(q), s.headSize)),
    a ? kindBlock(s, a) : el('span'),
    stepBlock(t('1. Scores: q·k, scaled, masked'), [
      el('p', {}, t('q = {0}', vec(s.q))),
      gqaLine(s),
      s.T > MAX_ROWS ? el('p', { class: 'muted' }, t('Showing the {0} keys with the largest weights of {1}.', MAX_ROWS, s.T)) : el('span'),
      el('div', { class: 'table-scroll' }, table),
      ...scaleLines(s),
    ], 'scale', 'step-scores'),
    similarityBlock(s, tokens),
    ropeStep(s, tokens) ?? el('span'),
    stepBlock(t('2. Softmax with the max subtracted'), [
      el('p', {}, t('row max = {0}; Σ exp = {1}; weights = exp / Σ (they sum to {2}).', fmt(s.max), fmt(s.sum), fmt(s.weights.reduce((a, b) => a + b, 0)))),
      ...overflowLines(s),
    ], 'softmax', 'step-softmax'),
    stepBlock(t('3. The mask'), [el('p', { id: 'step-mask' }, maskText(s))], s.slidingWindow ? 'sliding' : 'mask', 'step-masking'),
    stepBlock(t('4. Weights × V: the head\'s output'), [el('p', {}, t('output = Σ weight · v = {0}', vec(s.headOut)))], 'heads', 'step-output'),
    stepBlock(t('5. Concat and W^O'), [
      el('p', {}, t('concat of all heads (|·| = {0}) = {1}', fmt(norm(s.concat)), vec(s.concat))),
      el('p', {}, t('concat · W^Oᵀ + b (|·| = {0}) = {1}', fmt(norm(s.attnProj)), vec(s.attnProj))),
    ]),
    stepBlock(s.normKind === 'rmsnorm' ? t('6. Residual (pre-norm, RMSNorm)') : s.norm === 'pre' ? t('6. Residual (pre-LN)') : t('6. Residual + LayerNorm (post-LN)'), [
      el('p', {}, t('input (|·| = {0}) = {1}', fmt(norm(s.input)), vec(s.input))),
      el('p', {}, t('input + attention (|·| = {0}) = {1}', fmt(norm(s.residualAttn)), vec(s.residualAttn))),
      normLine(s),
      normBeforeAfter(s),
      normAxesBlock(s, tokens),
      el('p', {}, s.normKind === 'rmsnorm' ? t('RMSNorm₂ of it, the FFN\'s input = {0}', vec(s.lnFfn)) : s.norm === 'pre' ? t('LN₂ of it, the FFN\'s input = {0}', vec(s.lnFfn)) : t('LN₁ of it = {0}', vec(s.lnAttn))),
    ], s.normKind === 'rmsnorm' ? 'rmsnorm' : s.norm === 'pre' ? 'prepost' : 'layernorm', 'step-residual'),
    ffnBlock(s),
    el('div', { class: 'step-more' }, el('h4', {}, t('More questions')), ...(a ? [variantsNote(a)] : []), ...moreTopics(s).map((topic) => explanation(topic)), trainingBlock(s.input.length)),
  );
}

/**
 * Scroll the step trace to the block a code hover named (src/shared/stepFocus.ts) and mark
 * it: outlined, aria-current="step". Returns the element, or undefined when none is there.
 */
export function focusStep(root: HTMLElement, kind: CodeStepKind): HTMLElement | undefined {
  for (const old of root.querySelectorAll('.step-focused')) { old.classList.remove('step-focused'); old.removeAttribute('aria-current'); }
  const target = stepTraceTargets(kind).map((id) => root.querySelector<HTMLElement>(`#${id}`)).find((e) => e);
  if (!target) return undefined;
  target.classList.add('step-focused');
  target.setAttribute('aria-current', 'step');
  target.scrollIntoView({ block: 'start' });
  return target;
}

export function stepView(ins: Inspector): { node: HTMLElement; show(s: StepTrace): void; error(message: string): void; request(): void; focus(): void } {
  const body = el('div', { id: 'step-body' }, el('p', { class: 'muted' }, t('Computing the step trace…')));
  const request = () => {
    const { layer, heads, query, attention, decoderQuery } = ins.state;
    const s2s = ins.a.seq2seq;
    if (s2s && attention && attention !== 'encoder-self') ins.post({ type: 'requestStep', layer: Math.min(layer, s2s.layers - 1), head: Math.min(heads[0], s2s.heads - 1), query: Math.min(decoderQuery ?? s2s.Td - 1, s2s.Td - 1), attention });
    else ins.post({ type: 'requestStep', layer, head: heads[0], query, ...(s2s ? { attention: 'encoder-self' as const } : {}) });
  };
  return {
    node: el('section', { id: 'step-view' }, stepKindPicker(ins) ?? el('span'), body),
    show(s) {
      const { queries, keys } = stepTokens(s, ins.a);
      body.replaceChildren(renderStep(s, keys, ins.a, queries));
      if (ins.state.stepFocus) focusStep(body, ins.state.stepFocus);
    },
    error(message) { body.replaceChildren(el('p', { class: 'error', role: 'alert' }, message)); },
    request,
    focus() { if (ins.state.stepFocus) focusStep(body, ins.state.stepFocus); },
  };
}
