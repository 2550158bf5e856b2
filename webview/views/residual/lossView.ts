/**
 * Per-token loss in the panel, as GLTR shows it: the text with each token coloured by the
 * rank the model gave it (top 10 / 100 / 1000 / beyond), the perplexity and mean nats, and
 * a table of every token's −log p, rank and the model's top guesses there. Exports: CSV,
 * JSON, PNG (one bar per token, its height the loss, its colour the bucket).
 */
import type { WebviewToHost } from '../../../src/shared/protocol';
import type { PanelLoss } from '../../../src/shared/residualProtocol';
import { button } from '../../components/toolkit';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { pngExport } from '../attention/exporter';
import { lossExplain } from './residualExplain';
import { bucketCounts, lossCsv, meanNll, rankBucket } from './residualMath';

/** Canvas colours of the buckets (GLTR's green, yellow, red, violet). */
const BUCKET_RGB = ['#2ea043', '#d2b414', '#dc3c32', '#9650c8'];

export function bucketLabel(bucket: number): string {
  return [t('top 10'), t('top 100'), t('top 1000'), t('beyond the top 1000')][bucket];
}

function legend(loss: PanelLoss): HTMLElement {
  const counts = bucketCounts(loss);
  return el('p', { class: 'gltr-legend', id: 'loss-legend' }, ...counts.map((n, b) => el('span', { class: `gltr gltr-${b}` }, `${bucketLabel(b)}: ${n}`)));
}

function barsCanvas(loss: PanelLoss): HTMLCanvasElement {
  const w = 6, h = 120, top = Math.max(1, ...loss.nll.map((x) => x ?? 0));
  const c = el('canvas', { width: loss.tokens.length * w, height: h });
  const g = c.getContext('2d')!;
  loss.nll.forEach((x, i) => {
    if (x === null) return;
    g.fillStyle = BUCKET_RGB[rankBucket(loss.rank[i]!)];
    const bh = Math.max(1, Math.round((h * x) / top));
    g.fillRect(i * w, h - bh, w - 1, bh);
  });
  return c;
}

export function lossView(loss: PanelLoss, post: (m: WebviewToHost) => void): HTMLElement {
  const chips = loss.tokens.map((tok, i) => {
    const r = loss.rank[i], nll = loss.nll[i];
    const bucket = r === null ? undefined : rankBucket(r);
    return el('span', {
      class: bucket === undefined ? 'gltr gltr-none' : `gltr gltr-${bucket}`, 'data-position': i,
      ...(bucket !== undefined ? { 'data-bucket': bucket, 'data-rank': r!, 'data-nll': nll!.toFixed(6) } : {}),
      title: nll === null ? t('The first token: nothing before it predicts it.') : t('−log p = {0} nats · rank {1} ({2})', nll.toFixed(3), r!, bucketLabel(bucket!)),
    }, tokenLabel(tok.text));
  });
  const rows = loss.tokens.map((tok, i) => el('tr', { class: i === 0 ? 'muted' : '' },
    el('th', { scope: 'row' }, `${i} ${tokenLabel(tok.text)}`),
    el('td', {}, loss.nll[i] === null ? '—' : loss.nll[i]!.toFixed(3)),
    el('td', {}, loss.rank[i] === null ? '—' : String(loss.rank[i])),
    el('td', {}, loss.top[i] ? loss.top[i]!.map((g) => `${tokenLabel(g.text)} ${(100 * g.prob).toFixed(1)}%`).join(' · ') : t('(nothing before it)'))));
  const name = loss.model.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'model';
  return el('section', { id: 'loss-view' },
    el('p', { id: 'loss-summary' }, t('Perplexity {0} · mean loss {1} nats over {2} predicted tokens ({3}).', loss.perplexity.toFixed(2), meanNll(loss).toFixed(3), loss.tokens.length - 1, loss.model)),
    legend(loss),
    el('p', { class: 'gltr-text', id: 'loss-text' }, ...chips),
    el('div', { class: 'toolbar' },
      button(t('Export CSV'), () => post({ type: 'export', format: 'csv', fileName: `${name}-loss.csv`, data: lossCsv(loss) }), 'secondary', 'loss-export-csv'),
      button(t('Export JSON'), () => post({ type: 'export', format: 'json', fileName: `${name}-loss.json`, data: JSON.stringify({ model: loss.model, tokens: loss.tokens, token_nll: loss.nll, token_rank: loss.rank, top: loss.top, perplexity: loss.perplexity }) }), 'secondary', 'loss-export-json'),
      button(t('Export PNG'), () => post(pngExport(barsCanvas(loss), `${name}-loss`)), 'secondary', 'loss-export-png')),
    el('div', { class: 'table-scroll' }, el('table', { class: 'step-table', id: 'loss-table' },
      el('thead', {}, el('tr', {}, ...[t('token'), t('nats'), t('rank'), t('the model\'s top guesses')].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows))),
    el('p', { class: 'muted' }, t('The same colours in the editor: run “Transformer Tracer: Toggle Per-Token Loss on Selection”.')),
    lossExplain());
}
