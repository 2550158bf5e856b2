/**
 * The embeddings view: a word in two texts (defaults "river bank" / "bank account"; a
 * "time flies like an arrow" preset). Shows the word's token row of the embedding matrix as
 * a strip of colours (the id → vector lookup), its nearest tokens by cosine (click one to see
 * its row), and the cosine of the word's hidden states in the two texts after the
 * embeddings and after each layer: static → contextual. Exports: CSV, JSON, PNG (the strip).
 */
import type { WebviewToHost } from '../../../src/shared/protocol';
import type { EmbeddingAsk, PanelEmbedding } from '../../../src/shared/residualProtocol';
import { button } from '../../components/toolkit';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { pngExport } from '../attention/exporter';
import { bar } from './lensView';
import { embeddingExplain } from './residualExplain';
import { divergingColour, embeddingCsv, maxAbs } from './residualMath';

export const EMBEDDING_PRESETS: EmbeddingAsk[] = [
  { word: 'bank', contextA: 'We sat on the river bank.', contextB: 'She opened a bank account.' },
  { word: 'flies', contextA: 'Time flies like an arrow.', contextB: 'Fruit flies like a banana.' },
];

/** The row as a strip: one column of colour per channel, blue negative, red positive. */
export function rowStrip(row: readonly number[], height = 28): HTMLCanvasElement {
  const w = Math.max(2, Math.min(8, Math.floor(768 / row.length)));
  const c = el('canvas', { width: row.length * w, height, class: 'embedding-strip', id: 'embedding-strip', role: 'img' });
  const g = c.getContext('2d')!;
  const m = maxAbs(row);
  row.forEach((v, i) => { const [r, gr, b] = divergingColour(v, m); g.fillStyle = `rgb(${r}, ${gr}, ${b})`; g.fillRect(i * w, 0, w, height); });
  return c;
}

function contextLine(e: PanelEmbedding, i: 0 | 1): HTMLElement {
  const c = e.contexts[i];
  return el('p', { class: 'embedding-context' }, `${i === 0 ? 'A' : 'B'}: `,
    ...c.tokens.map((tok, p) => el('span', { class: p === c.position ? 'chip is-word' : 'chip' }, tokenLabel(tok.text))));
}

