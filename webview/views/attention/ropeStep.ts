/**
 * The step trace's RoPE block (models with rotary positions): for the query and one key
 * (the most-attended one unless the reader picks another), q and k before and after the
 * rotation, the angle of each frequency pair at both positions, and the check that the
 * score depends on the positions only through m − n: the same unrotated q and k, rotated
 * here at (m + s, n + s) for a few shifts s, give the model's own score up to float
 * rounding, while changing the gap changes it.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import { dropdown } from '../../components/toolkit';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { dot, rotate, shiftedScores, wavelengths } from './decoderMath';
import { fmt, smallTable, stepBlock, vec } from './stepParts';

export const ROPE_SHIFTS = [0, 1, 7, 100, 1000];
const MAX_PAIRS = 64;

/** The key the RoPE block starts with: the visible key with the largest weight. */
export function defaultRopeKey(s: StepTrace): number {
  let best = s.query;
  for (let k = 0; k < s.T; k++) if (s.mask[k] !== -Infinity && s.weights[k] > s.weights[best]) best = k;
  return best;
}

function ropeBody(s: StepTrace, tokens: readonly { text: string }[], n: number): HTMLElement[] {
  const rope = s.rope!;
  const m = s.query;
  const label = (i: number) => `“${tokenLabel(tokens[i]?.text ?? '')}”`;
  const angles = rope.invFreq.map((_, i) => i);
  const shown = angles.slice(0, MAX_PAIRS);
  const waves = wavelengths(rope.invFreq);
  const half = rope.invFreq.length;
  const pairRows = shown.map((i) => [`${i} (${i}, ${i + half})`, fmt(rope.invFreq[i]), fmt(waves[i]), fmt(rope.angles[m][i]), fmt(rope.angles[n][i]), fmt(rope.angles[m][i] - rope.angles[n][i])]);
  const real = s.raw[n];
  const shifted = shiftedScores(rope.qUnrotated, rope.kUnrotated[n], rope.invFreq, m, n, ROPE_SHIFTS);
  const gap = dot(rotate(rope.qUnrotated, rope.invFreq, m + 1), rotate(rope.kUnrotated[n], rope.invFreq, n));
  const shiftRows = [...shifted.map((r) => [String(r.shift), `(${r.m}, ${r.n})`, String(r.m - r.n), fmt(r.score), fmt(r.score - real)]),
    ['—', `(${m + 1}, ${n})`, String(m + 1 - n), fmt(gap), fmt(gap - real)]];
  const worst = Math.max(...shifted.map((r) => Math.abs(r.score - real)));
  return [
    el('p', {}, t('Query {0} {1} at position m = {0}; key {2} {3} at position n = {2}; m − n = {4}. {5} of the {6} channels are rotated, in {7} pairs.', m, label(m), n, label(n), m - n, rope.rotaryDim, s.headSize, half)),
    el('p', {}, t('q before the rotation = {0}', vec(rope.qUnrotated))),
    el('p', {}, t('q rotated by m·θᵢ = {0}', vec(s.q))),
    el('p', {}, t('k before the rotation = {0}', vec(rope.kUnrotated[n]))),
    el('p', {}, t('k rotated by n·θᵢ = {0}', vec(s.k[n]))),
    el('p', { class: 'muted' }, t('RoPE {0}, θ = {1}. The angle of each pair at these positions:', rope.type, rope.theta.toLocaleString('en-US'))),
    smallTable('rope-angles', [t('pair i (channels)'), 'θᵢ', t('wavelength'), 'm·θᵢ', 'n·θᵢ', '(m − n)·θᵢ'], pairRows),
    half > MAX_PAIRS ? el('p', { class: 'muted' }, t('Showing the first {0} of {1} pairs.', MAX_PAIRS, half)) : el('span'),
    el('p', {}, t('The same q and k moved together by s positions: q·k stays {0} (the model\'s score) up to float rounding, largest difference {1}; moving only the query changes it.', fmt(real), fmt(worst))),
    smallTable('rope-shift', [t('shift s'), '(m + s, n + s)', 'm − n', 'q·k', t('− model\'s q·k')], shiftRows),
  ];
}

/** The RoPE block, or nothing for a model without rotary positions. */
export function ropeStep(s: StepTrace, tokens: readonly { text: string }[]): HTMLElement | undefined {
  if (!s.rope) return undefined;
  const content = el('div', { id: 'rope-content' });
  const show = (n: number) => content.replaceChildren(...ropeBody(s, tokens, n));
  const start = defaultRopeKey(s);
  const picker = dropdown('rope-key', t('Key'), Array.from({ length: s.T }, (_, k) => String(k)), String(start), (v) => show(Number(v)));
  show(start);
  return stepBlock(t('RoPE: q and k rotated by their positions'), [picker, content], 'rope', 'rope-step');
}
