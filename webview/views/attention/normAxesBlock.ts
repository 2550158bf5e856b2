/**
 * Block 6's LayerNorm vs BatchNorm table for a small batch of the selection's tokens: each row
 * a token (its first features, then LayerNorm's mean and std over all d_model features), the
 * last row BatchNorm's mean and std of each feature over these tokens (numbers from normAxes.ts).
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { batchNormStats, layerNormStats } from './normAxes';
import { fmt, smallTable } from './stepParts';

const FEATURES = 6;

export function normAxesBlock(s: StepTrace, tokens: readonly { text: string }[]): HTMLElement {
  const rows = s.normBatch;
  if (!rows || rows.length < 2) return el('span');
  const ln = layerNormStats(rows), bn = batchNormStats(rows, FEATURES);
  const features = Array.from({ length: bn.length }, (_, c) => `x${c}`);
  const pair = (a: { mean: number; std: number }) => `${fmt(a.mean)} / ${fmt(a.std)}`;
  return el('div', { id: 'step-norm-axes' },
    el('p', {}, t('LayerNorm vs BatchNorm on the first {0} tokens of your selection (input + attention, this layer): LayerNorm takes each row\'s mean / std over all {1} features of one token; BatchNorm would take each column\'s over the tokens of the batch, so one token\'s result would depend on the others.', rows.length, rows[0].length)),
    smallTable('norm-axes-table', [t('token'), ...features, t('LN mean / std (row)')], [
      ...rows.map((r, i) => [`${i} ${tokenLabel(tokens[i]?.text ?? '')}`, ...r.slice(0, bn.length).map(fmt), pair(ln[i])]),
      [t('BN mean / std (column)'), ...bn.map(pair), ''],
    ]));
}
