/**
 * The residual-stream views' messages, declared once for the three parties: the logit lens
 * and per-token loss (one forward pass, the panel's Residual stream tab), the per-token loss
 * alone (the editor's loss decorations) and the embeddings view (a token's row, its nearest
 * tokens, the same word in two contexts layer by layer). The webview asks (requestResidual,
 * requestEmbedding), the host asks the engine worker (ResidualRequest) and relays the answer.
 * Validators here are used by protocol.ts's isWebviewToHost / isHostToWebview.
 * Legend: L layers, T tokens, k guesses kept per cell, E embedding width.
 */
import type { CodedError } from './engineErrors';
import type { L10nText } from './l10nText';

export interface ResidualToken { id: number; text: string; start?: number; end?: number }

/** The logit lens over every layer: layers 1…L in order (layer L is the model's own output). */
export interface PanelLens {
  model: string;
  tokens: ResidualToken[];
  layers: number;
  T: number;
  k: number;
  top: number[][][]; // [L][T][k]  ids, most likely first
  probs: number[][][]; // [L][T][k]
  finalRank: number[][]; // [L][T]  rank of the model's final top-1 after that layer (0 = top)
  finalProb: number[][]; // [L][T]
  finalIds: number[]; // [T]
  /** The text of every id shown (decoded), keyed by id. */
  vocab: Record<string, string>;
  notice?: string;
  /** The notice's parts as codes (engineErrors.ts): the host translates them into `notice`. */
  noticeCoded?: CodedError[];
  /** milliseconds: the forward pass (keeping each layer's stream), the lens, the loss. */
  timings: { forward: number; lens: number; loss: number };
}

export interface LossGuess { id: number; prob: number; text: string }

/** −log p(token_t | tokens before it) in nats, its rank, the model's top guesses; position 0: null. */
export interface PanelLoss {
  model: string;
  tokens: ResidualToken[];
  nll: (number | null)[]; // [T]
  rank: (number | null)[]; // [T]
  top: (LossGuess[] | null)[]; // [T][k]
  perplexity: number;
  notice?: string;
  /** The notice's parts as codes (engineErrors.ts): the host translates them into `notice`. */
  noticeCoded?: CodedError[];
  timings: { forward: number; loss: number };
}

/** One of the two texts the word is compared in: its tokens and the token that stands for the word. */
export interface EmbeddingContext { text: string; tokens: ResidualToken[]; position: number }

export interface PanelEmbedding {
  model: string;
  word: string;
  /** The token whose row is shown (the word's last token in the first text, or the id asked for). */
  token: { id: number; text: string };
  row: number[]; // [E]
  nearest: { id: number; text: string; cosine: number }[];
  contexts: [EmbeddingContext, EmbeddingContext];
  /** Cosine of the word's hidden states in the two texts: layer 0 (embeddings) then after each layer. */
  layers: { layer: number; cosine: number }[];
  /** Cosine of the two tokens' embedding rows (1 when both texts use the same id). */
  staticCosine: number;
  positions: 'table' | 'rope' | 'relative';
  /** The word took more than one token (the last one is compared). */
  pieces: [number, number];
}

export type ResidualRequest =
  | { kind: 'lens'; model: string; text: string; topK?: number }
  | { kind: 'loss'; model: string; text: string; topK?: number }
  | { kind: 'embedding'; model: string; word: string; contextA: string; contextB: string; tokenId?: number; nearest?: number };

/** `loss` is absent when the text has one token (its problem says so). */
/** `lossProblemCoded`, `lossProblemL10n`: the loss's error code and translatable text, for the host to translate (engineErrors.ts, l10nText.ts). */
export interface ResidualAnswer { lens: PanelLens; loss?: PanelLoss; lossProblem?: string; lossProblemCoded?: CodedError; lossProblemL10n?: L10nText }

export interface EmbeddingAsk { word: string; contextA: string; contextB: string; tokenId?: number }

export type ResidualWebviewToHost =
  | { type: 'requestResidual' }
  | ({ type: 'requestEmbedding' } & EmbeddingAsk);

export type ResidualHostToWebview =
  | ({ type: 'residual' } & ResidualAnswer)
  /** `notCausal`: the model has no causal LM head (BERT, encoder–decoders): the view says what to use instead. */
  | { type: 'residualError'; message: string; notCausal?: boolean }
  | { type: 'embedding'; result: PanelEmbedding }
  | { type: 'embeddingError'; message: string };

/** Longest word or context text the embeddings view sends. */
export const MAX_CONTEXT_CHARS = 2_000;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isProb = (v: unknown): v is number => isNum(v) && v >= 0 && v <= 1 + 1e-6;
const isText = (v: unknown, max = MAX_CONTEXT_CHARS) => typeof v === 'string' && v.length <= max;

/** What is wrong with an embeddings question, in words, or undefined when it can run. */
export function embeddingAskProblem(m: Record<string, unknown>): string | undefined {
  if (!isText(m.word, 100) || (m.word as string).trim() === '') return 'the word is missing';
  if (!isText(m.contextA) || !isText(m.contextB)) return `each text must be a string of at most ${MAX_CONTEXT_CHARS} characters`;
  if (!(m.contextA as string).includes(m.word as string)) return `“${m.word as string}” does not occur in the first text`;
  if (!(m.contextB as string).includes(m.word as string)) return `“${m.word as string}” does not occur in the second text`;
  if (m.tokenId !== undefined && !isInt(m.tokenId)) return 'the token id must be a whole number';
  return undefined;
}

