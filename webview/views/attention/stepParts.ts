/**
 * Pieces the step trace's blocks share: number formatting (−∞ shown, small and large values
 * in exponent form), short vector previews, and one block (title, content, explanation).
 */
import { el } from '../../dom';
import { explanation, type Topic } from './explain';

export function fmt(v: number): string {
  if (v === -Infinity) return '−∞';
  if (v === Infinity) return '∞';
  if (Number.isNaN(v)) return 'NaN';
  const a = Math.abs(v);
  return (a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(4)).replace('-', '−');
}

/** The first n values: `[0.1234, −0.5000, … (64)]`. */
export const vec = (v: readonly number[], n = 8): string => `[${v.slice(0, n).map(fmt).join(', ')}${v.length > n ? `, … (${v.length})` : ''}]`;
export const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

export function stepBlock(title: string, body: (Node | string)[], topic?: Topic, id?: string): HTMLElement {
  return el('div', { class: 'step', id }, el('div', { class: 'step-main' }, el('h4', {}, title), ...body), topic ? el('div', { class: 'step-why' }, explanation(topic)) : el('span'));
}

/** A small table: a header row and rows of cells (strings). */
export function smallTable(id: string, header: string[], rows: string[][]): HTMLElement {
  return el('div', { class: 'table-scroll' }, el('table', { class: 'step-table', id },
    el('thead', {}, el('tr', {}, ...header.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, r[0]), ...r.slice(1).map((c) => el('td', {}, c)))))));
}
