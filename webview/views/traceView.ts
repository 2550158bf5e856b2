/**
 * How one token was made: the pipeline stages, then for its piece the byte symbols and
 * every BPE merge in order (pair, result, rank), the WordPiece longest-match attempts,
 * or the Unigram score.
 */
import type { PanelToken, TraceResult } from '../../src/shared/protocol';
import { el, hex, visible } from '../dom';

function table(headers: string[], rows: (string | number)[][], id: string): HTMLElement {
  return el('table', { id }, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, String(c)))))));
}

export function renderTrace(trace: TraceResult, token: PanelToken | undefined): HTMLElement {
  const out = el('section', { class: 'trace', id: 'trace' });
  if (token) {
    out.append(el('h3', {}, `Token ${trace.tokenIndex + 1}: `, el('code', {}, token.text), ` → id ${token.id}`),
      el('p', { class: 'muted' }, `bytes ${hex(token.bytes)}${token.rank !== undefined ? ` · rank ${token.rank}` : ''}${token.special ? ' · special token' : ''}`));
  }
  out.append(el('h4', {}, 'Pipeline'), el('ol', { class: 'stages' }, ...trace.stages.map((s) =>
    el('li', {}, el('strong', {}, s.stage), ` — ${s.name}`, s.detail ? el('span', { class: 'muted' }, ` (${s.detail})`) : ''))));
  const p = trace.piece;
  if (!p) { out.append(el('p', { class: 'muted' }, token?.special ? 'Added by the post-processor (not from the text).' : 'No trace for this token.')); return out; }
  out.append(el('h4', {}, 'Pre-token'), el('p', {}, el('code', {}, visible(p.text)), el('span', { class: 'muted' }, `  [${p.start}, ${p.end})`)));
  if (p.special) out.append(el('p', {}, 'Matched as a special token before the model ran.'));
  if (p.bytes && p.byteSymbols) {
    out.append(el('h4', {}, 'Bytes → byte-level symbols'), table(['byte', 'symbol'], p.bytes.map((b, i) => [`0x${b.toString(16).padStart(2, '0')}`, p.byteSymbols![i]]), 'bytes-table'));
  }
  if (p.initial) out.append(el('h4', {}, 'Start'), el('p', { class: 'symbols' }, ...p.initial.map((s) => el('span', { class: 'symbol' }, s))));
  if (p.merges) {
    out.append(el('h4', {}, `BPE merges (${p.merges.length}), lowest rank first`),
      p.merges.length ? table(['#', 'pair', 'merged', 'rank'], p.merges.map((m, i) => [i + 1, `${m.left} + ${m.right}`, m.merged, m.rank]), 'merges-table') : el('p', { class: 'muted' }, 'The piece is already one token.'));
  }
  if (p.attempts) {
    out.append(el('h4', {}, 'WordPiece: greedy longest match first'),
      table(['candidate', 'in vocabulary?'], p.attempts.map((a) => [a.candidate, a.found ? 'yes' : 'no']), 'attempts-table'));
  }
  if (p.score !== undefined) out.append(el('p', {}, `Unigram: best segmentation log-probability ${p.score.toFixed(3)}`));
  out.append(el('p', { class: 'muted' }, `Piece ids: ${p.tokenIds.join(', ')}`));
  return out;
}
