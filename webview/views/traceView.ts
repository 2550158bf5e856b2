/**
 * How one token was made: the pipeline stages, then for its piece the byte symbols and
 * every BPE merge in order (pair, result, rank), the WordPiece longest-match attempts,
 * or the Unigram score; beside them the explanation of the algorithm that ran (BPE and
 * `</w>`, byte-level BPE with the piece's own characters as UTF-8 bytes, WordPiece `##`,
 * special tokens such as [CLS] / [SEP]).
 */
import type { PanelToken, TraceResult } from '../../src/shared/protocol';
import { el, hex, visible } from '../dom';
import { t } from '../l10n';
import { explanation, type Topic } from './attention/explain';
import { utf8Characters } from './utf8Chars';
import { stageDetail, stageLabel, stageName } from './stageText';

function table(headers: string[], rows: (string | number)[][], id: string): HTMLElement {
  return el('table', { id }, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, String(c)))))));
}

/** The explanations that fit what this trace shows. */
function topicsFor(trace: TraceResult, token: PanelToken | undefined): Topic[] {
  const p = trace.piece;
  const topics: Topic[] = [];
  if (token?.special || p?.special) topics.push('special');
  if (p?.merges) topics.push('bpe');
  if (p?.bytes && p.byteSymbols) topics.push('bbpe');
  if (p?.attempts) topics.push('wordpiece');
  return topics;
}

export function renderTrace(trace: TraceResult, token: PanelToken | undefined): HTMLElement {
  const out = el('section', { class: 'trace', id: 'trace' });
  if (token) {
    out.append(el('h3', {}, t('Token {0}: ', trace.tokenIndex + 1), el('code', {}, token.text), ` → id ${token.id}`),
      el('p', { class: 'muted' }, `${t('bytes {0}', hex(token.bytes))}${token.rank !== undefined ? ` · ${t('rank {0}', token.rank)}` : ''}${token.special ? ` · ${t('special token')}` : ''}`));
  }
  out.append(el('h4', {}, t('Pipeline')), el('ol', { class: 'stages' }, ...trace.stages.map((s) =>
    el('li', { 'data-stage': s.stage }, el('strong', {}, stageLabel(s.stage)), ` — ${stageName(s)}`, stageDetail(s) ? el('span', { class: 'muted' }, ` (${stageDetail(s)})`) : ''))));
  const p = trace.piece;
  const why = () => el('div', { class: 'trace-why', id: 'trace-why' }, ...topicsFor(trace, token).map((topic) => explanation(topic)));
  if (!p) { out.append(el('p', { class: 'muted' }, token?.special ? t('Added by the post-processor (not from the text).') : t('No trace for this token.')), why()); return out; }
  out.append(el('h4', {}, t('Pre-token')), el('p', {}, el('code', {}, visible(p.text)), el('span', { class: 'muted' }, `  [${p.start}, ${p.end})`)));
  if (p.special) out.append(el('p', {}, t('Matched as a special token before the model ran.')));
  if (p.bytes && p.byteSymbols) {
    out.append(el('h4', {}, t('Bytes → byte-level symbols')), table([t('byte'), t('symbol')], p.bytes.map((b, i) => [`0x${b.toString(16).padStart(2, '0')}`, p.byteSymbols![i]]), 'bytes-table'));
  }
  const wide = utf8Characters(p.text);
  if (wide.length) out.append(el('p', { id: 'trace-utf8' }, t('Characters beyond ASCII are several UTF-8 bytes: {0}', wide.join(' · '))));
  if (p.initial) out.append(el('h4', {}, t('Start')), el('p', { class: 'symbols' }, ...p.initial.map((s) => el('span', { class: 'symbol' }, s))));
  if (p.merges) {
    out.append(el('h4', {}, t('BPE merges ({0}), lowest rank first', p.merges.length)),
      p.merges.length ? table(['#', t('pair'), t('merged'), t('rank')], p.merges.map((m, i) => [i + 1, `${m.left} + ${m.right}`, m.merged, m.rank]), 'merges-table') : el('p', { class: 'muted' }, t('The piece is already one token.')));
  }
  if (p.attempts) {
    out.append(el('h4', {}, t('WordPiece: greedy longest match first')),
      table([t('candidate'), t('in vocabulary?')], p.attempts.map((a) => [a.candidate, a.found ? t('yes') : t('no')]), 'attempts-table'));
  }
  if (p.score !== undefined) out.append(el('p', {}, t('Unigram: best segmentation log-probability {0}', p.score.toFixed(3))));
  out.append(el('p', { class: 'muted' }, t('Piece ids: {0}', p.tokenIds.join(', '))), why());
  return out;
}
