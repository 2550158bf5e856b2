/**
 * The tokens view: counts, then the text as coloured token chips (click one for its
 * trace, double-click to select it in the editor), then an id list.
 */
import type { PanelToken, TokenizeResult } from '../../src/shared/protocol';
import { capped, el, hex } from '../dom';
import { readableTokenText } from '../../src/shared/visibleText';

export interface TokensViewEvents {
  inspect(index: number): void;
  reveal(index: number): void;
}

const PALETTE_SIZE = 6;

function chip(t: PanelToken, index: number, events: TokensViewEvents, byteLevel: boolean): HTMLElement {
  // what the token stands for, whitespace marked (␣ ⏎ →); its vocabulary spelling is in the title and the trace
  const label = readableTokenText(t, t.source, byteLevel);
  const node = el('span', {
    class: `token c${index % PALETTE_SIZE}${t.special ? ' special' : ''}`, role: 'button', tabindex: 0,
    'data-index': index, 'data-id': t.id,
    'aria-label': `token ${index + 1}: id ${t.id}, ${t.special ? 'special token ' : ''}${capped(t.text, 200)}`,
    title: `id ${t.id}${t.rank !== undefined ? ` · rank ${t.rank}` : ''} · ${capped(t.text, 1000)} · bytes ${capped(hex(t.bytes), 3000)}${t.special ? ' · special' : ''}`,
  }, capped(label)); // a token of thousands of characters would fill the view: capped here, whole in the trace
  node.addEventListener('click', () => events.inspect(index));
  node.addEventListener('dblclick', () => events.reveal(index));
  node.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); events.inspect(index); } });
  return node;
}

export function renderTokens(result: TokenizeResult, events: TokensViewEvents): HTMLElement {
  const c = result.counts;
  const counts = el('p', { class: 'counts', id: 'counts' },
    el('strong', {}, `${c.tokens.toLocaleString('en-US')} tokens`), ` · ${c.characters.toLocaleString('en-US')} characters · ${c.bytes.toLocaleString('en-US')} bytes · `,
    el('span', { class: 'muted' }, `${result.tokenizer} · ${result.source}`));
  const chips = el('div', { class: 'tokens', id: 'tokens', role: 'list' });
  result.tokens.forEach((t, i) => chips.append(chip(t, i, events, result.byteLevel === true)));
  const notice = result.truncated ? el('p', { class: 'notice' }, `Showing the first ${result.tokens.length.toLocaleString('en-US')} tokens; the counts cover the whole selection.`) : '';
  const ids = el('pre', { class: 'ids', id: 'ids', 'aria-label': 'token ids' }, result.tokens.map((t) => t.id).join(', '));
  return el('section', {}, counts, chips, notice, el('h3', {}, 'IDs'), ids);
}
