/**
 * The panel's Compare & chat tab (messages in src/shared/tokenizerToolsProtocol.ts).
 * Compare: 2–8 tokenizers on the selection — each one's count, characters and bytes per
 * token, then the text cut at every boundary any of them makes, one row per tokenizer in
 * blocks whose columns line up, a bar where that tokenizer cuts: faint where all of them
 * cut, strong where they differ. Chat: messages (system, then the selection or a typed user
 * message) through a tokenizer's chat template — the rendered prompt with each special
 * token highlighted, its ids and count, add_generation_prompt on or off; a tokenizer
 * without a template gets a button for the generic ChatML one, never used unasked.
 */
import type { WebviewToHost } from '../../../src/shared/protocol';
import type { PanelChat, PanelChatMessage, PanelComparison, TokenizerToolsHostToWebview } from '../../../src/shared/tokenizerToolsProtocol';
import { button } from '../../components/toolkit';
import { el, visible } from '../../dom';
import { t } from '../../l10n';
import { errorCode, PANEL_ERROR_TEXT, type CodedError } from '../../../src/shared/engineErrors';

/** A coded notice from the engine in the display language (undefined: show the engine's text). */
function codedNotice(coded: CodedError | undefined): string | undefined {
  const c = errorCode({ coded });
  return c ? t(PANEL_ERROR_TEXT[c.code], ...c.args) : undefined;
}

export interface CompareView { node: HTMLElement; receive(m: TokenizerToolsHostToWebview): void }

/** Pieces per aligned block: the rows wrap as blocks, each a table whose columns line up. */
const PIECES_PER_BLOCK = 24;
const SHARED_BAR = '1px solid var(--vscode-descriptionForeground)';
const DIFFERING_BAR = '2px solid var(--vscode-editorWarning-foreground, orange)';

function field(label: string, control: HTMLElement): HTMLElement {
  return el('label', { class: 'field' }, el('span', {}, label), control);
}

function checkbox(id: string, label: string, checked: boolean): { node: HTMLElement; input: HTMLInputElement } {
  const input = el('input', { type: 'checkbox', id, checked });
  return { node: el('label', { class: 'field' }, input, ` ${label}`), input };
}

/** "o200k_base uses 67% fewer tokens than r50k_base on this text (2 vs 6)." from the counts, in the panel's language. */
export function comparisonSummary(r: PanelComparison): string {
  const counts = r.tokenizers.map((x) => x.count);
  const fewest = Math.min(...counts), most = Math.max(...counts);
  if (fewest === most) return t('All {0} tokenizers use {1} tokens on this text.', r.tokenizers.length, most);
  const names = (n: number) => r.tokenizers.filter((x) => x.count === n).map((x) => x.name).join(t(' and '));
  return t('{0}: {1}% fewer tokens than {2} on this text ({3} vs {4}).', names(fewest), Math.round(100 * (1 - fewest / most)), names(most), fewest, most);
}