function result(e: PanelEmbedding, ask: (a: EmbeddingAsk) => void, current: EmbeddingAsk, post: (m: WebviewToHost) => void): HTMLElement {
  const strip = rowStrip(e.row);
  strip.setAttribute('aria-label', t('Embedding row of “{0}”: {1} numbers from {2} to {3}', tokenLabel(e.token.text), e.row.length, Math.min(...e.row).toFixed(3), Math.max(...e.row).toFixed(3)));
  const nearest = el('ol', { id: 'embedding-nearest' }, ...e.nearest.map((n) => {
    const b = el('button', { class: 'link-button', type: 'button', 'data-id': n.id }, tokenLabel(n.text));
    b.addEventListener('click', () => ask({ ...current, tokenId: n.id }));
    return el('li', {}, b, ` ${n.cosine.toFixed(3)}`);
  }));
  const rows = e.layers.map((l) => el('tr', {}, el('th', { scope: 'row' }, l.layer === 0 ? t('0 (embeddings)') : String(l.layer)), el('td', {}, l.cosine.toFixed(4)), el('td', {}, bar(Math.max(0, l.cosine)))));
  const first = e.layers[0].cosine, last = e.layers[e.layers.length - 1].cosine;
  const name = `${e.model.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'model'}-embedding-${e.token.id}`;
  const positionsNote = e.positions === 'table'
    ? t('This model adds a learned position vector to each token\'s row before layer 1, so at layer 0 the same token at two positions already differs a little (row cosine {0}).', e.staticCosine.toFixed(4))
    : t('This model adds no position vector to the embeddings (its positions enter inside attention), so layer 0 is the row itself (row cosine {0}).', e.staticCosine.toFixed(4));
  return el('div', { id: 'embedding-result' },
    el('h4', {}, t('Row {0} of the embedding matrix: “{1}” ({2} numbers)', e.token.id, tokenLabel(e.token.text), e.row.length)),
    el('div', { class: 'table-scroll' }, strip),
    el('p', { class: 'muted' }, t('Nearest tokens by cosine of their rows (click one to see its row):')),
    nearest,
    el('h4', {}, t('“{0}” in the two texts, layer by layer', e.word)),
    contextLine(e, 0), contextLine(e, 1),
    ...(e.pieces.some((p) => p > 1) ? [el('p', { class: 'muted' }, t('The word takes several tokens here; its last token (which has read all of it) is compared.'))] : []),
    el('div', { class: 'table-scroll' }, el('table', { class: 'step-table', id: 'embedding-layers' },
      el('thead', {}, el('tr', {}, ...[t('layer'), t('cosine'), ''].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...rows))),
    el('p', { id: 'embedding-summary' }, t('Cosine {0} at the embeddings, {1} after the last layer: static → contextual.', first.toFixed(3), last.toFixed(3))),
    el('p', { class: 'muted' }, positionsNote),
    el('div', { class: 'toolbar' },
      button(t('Export CSV'), () => post({ type: 'export', format: 'csv', fileName: `${name}.csv`, data: embeddingCsv(e) }), 'secondary', 'embedding-export-csv'),
      button(t('Export JSON'), () => post({ type: 'export', format: 'json', fileName: `${name}.json`, data: JSON.stringify(e) }), 'secondary', 'embedding-export-json'),
      button(t('Export PNG'), () => post(pngExport(strip, name)), 'secondary', 'embedding-export-png')));
}

export interface EmbeddingsViewHandle { node: HTMLElement; show(e: PanelEmbedding): void; error(message: string): void; askOnce(): void }

export function embeddingsView(post: (m: WebviewToHost) => void): EmbeddingsViewHandle {
  const field = (id: string, label: string, value: string) => {
    const input = el('input', { id, type: 'text', value, maxlength: 2000, spellcheck: false });
    return { input, node: el('label', { class: 'field embedding-field' }, el('span', {}, label), input) };
  };
  const word = field('embedding-word', t('Word'), EMBEDDING_PRESETS[0].word);
  const a = field('embedding-a', t('Text A'), EMBEDDING_PRESETS[0].contextA);
  const b = field('embedding-b', t('Text B'), EMBEDDING_PRESETS[0].contextB);
  const out = el('div', { id: 'embedding-out' });
  let asked = false;
  const ask = (q: EmbeddingAsk) => {
    asked = true;
    out.replaceChildren(el('p', { class: 'muted' }, t('Running the model on both texts…')));
    post({ type: 'requestEmbedding', ...q });
  };
  const read = (): EmbeddingAsk => ({ word: word.input.value, contextA: a.input.value, contextB: b.input.value });
  const compare = () => {
    const q = read();
    if (!q.word.trim() || !q.contextA.includes(q.word) || !q.contextB.includes(q.word)) { out.replaceChildren(el('p', { class: 'error', role: 'alert' }, t('Both texts must contain the word.'))); return; }
    ask(q);
  };
  const presets = EMBEDDING_PRESETS.map((p, i) => button(`${p.word}: ${p.contextA} / ${p.contextB}`, () => {
    word.input.value = p.word; a.input.value = p.contextA; b.input.value = p.contextB; compare();
  }, 'secondary', `embedding-preset-${i}`));
  return {
    node: el('section', { id: 'embeddings-view' },
      el('div', { class: 'embedding-form' }, word.node, a.node, b.node, button(t('Compare'), compare, 'primary', 'embedding-compare')),
      el('div', { class: 'toolbar' }, ...presets),
      out, embeddingExplain()),
    show(e) { out.replaceChildren(result(e, ask, read(), post)); },
    error(message) { out.replaceChildren(el('p', { class: 'error', role: 'alert', id: 'embedding-error' }, message)); },
    askOnce() { if (!asked) compare(); },
  };
}
