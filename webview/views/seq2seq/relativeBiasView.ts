/**
 * T5's relative position bias for the chosen head: T5 adds no position vectors; each head
 * learns one number per bucket of the key − query distance, added to every score. Shown for
 * the encoder (bidirectional buckets, over the source) or the decoder (causal buckets, over
 * the target): each distance's bucket and bias in a table, and the bias of every (query,
 * key) cell as a heatmap (colour from the smallest to the largest bias). Computed here from
 * the settings and the bias table the worker sent (relativeBucket.ts).
 */
import type { PanelAttention } from '../../../src/shared/protocol';
import type { PanelSeq2Seq } from '../../../src/shared/seq2seqProtocol';
import { dropdown } from '../../components/toolkit';
import { el } from '../../dom';
import { t } from '../../l10n';
import { fmt } from '../attention/stepParts';
import type { Inspector } from '../attention/state';
import { biasGrid, distanceRows } from './relativeBucket';
import { drawRect, rectCell } from './rectHeatmap';

const MAX_DISTANCE_ROWS = 41;

export function relativeBiasView(ins: Inspector, s: PanelSeq2Seq): { node: HTMLElement; draw(): void } | undefined {
  const rel = s.relative;
  if (!rel) return undefined;
  let stack: 'encoder' | 'decoder' = 'encoder';
  const body = el('div', { id: 'relative-body' });
  const pick = dropdown('relative-stack', t('Stack'), [t('encoder'), t('decoder')], t('encoder'), (v) => { stack = v === t('decoder') ? 'decoder' : 'encoder'; draw(); });

  function draw(): void {
    const a: PanelAttention = ins.a;
    const head = Math.min(ins.state.heads[0] ?? 0, s.heads - 1);
    const bidirectional = stack === 'encoder';
    const tokens = bidirectional ? a.tokens.map((x) => x.text) : s.decoderTokens.map((x) => x.text);
    const T = tokens.length;
    const table = bidirectional ? rel!.encoder : rel!.decoder;
    const grid = biasGrid(table, s.heads, head, T, T, bidirectional, rel!.buckets, rel!.maxDistance);
    let lo = Infinity, hi = -Infinity;
    for (const v of grid.bias) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const shade = grid.bias.map((v) => (hi > lo ? 0.05 + (0.95 * (v - lo)) / (hi - lo) : 0.5));
    const canvas = el('canvas', { id: 'relative-heatmap', role: 'img', 'aria-label': t('Bias added by head {0} at each query (rows) and key (columns)', head) });
    const rows = distanceRows(table, s.heads, head, T, bidirectional, rel!.buckets, rel!.maxDistance);
    const shown = rows.length > MAX_DISTANCE_ROWS ? rows.filter((r) => Math.abs(r.distance) <= (MAX_DISTANCE_ROWS - 1) / 2) : rows;
    const tableEl = el('table', { class: 'step-table', id: 'relative-table' },
      el('thead', {}, el('tr', {}, ...[t('key − query'), t('bucket'), t('bias')].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...shown.map((r) => el('tr', { 'data-distance': r.distance }, el('td', {}, String(r.distance).replace('-', '−')), el('td', {}, String(r.bucket)), el('td', {}, fmt(r.bias))))));
    body.replaceChildren(
      el('p', { id: 'relative-summary' }, bidirectional
        ? t('Encoder, head {0}: {1} buckets, max distance {2}; bidirectional, so half the buckets are for keys after the query. Bias from {3} to {4}.', head, rel!.buckets, rel!.maxDistance, fmt(lo), fmt(hi))
        : t('Decoder, head {0}: {1} buckets, max distance {2}; causal, so only distances to earlier keys get buckets (later keys are masked). Bias from {3} to {4}.', head, rel!.buckets, rel!.maxDistance, fmt(lo), fmt(hi))),
      el('div', { class: 'mask-pair' }, el('div', { class: 'table-scroll' }, tableEl), el('div', { class: 'attention-scroll' }, canvas)));
    requestAnimationFrame(() => drawRect(canvas, shade, T, T, { cell: rectCell(T, 320), rowLabels: tokens, colLabels: tokens }));
  }

  return {
    node: el('section', { id: 'relative-bias' }, el('h4', {}, t('T5 relative position bias')),
      el('p', { class: 'muted' }, t('T5 adds no position vectors: each head learns one number per bucket of the distance key − query and adds it to q·k before the softmax. Near distances get a bucket each; far ones share buckets that grow logarithmically up to the max distance.')),
      pick, body),
    draw,
  };
}