function comparisonNode(r: PanelComparison): HTMLElement {
  const table = el('table', { id: 'compare-counts' },
    el('thead', {}, el('tr', {}, ...[t('tokenizer'), t('tokens'), t('characters / token'), t('bytes / token'), t('vocabulary')].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...r.tokenizers.map((x) => el('tr', {}, el('td', {}, x.name), el('td', {}, String(x.count)),
      el('td', {}, x.charactersPerToken.toFixed(2)), el('td', {}, x.bytesPerToken.toFixed(2)), el('td', {}, x.vocabSize.toLocaleString())))));
  const cuts = r.tokenizers.map((x) => new Set(x.boundaries));
  const shared = new Set(r.shared);
  const offsets = [...new Set([0, r.shown, ...r.tokenizers.flatMap((x) => x.boundaries)])].sort((a, b) => a - b);
  const blocks: HTMLElement[] = [];
  for (let b = 0; b + 1 < offsets.length; b += PIECES_PER_BLOCK) {
    const starts = offsets.slice(b, Math.min(b + PIECES_PER_BLOCK, offsets.length - 1));
    const rows = r.tokenizers.map((x, i) => el('tr', {}, el('th', { scope: 'row' }, x.name), ...starts.map((start, j) => {
      const cell = el('td', {}, visible(r.text.slice(start, offsets[b + j + 1])));
      cell.style.fontFamily = 'var(--vscode-editor-font-family)';
      cell.style.whiteSpace = 'pre';
      cell.style.padding = '0 2px';
      if (cuts[i].has(start)) cell.style.borderLeft = shared.has(start) ? SHARED_BAR : DIFFERING_BAR;
      return cell;
    })));
    const block = el('table', { class: 'compare-block' }, el('tbody', {}, ...rows));
    block.style.borderCollapse = 'collapse';
    block.style.marginBottom = '0.5em';
    blocks.push(block);
  }
  const cut = r.shown < r.length ? [el('p', { class: 'muted' }, t('The rows show the first {0} of {1} characters; the counts cover all of them.', r.shown, r.length))] : [];
  return el('section', { id: 'compare-result' },
    el('p', { id: 'compare-summary' }, comparisonSummary(r)), table,
    el('p', { class: 'muted' }, t('A bar marks where a tokenizer starts a token: faint where every tokenizer cuts, strong where they differ.')),
    ...blocks, ...cut);
}

function chatNode(r: PanelChat): HTMLElement {
  const pre = el('pre', { id: 'chat-prompt' });
  pre.style.whiteSpace = 'pre-wrap';
  let end = 0;
  for (const tok of r.tokens) {
    if (!tok.special || tok.end <= tok.start) continue;
    if (tok.start > end) pre.append(r.text.slice(end, tok.start));
    const mark = el('mark', { class: 'special-token', title: `id ${tok.id}` }, r.text.slice(tok.start, tok.end));
    mark.style.background = 'var(--vscode-editor-findMatchHighlightBackground)';
    mark.style.color = 'inherit'; // <mark>'s own black is unreadable on the dark themes' translucent highlight
    pre.append(mark);
    end = tok.end;
  }
  pre.append(r.text.slice(end));
  const specials = r.tokens.filter((x) => x.special).length;
  return el('section', { id: 'chat-result' },
    el('p', {}, t('{0} tokens ({1} special) · template: {2}', r.ids.length, specials, r.template === 'generic' ? t('generic') : r.template)),
    ...(r.notice ? [el('p', { class: 'muted', id: 'chat-notice' }, codedNotice(r.noticeCoded) ?? r.notice)] : []),
    pre, el('details', {}, el('summary', {}, t('Token IDs')), el('code', { id: 'chat-ids' }, r.ids.join(' '))));
}

export function compareView(post: (m: WebviewToHost) => void): CompareView {
  const list = el('input', { id: 'compare-tokenizers', value: 'gpt2,cl100k_base,o200k_base', size: 60 });
  const compareOut = el('div', { id: 'compare-out' }, el('p', { class: 'muted' }, t('Name 2 to 8 tokenizers: built-ins, tokenizer.json files, folders or Hub ids (a Hub tokenizer not in the Hugging Face cache is fetched alone, without the weights).')));
  const compare = () => {
    const tokenizers = list.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (tokenizers.length < 2 || tokenizers.length > 8) { compareOut.replaceChildren(el('p', { class: 'error', role: 'alert' }, t('Name 2 to 8 tokenizers, separated by commas.'))); return; }
    compareOut.replaceChildren(el('p', { class: 'muted' }, t('Tokenizing the selection with each…')));
    post({ type: 'requestCompare', tokenizers });
  };

  const chatTokenizer = el('input', { id: 'chat-tokenizer', size: 60, placeholder: t('a folder with tokenizer.json and tokenizer_config.json, or a Hub id') });
  const system = el('textarea', { id: 'chat-system', rows: 2, cols: 60 });
  const user = el('textarea', { id: 'chat-user', rows: 3, cols: 60 });
  const useSelection = checkbox('chat-selection', t('The selection is the user message'), true);
  const generation = checkbox('chat-generation-prompt', t('Add the generation prompt (add_generation_prompt)'), true);
  const chatOut = el('div', { id: 'chat-out' });
  const chat = (genericTemplate: boolean) => {
    const messages: PanelChatMessage[] = [];
    if (system.value.trim()) messages.push({ role: 'system', content: system.value });
    if (!useSelection.input.checked) messages.push({ role: 'user', content: user.value });
    if (!chatTokenizer.value.trim()) { chatOut.replaceChildren(el('p', { class: 'error', role: 'alert' }, t('Name the tokenizer whose chat template to use.'))); return; }
    chatOut.replaceChildren(el('p', { class: 'muted' }, t('Rendering the chat template…')));
    post({ type: 'requestChat', tokenizer: chatTokenizer.value.trim(), messages, addGenerationPrompt: generation.input.checked, genericTemplate, selectionAsUser: useSelection.input.checked });
  };

  const node = el('section', { id: 'compare-view' },
    el('h3', {}, t('Tokenizers side by side')), field(t('Tokenizers'), list), button(t('Compare on the selection'), compare, 'primary', 'compare-run'), compareOut,
    el('h3', {}, t('Chat template')), field(t('Tokenizer'), chatTokenizer), field(t('System message (optional)'), system), useSelection.node,
    field(t('User message'), user), generation.node, button(t('Render the chat prompt'), () => chat(false), 'primary', 'chat-run'), chatOut);
  return {
    node,
    receive(m) {
      switch (m.type) {
        case 'compared': compareOut.replaceChildren(comparisonNode(m.result)); break;
        case 'compareError': compareOut.replaceChildren(el('p', { class: 'error', role: 'alert', id: 'compare-error' }, m.message)); break;
        case 'chatted': chatOut.replaceChildren(chatNode(m.result)); break;
        case 'chatError':
          chatOut.replaceChildren(el('p', { class: 'error', role: 'alert', id: 'chat-error' }, m.message),
            ...(m.noTemplate ? [el('p', {}, t('This tokenizer has no chat template. A generic ChatML template can stand in, but it is not what this model was trained on.')),
              button(t('Use the generic ChatML template'), () => chat(true), 'secondary', 'chat-generic')] : []));
          break;
      }
    },
  };
}
