/**
 * The tokens view: counts, then the text as coloured token chips (click one for its
 * trace, double-click to select it in the editor), then an id list and the explanations that
 * fit the tokenizer (byte-level BPE, WordPiece ##, special tokens such as [CLS] / [SEP]).
 */
import type { PanelToken, TokenizeResult } from '../../src/shared/protocol';
import { capped, el, hex } from '../dom';
import { readableTokenText } from '../../src/shared/visibleText';
import { t } from '../l10n';
import { explanation, type Topic } from './attention/explain';

export interface TokensViewEvents {
  inspect(index: number): void;
  reveal(index: number): void;
}

const PALETTE_SIZE = 6;

function chip(tok: PanelToken, index: number, events: TokensViewEvents, byteLevel: boolean): HTMLElement {
  // what the token stands for, whitespace marked (␣ ⏎ →); its vocabulary spelling is in the title and the trace
  const label = readableTokenText(tok, tok.source, byteLevel);
  const node = el('span', {
    class: `token c${index % PALETTE_SIZE}${tok.special ? ' special' : ''}`, role: 'button', tabindex: 0,
    'data-index': index, 'data-id': tok.id,
    'aria-label': tok.special ? t('token {0}: id {1}, special token {2}', index + 1, tok.id, capped(tok.text, 200)) : t('token {0}: id {1}, {2}', index + 1, tok.id, capped(tok.text, 200)),
    title: `id ${tok.id}${tok.rank !== undefined ? ` · ${t('rank {0}', tok.rank)}` : ''} · ${capped(tok.text, 1000)} · ${t('bytes {0}', capped(hex(tok.bytes), 3000))}${tok.special ? ` · ${t('special')}` : ''}`,
  }, capped(label)); // a token of thousands of characters would fill the view: capped here, whole in the trace
  node.addEventListener('click', () => events.inspect(index));
  node.addEventListener('dblclick', () => events.reveal(index));
  node.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); events.inspect(index); } });
  return node;
}

/** The explanations for what this tokenizer shows: byte-level BPE, WordPiece's ##, special tokens such as [CLS] / [SEP]. */
function tokensTopics(result: TokenizeResult): Topic[] {
  const topics: Topic[] = [];
  if (result.byteLevel) topics.push('bpe', 'bbpe');
  if (result.tokens.some((tok) => tok.text.startsWith('##'))) topics.push('wordpiece');
  if (result.tokens.some((tok) => tok.special)) topics.push('special');
  return topics;
}

export function renderTokens(result: TokenizeResult, events: TokensViewEvents): HTMLElement {
  const c = result.counts;
  const counts = el('p', { class: 'counts', id: 'counts' },
    el('strong', {}, t('{0} tokens', c.tokens.toLocaleString('en-US'))), ` · ${t('{0} characters', c.characters.toLocaleString('en-US'))} · ${t('{0} bytes', c.bytes.toLocaleString('en-US'))} · `,
    el('span', { class: 'muted' }, `${result.tokenizer} · ${result.source}`));
  const chips = el('div', { class: 'tokens', id: 'tokens', role: 'list' });
  result.tokens.forEach((tok, i) => chips.append(chip(tok, i, events, result.byteLevel === true)));
  const notice = result.truncated ? el('p', { class: 'notice' }, t('Showing the first {0} tokens; the counts cover the whole selection.', result.tokens.length.toLocaleString('en-US'))) : '';
  const ids = el('pre', { class: 'ids', id: 'ids', 'aria-label': t('token ids') }, result.tokens.map((tok) => tok.id).join(', '));
  return el('section', {}, counts, chips, notice, el('h3', {}, t('IDs')), ids,
    el('div', { class: 'tokens-why', id: 'tokens-why' }, ...tokensTopics(result).map((topic) => explanation(topic))));
}
