/**
 * The logit lens as a layer × position grid: each cell the top next-token guess after that
 * layer (row L: the model's own output), shaded by its probability; hovering a cell lists
 * its top five; clicking a position (its header or any cell below it) shows how the model's
 * final prediction there ranked after each layer. Exports: CSV, JSON, PNG (the grid drawn
 * on a canvas). Legend: L layers, T tokens.
 */
import type { WebviewToHost } from '../../../src/shared/protocol';
import type { PanelLens } from '../../../src/shared/residualProtocol';
import { button } from '../../components/toolkit';
import { capped, el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { pngExport } from '../attention/exporter';
import { lensExplain } from './residualExplain';
import { lensCellGuesses, lensCsv, lensGrid, settlesAt, trajectory } from './residualMath';

const CELL_TEXT = 6;
const pct = (p: number) => `${(100 * p).toFixed(1)}%`;

function trajectoryView(lens: PanelLens, position: number): HTMLElement {
  const final = lens.vocab[lens.finalIds[position]] ?? '';
  const rows = trajectory(lens, position).map(({ layer, rank, prob }) => el('tr', { class: rank === 0 ? 'is-top' : '' },
    el('th', { scope: 'row' }, layer === lens.layers ? t('{0} (output)', layer) : String(layer)),
    el('td', {}, String(rank)), el('td', {}, pct(prob)),
    el('td', {}, bar(prob))));
  return el('section', { id: 'lens-trajectory', 'data-position': position },
    el('h4', {}, t('Position {0} “{1}”: the final prediction “{2}” layer by layer', position, tokenLabel(lens.tokens[position].text), tokenLabel(final))),
    el('p', { class: 'muted' }, t('It is the top guess from layer {0} on.', settlesAt(lens, position))),
    el('div', { class: 'table-scroll' }, el('table', { class: 'step-table', id: 'lens-trajectory-table' },
      el('thead', {}, el('tr', {}, ...[t('layer'), t('rank'), t('probability'), ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows))));
}

export function bar(prob: number): HTMLElement {
  const b = el('span', { class: 'prob-bar' });
  b.style.width = `${Math.max(1, Math.round(80 * prob))}px`;
  return b;
}

/** The grid on a canvas, for the PNG export: one square per cell, the shade its probability. */
function gridCanvas(lens: PanelLens): HTMLCanvasElement {
  const s = 12, c = el('canvas', { width: lens.T * s, height: lens.layers * s });
  const g = c.getContext('2d')!;
  lensGrid(lens).forEach((row, l) => row.forEach((cell, p) => {
    const v = Math.round(255 * (1 - cell.prob));
    g.fillStyle = `rgb(${v}, ${v}, 255)`;
    g.fillRect(p * s, l * s, s - 1, s - 1);
  }));
  return c;
}

export function lensView(lens: PanelLens, post: (m: WebviewToHost) => void): HTMLElement {
  const grid = lensGrid(lens);
  const card = el('div', { class: 'lens-card', id: 'lens-card', role: 'tooltip', hidden: true });
  const detail = el('div', { id: 'lens-detail' }, el('p', { class: 'muted' }, t('Click a position to follow its prediction through the layers.')));
  const select = (position: number) => detail.replaceChildren(trajectoryView(lens, position));
  const header = el('tr', {}, el('th', { scope: 'col' }, t('layer')), ...lens.tokens.map((tok, p) => {
    const th = el('th', { scope: 'col', class: 'lens-pos', tabindex: 0, 'data-position': p, title: t('position {0}', p) }, capped(tokenLabel(tok.text), CELL_TEXT));
    th.addEventListener('click', () => select(p));
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(p); } });
    return th;
  }));
  const body = grid.map((row, l) => el('tr', {}, el('th', { scope: 'row' }, l + 1 === lens.layers ? t('{0} (output)', l + 1) : String(l + 1)), ...row.map((cell) => {
    const td = el('td', { class: `lens-cell${cell.isFinal ? ' is-final' : ''}`, 'data-layer': cell.layer, 'data-position': cell.position, 'data-id': cell.id }, capped(tokenLabel(cell.text), CELL_TEXT));
    td.style.setProperty('--p', cell.prob.toFixed(3));
    return td;
  })));
  const table = el('table', { class: 'lens-grid', id: 'lens-grid' }, el('thead', {}, header), el('tbody', {}, ...body));
  table.addEventListener('mouseover', (e) => {
    const td = (e.target as HTMLElement).closest('td.lens-cell') as HTMLElement | null;
    if (!td) return;
    const layer = Number(td.dataset.layer), position = Number(td.dataset.position);
    card.replaceChildren(
      el('strong', {}, t('Layer {0}, position {1} “{2}”', layer, position, tokenLabel(lens.tokens[position].text))),
      el('ol', {}, ...lensCellGuesses(lens, layer, position).map((g) => el('li', {}, `${tokenLabel(g.text)}  ${pct(g.prob)}`))));
    card.hidden = false;
    const box = td.getBoundingClientRect(), host = wrap.getBoundingClientRect();
    card.style.left = `${Math.max(0, Math.min(box.left - host.left, host.width - 220))}px`;
    card.style.top = `${box.bottom - host.top + wrap.scrollTop + 4}px`;
  });
  table.addEventListener('mouseleave', () => { card.hidden = true; });
  table.addEventListener('click', (e) => {
    const td = (e.target as HTMLElement).closest('td.lens-cell') as HTMLElement | null;
    if (td) select(Number(td.dataset.position));
  });
  const wrap = el('div', { class: 'lens-wrap' }, el('div', { class: 'table-scroll' }, table), card);
  const name = lens.model.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'model';
  const exports = el('div', { class: 'toolbar' },
    button(t('Export CSV'), () => post({ type: 'export', format: 'csv', fileName: `${name}-lens.csv`, data: lensCsv(lens) }), 'secondary', 'lens-export-csv'),
    button(t('Export JSON'), () => post({ type: 'export', format: 'json', fileName: `${name}-lens.json`, data: JSON.stringify(lens) }), 'secondary', 'lens-export-json'),
    button(t('Export PNG'), () => post(pngExport(gridCanvas(lens), `${name}-lens`)), 'secondary', 'lens-export-png'));
  return el('section', { id: 'lens-view' },
    el('p', { class: 'muted', id: 'lens-summary' }, t('{0}: {1} layers × {2} positions. Forward pass {3} ms; the lens {4} ms and the loss {5} ms beyond it.', lens.model, lens.layers, lens.T,
      lens.timings.forward.toFixed(0), lens.timings.lens.toFixed(0), lens.timings.loss.toFixed(0))),
    ...(lens.notice ? [el('p', { class: 'muted' }, lens.notice)] : []),
    exports, wrap, detail, lensExplain());
}
