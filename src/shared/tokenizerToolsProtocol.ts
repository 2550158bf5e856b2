/**
 * The Compare & chat view's messages, declared once for the three parties: the webview asks
 * (requestCompare: 2–8 tokenizers on the selection; requestChat: messages through a tokenizer's
 * chat template), the host asks the engine worker (TokenizerToolsRequest), and relays the
 * answers (compared / chatted) or the reason they failed. Validators here are used by
 * protocol.ts's isWebviewToHost / isHostToWebview.
 */
import type { CodedError } from './engineErrors';

/** The panel draws the aligned rows over this many UTF-16 units of the selection; counts cover all of it. */
export const COMPARE_SHOWN_CHARS = 4_000;
export const MAX_COMPARED_TOKENIZERS = 8;
/** Messages the chat view sends at most, and characters in all of them together. */
export const MAX_CHAT_MESSAGES = 64;
export const MAX_CHAT_CHARS = 1_000_000;

export interface PanelComparedTokenizer {
  name: string;
  vocabSize: number;
  count: number;
  charactersPerToken: number;
  bytesPerToken: number;
  /** Boundaries (UTF-16 offsets) up to `shown`, sorted. */
  boundaries: number[];
}

export interface PanelComparison {
  /** The first `shown` UTF-16 units of the selection, which the rows draw. */
  text: string;
  shown: number;
  length: number;
  characters: number;
  bytes: number;
  tokenizers: PanelComparedTokenizer[];
  /** Boundaries every tokenizer cuts at, up to `shown`. */
  shared: number[];
  summary: string;
}

export interface PanelChatMessage { role: string; content: string }

export interface PanelChat {
  tokenizer: string;
  text: string;
  ids: number[];
  /** Where each token sits in `text`; `special` ones are highlighted. */
  tokens: { id: number; start: number; end: number; special: boolean }[];
  template: string;
  notice?: string;
  /** The notice as a code (engineErrors.ts): the webview shows it in the display language. */
  noticeCoded?: CodedError;
}

export interface ChatAsk {
  tokenizer: string;
  messages: PanelChatMessage[];
  addGenerationPrompt: boolean;
  genericTemplate: boolean;
}

export type TokenizerToolsRequest =
  | { kind: 'compare'; tokenizers: string[]; text: string; shownChars: number }
  | ({ kind: 'chat' } & ChatAsk);

export type TokenizerToolsWebviewToHost =
  | { type: 'requestCompare'; tokenizers: string[] }
  /** `selectionAsUser`: the host adds the selection as the last user message. */
  | ({ type: 'requestChat'; selectionAsUser: boolean } & ChatAsk);

export type TokenizerToolsHostToWebview =
  | { type: 'compared'; result: PanelComparison }
  | { type: 'compareError'; message: string }
  | { type: 'chatted'; result: PanelChat }
  /** `noTemplate`: the tokenizer has none; the view offers the generic template as an explicit choice. */
  | { type: 'chatError'; message: string; noTemplate?: boolean };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isName = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length < 4096;
const sorted = (v: unknown, max: number): boolean => Array.isArray(v) && v.every((x, i) => isInt(x) && x <= max && (i === 0 || x > (v[i - 1] as number)));

export function isChatMessages(v: unknown): v is PanelChatMessage[] {
  return Array.isArray(v) && v.length <= MAX_CHAT_MESSAGES
    && v.every((m) => isObj(m) && isName(m.role) && m.role.length <= 64 && typeof m.content === 'string')
    && v.reduce((n: number, m) => n + (m as PanelChatMessage).content.length, 0) <= MAX_CHAT_CHARS;
}

export function isTokenizerToolsWebviewToHost(m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'requestCompare': return Array.isArray(m.tokenizers) && m.tokenizers.length >= 2 && m.tokenizers.length <= MAX_COMPARED_TOKENIZERS && m.tokenizers.every(isName);
    case 'requestChat': return isName(m.tokenizer) && isChatMessages(m.messages) && typeof m.addGenerationPrompt === 'boolean'
      && typeof m.genericTemplate === 'boolean' && typeof m.selectionAsUser === 'boolean' && (m.messages.length > 0 || m.selectionAsUser);
    default: return false;
  }
}

export function isPanelComparison(r: unknown): r is PanelComparison {
  if (!isObj(r) || typeof r.text !== 'string' || !isInt(r.shown) || r.shown !== r.text.length || !isInt(r.length) || r.shown > r.length) return false;
  const shown = r.shown;
  return isInt(r.characters) && isInt(r.bytes) && typeof r.summary === 'string' && sorted(r.shared, shown)
    && Array.isArray(r.tokenizers) && r.tokenizers.length >= 2 && r.tokenizers.length <= MAX_COMPARED_TOKENIZERS
    && r.tokenizers.every((t) => isObj(t) && typeof t.name === 'string' && isInt(t.vocabSize) && isInt(t.count)
      && isNum(t.charactersPerToken) && isNum(t.bytesPerToken) && sorted(t.boundaries, shown));
}

export function isPanelChat(r: unknown): r is PanelChat {
  if (!isObj(r) || typeof r.text !== 'string' || typeof r.tokenizer !== 'string' || typeof r.template !== 'string') return false;
  const n = r.text.length;
  return Array.isArray(r.ids) && r.ids.every(isInt) && Array.isArray(r.tokens) && r.tokens.length === r.ids.length
    && r.tokens.every((t) => isObj(t) && isInt(t.id) && isInt(t.start) && isInt(t.end) && t.start <= t.end && t.end <= n && typeof t.special === 'boolean')
    && (r.notice === undefined || typeof r.notice === 'string');
}

export function isTokenizerToolsHostToWebview(m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'compared': return isPanelComparison(m.result);
    case 'chatted': return isPanelChat(m.result);
    case 'compareError': return typeof m.message === 'string';
    case 'chatError': return typeof m.message === 'string' && (m.noTemplate === undefined || typeof m.noTemplate === 'boolean');
    default: return false;
  }
}