export function isResidualWebviewToHost(m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'requestResidual': return true;
    case 'requestEmbedding': return embeddingAskProblem(m) === undefined;
    default: return false;
  }
}

const isTokens = (v: unknown, T: number): v is ResidualToken[] => Array.isArray(v) && v.length === T
  && v.every((t) => isObj(t) && isInt(t.id) && typeof t.text === 'string' && (t.start === undefined || (isInt(t.start) && isInt(t.end) && t.start <= (t.end as number))));

const grid = (v: unknown, L: number, T: number, cell: (c: unknown) => boolean) => Array.isArray(v) && v.length === L
  && v.every((row) => Array.isArray(row) && row.length === T && row.every(cell));

/** A whole lens with its shapes: [L][T][k] ids and probabilities, [L][T] ranks, T tokens. */
export function isPanelLens(r: unknown): r is PanelLens {
  if (!isObj(r) || !isInt(r.layers) || !isInt(r.T) || !isInt(r.k) || r.layers < 1 || r.layers > 256 || r.T < 1 || r.T > 8192 || r.k < 1 || r.k > 20) return false;
  const { layers: L, T, k } = r;
  const kList = (isCell: (x: unknown) => boolean) => (c: unknown) => Array.isArray(c) && c.length === k && c.every(isCell);
  return typeof r.model === 'string' && isTokens(r.tokens, T)
    && grid(r.top, L, T, kList(isInt)) && grid(r.probs, L, T, kList(isProb))
    && grid(r.finalRank, L, T, isInt) && grid(r.finalProb, L, T, isProb)
    && Array.isArray(r.finalIds) && r.finalIds.length === T && r.finalIds.every(isInt)
    && isObj(r.vocab) && Object.values(r.vocab).every((s) => typeof s === 'string')
    && (r.notice === undefined || typeof r.notice === 'string')
    && isObj(r.timings) && isNum(r.timings.forward) && isNum(r.timings.lens) && isNum(r.timings.loss);
}

const isGuess = (g: unknown) => isObj(g) && isInt(g.id) && isProb(g.prob) && typeof g.text === 'string';

/** A per-token loss: T ≥ 2 tokens, position 0 null and every later one a number. */
export function isPanelLoss(r: unknown): r is PanelLoss {
  if (!isObj(r) || !Array.isArray(r.tokens) || r.tokens.length < 2 || r.tokens.length > 8192) return false;
  const T = r.tokens.length;
  const perPosition = (v: unknown, ok: (x: unknown) => boolean) => Array.isArray(v) && v.length === T && v[0] === null && v.slice(1).every(ok);
  return typeof r.model === 'string' && isTokens(r.tokens, T)
    && perPosition(r.nll, (x) => isNum(x) && x >= 0) && perPosition(r.rank, isInt)
    && perPosition(r.top, (x) => Array.isArray(x) && x.length <= 20 && x.every(isGuess))
    && isNum(r.perplexity) && r.perplexity >= 1 - 1e-6
    && (r.notice === undefined || typeof r.notice === 'string')
    && isObj(r.timings) && isNum(r.timings.forward) && isNum(r.timings.loss);
}

const isContext = (c: unknown) => isObj(c) && typeof c.text === 'string' && Array.isArray(c.tokens) && isTokens(c.tokens, c.tokens.length)
  && isInt(c.position) && c.position < c.tokens.length;

export function isPanelEmbedding(r: unknown): r is PanelEmbedding {
  if (!isObj(r) || !Array.isArray(r.row) || r.row.length === 0 || r.row.length > 65_536) return false;
  return typeof r.model === 'string' && typeof r.word === 'string' && isObj(r.token) && isInt(r.token.id) && typeof r.token.text === 'string'
    && r.row.every(isNum)
    && Array.isArray(r.nearest) && r.nearest.length <= 100 && r.nearest.every((n) => isObj(n) && isInt(n.id) && typeof n.text === 'string' && isNum(n.cosine))
    && Array.isArray(r.contexts) && r.contexts.length === 2 && r.contexts.every(isContext)
    && Array.isArray(r.layers) && r.layers.length >= 1 && r.layers.every((l, i) => isObj(l) && l.layer === i && isNum(l.cosine))
    && isNum(r.staticCosine) && (r.positions === 'table' || r.positions === 'rope' || r.positions === 'relative')
    && Array.isArray(r.pieces) && r.pieces.length === 2 && r.pieces.every((p) => isInt(p) && p >= 1);
}

export function isResidualHostToWebview(m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'residual': return isPanelLens(m.lens) && (m.loss === undefined || isPanelLoss(m.loss)) && (m.lossProblem === undefined || typeof m.lossProblem === 'string');
    case 'residualError': return typeof m.message === 'string' && (m.notCausal === undefined || typeof m.notCausal === 'boolean');
    case 'embedding': return isPanelEmbedding(m.result);
    case 'embeddingError': return typeof m.message === 'string';
    default: return false;
  }
}
