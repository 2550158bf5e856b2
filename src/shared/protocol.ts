/**
 * Every message between the extension host and the panel webview, declared once and
 * used by both sides. The webview says `ready` first; the host queues until then.
 * Receivers validate with {@link isWebviewToHost} / {@link isHostToWebview}: unknown or
 * malformed messages are ignored (and logged), never acted on.
 */
import type { StepTrace } from './inspectTypes';
import type { StageDetailCode, StageNameCode } from './stageCodes';
import type { MaskDemoAnswer } from './engineProtocol';
import { MAX_TIMING_MARKS, type PanelTimingMarks } from './panelTiming';
import { isGenerateHostToWebview, isGenerateWebviewToHost, type GenerateHostToWebview, type GenerateWebviewToHost } from './generateProtocol';
import { isPanelSeq2Seq, isSeq2SeqHostToWebview, isSeq2SeqWebviewToHost, STEP_ATTENTIONS, type PanelSeq2Seq, type Seq2SeqHostToWebview, type Seq2SeqWebviewToHost, type StepAttention } from './seq2seqProtocol';
import { isResidualHostToWebview, isResidualWebviewToHost, type ResidualHostToWebview, type ResidualWebviewToHost } from './residualProtocol';
import { isTokenizerToolsHostToWebview, isTokenizerToolsWebviewToHost, type TokenizerToolsHostToWebview, type TokenizerToolsWebviewToHost } from './tokenizerToolsProtocol';
import { isVerifyHostToWebview, type VerifyHostToWebview } from './verifyProtocol';
import { isCodeStepKind, type CodeStepKind } from './stepFocus';

export interface PanelToken {
  id: number;
  /** Vocabulary spelling (`Ġquick`, `##ing`). */
  text: string;
  /** The slice of the user's text the token covers (empty for added specials like [CLS]). */
  source: string;
  start: number;
  end: number;
  special: boolean;
  bytes: number[];
  rank?: number;
  typeId?: number;
}

/** One pipeline stage; the codes mark prose the panel translates (stageCodes.ts). */
export interface PanelStage { stage: string; name: string; detail?: string; nameCode?: StageNameCode; detailCode?: StageDetailCode }

export interface PanelPieceTrace {
  text: string;
  start: number;
  end: number;
  byteSymbols?: string[];
  bytes?: number[];
  initial?: string[];
  merges?: { left: string; right: string; merged: string; rank: number }[];
  attempts?: { candidate: string; found: boolean }[];
  score?: number;
  special?: boolean;
  tokenIds: number[];
}

export interface TokenizeResult {
  tokenizer: string;
  /** Where the text came from, e.g. `notes.md:12-14`. */
  source: string;
  tokens: PanelToken[];
  /** Total counts (tokens may be truncated to `shownLimit`). */
  counts: { tokens: number; characters: number; bytes: number };
  truncated: boolean;
  shownLimit: number;
  /** Byte-level BPE (GPT-2, tiktoken): a token's `bytes` are what it stands for, so its chip shows them decoded. */
  byteLevel?: boolean;
}

export interface TraceResult {
  tokenIndex: number;
  stages: PanelStage[];
  normalized: string;
  piece: PanelPieceTrace | undefined;
}

export interface TrainRound { round: number; pair: [string, string]; merged: string; frequency: number; vocabSize: number }

export interface TrainResultMessage {
  mode: 'classic' | 'byte-level';
  initialVocab: string[];
  merges: TrainRound[];
  segmentation: { word: string; frequency: number; symbols: string[] }[];
  stoppedBecause: string;
}

/** RoPE's parameters as config.json gives them (the engine's RopeConfig narrows `type`). */
export interface RopeParameters {
  type: string;
  theta: number;
  /** Rotated channels per head (even; head_dim unless partial). */
  rotaryDim: number;
  /** linear, dynamic, llama3 */
  factor?: number;
  /** llama3 */
  lowFreqFactor?: number;
  highFreqFactor?: number;
  /** llama3, dynamic: the context length the model was trained with */
  originalMaxPositions?: number;
}

/** RoPE as the model applies it (rope.ts): θ, scaling, rotated channels, and the inverse frequencies θ_i after scaling. */
export interface PanelRope extends RopeParameters {
  /** [rotaryDim / 2]  θ_i = 1 / θ^(2i/d), after any scaling (plain numbers, so trace files keep them). */
  invFreq: number[];
}

/** The pieces of a modern decoder the panel explains (GQA, RoPE, RMSNorm, gated FFN, sliding windows). */
export interface PanelArchitecture {
  /** NKV: key/value heads (= heads for multi-head attention; fewer with GQA). */
  kvHeads: number;
  /** d_k */
  headDim: number;
  normKind: 'layernorm' | 'rmsnorm';
  ffn: 'mlp' | 'gated';
  /** Where positions enter: a learned or sinusoidal table added to the embeddings, rotations of q and k, or a bias on the scores (T5). */
  positions: 'table' | 'rope' | 'relative';
  rope?: PanelRope;
  /** Per layer: 0 = every allowed key; W > 0 = only the last W keys (a sliding window). */
  slidingWindows: number[];
}

/**
 * A model's attention on the selection: weights[layer] is [H, T, T], row-major. The
 * architecture fields are optional: trace files saved before they existed still open
 * (read as GPT-2/BERT-style multi-head attention, see panelArchitecture in the webview). Typed
 * arrays cross postMessage as binary (VS Code ≥ 1.57), not as JSON number lists.
 */
export interface PanelAttention extends Partial<PanelArchitecture> {
  model: string;
  description: string;
  /** `start`/`end`: UTF-16 offsets into the selection (absent for added tokens such as [CLS]). */
  tokens: { id: number; text: string; start?: number; end?: number }[];
  /** Decoder (causal mask) or encoder (bidirectional). */
  causal: boolean;
  layers: number;
  heads: number;
  T: number;
  weights: Float32Array[];
  notice?: string;
  nextTokenTop?: { id: number; logit: number; text?: string }[];
  /** BERT: the top guesses at each [MASK] position. */
  maskTop?: { pos: number; top: { id: number; logit: number; text?: string }[] }[];
  /** Heads the model card names for a known pattern. */
  namedHeads: { layer: number; head: number; label: string; score: number }[];
  forwardMs: number;
  /** GPT-2: the last position's logits over the whole vocabulary (temperature / top-k / top-p in the Predictions view). */
  nextLogits?: Float32Array;
  /** Encoder–decoders: `weights` are the encoder's self attention; this holds the decoder's and the cross attention (seq2seqProtocol.ts). */
  seq2seq?: PanelSeq2Seq;
}

export type HostToWebview =
  | { type: 'init'; tokenizers: string[]; current: string; specialTokens: 'default' | 'match' | 'plain'; locale: string; activationMs: number; models: string[]; model: string; strings: Record<string, string> }
  | { type: 'busy'; what: string }
  | { type: 'tokens'; result: TokenizeResult }
  /** The same as `tokens`, the result as UTF-8 JSON bytes (src/shared/tokensWire.ts): the panel's tokenize answer, which VS Code carries as bytes */
  | { type: 'tokensBytes'; bytes: Uint8Array }
  | { type: 'trace'; result: TraceResult }
  | { type: 'trained'; result: TrainResultMessage }
  | { type: 'error'; message: string }
  | { type: 'attention'; result: PanelAttention }
  | { type: 'attentionError'; message: string }
  | { type: 'showTab'; tab: 'tokens' | 'trace' | 'train' | 'attention' }
  /** The code hover's "Show this step with live numbers": the Attention tab's step trace, scrolled to this step (stepFocus.ts). */
  | { type: 'showStep'; step: CodeStepKind }
  | { type: 'step'; trace: StepTrace }
  | { type: 'stepError'; message: string }
  | { type: 'maskDemo'; result: MaskDemoAnswer }
  | { type: 'maskDemoError'; message: string }
  /** The editor cursor moved: its offset in the selection the panel shows. */
  | { type: 'cursor'; offset: number }
  /** The host's marks of the panel's first tokenize (panelTiming.ts), answering the webview's. */
  | { type: 'timing'; marks: PanelTimingMarks }
  /** The Generate view (generateProtocol.ts). */
  | GenerateHostToWebview
  /** The Encoder–decoder view (seq2seqProtocol.ts). */
  | Seq2SeqHostToWebview
  /** The Residual stream tab: logit lens, per-token loss, embeddings (residualProtocol.ts). */
  | ResidualHostToWebview
  /** The Compare & chat view (tokenizerToolsProtocol.ts). */
  | TokenizerToolsHostToWebview
  /** The verified badge of the Tokens and Attention views (verifyProtocol.ts). */
  | VerifyHostToWebview;

export type ExportFormat = 'png' | 'csv' | 'json';
/** Largest export the host accepts from the webview (a 1,024² CSV is ~12 MB). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'pickTokenizer'; name: string }
  | { type: 'inspectToken'; index: number }
  /** `example`: train on the textbook corpus (bpeExample.ts) instead of the selection. */
  | { type: 'train'; mode: 'classic' | 'byte-level'; merges: number; minFrequency: number; example?: true }
  | { type: 'revealToken'; index: number }
  | { type: 'requestAttention' }
  | { type: 'pickModel'; name: string }
  /** `attention`: encoder–decoders, which of the three (query = a decoder position for decoder-self and cross). */
  | { type: 'requestStep'; layer: number; head: number; query: number; attention?: StepAttention }
  | { type: 'requestMaskDemo'; seed: number }
  /** Save a file the webview made: text (CSV, JSON) or a PNG as a `data:image/png;base64,` URL. */
  | { type: 'export'; format: ExportFormat; fileName: string; data: string }
  /** Select this slice of the selection in the editor. */
  | { type: 'revealRange'; start: number; end: number }
  /** Ask the host to open a trace JSON saved earlier. */
  | { type: 'openTrace' }
  /** The webview's marks of its first tokens paint (panelTiming.ts). */
  | { type: 'timing'; marks: PanelTimingMarks }
  /** The Generate view (generateProtocol.ts). */
  | GenerateWebviewToHost
  /** The Encoder–decoder view (seq2seqProtocol.ts). */
  | Seq2SeqWebviewToHost
  /** The Residual stream tab (residualProtocol.ts). */
  | ResidualWebviewToHost
  /** The Compare & chat view (tokenizerToolsProtocol.ts). */
  | TokenizerToolsWebviewToHost;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isMarks = (v: unknown): v is PanelTimingMarks => isObj(v) && Object.keys(v).length <= MAX_TIMING_MARKS
  && Object.entries(v).every(([k, t]) => k.length <= 40 && typeof t === 'number' && Number.isFinite(t));

/** Validate a message from the webview; anything else returns false. */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (!isObj(m) || typeof m.type !== 'string') return false;
  switch (m.type) {
    case 'ready': case 'requestAttention': case 'openTrace': return true;
    case 'pickModel': return typeof m.name === 'string' && m.name.length > 0 && m.name.length < 4096;
    case 'requestStep': return isInt(m.layer) && isInt(m.head) && isInt(m.query) && (m.attention === undefined || STEP_ATTENTIONS.includes(m.attention as StepAttention));
    case 'requestMaskDemo': return isInt(m.seed) && m.seed <= 0xffffffff;
    case 'export': return (m.format === 'png' || m.format === 'csv' || m.format === 'json') && typeof m.fileName === 'string'
      && /^[\w.-]{1,120}$/.test(m.fileName) && typeof m.data === 'string' && m.data.length <= MAX_EXPORT_CHARS
      && (m.format !== 'png' || m.data.startsWith('data:image/png;base64,'));
    case 'revealRange': return isInt(m.start) && isInt(m.end) && m.start <= m.end;
    case 'pickTokenizer': return typeof m.name === 'string' && m.name.length > 0 && m.name.length < 4096;
    case 'inspectToken': case 'revealToken': return isInt(m.index);
    case 'train': return (m.mode === 'classic' || m.mode === 'byte-level') && isInt(m.merges) && m.merges <= 100_000 && isInt(m.minFrequency) && (m.example === undefined || m.example === true);
    case 'timing': return isMarks(m.marks);
    case 'requestGenerate': case 'cancelGenerate': case 'insertGeneration': return isGenerateWebviewToHost(m);
    case 'setTarget': case 'requestTranslate': return isSeq2SeqWebviewToHost(m);
    case 'requestResidual': case 'requestEmbedding': return isResidualWebviewToHost(m);
    case 'requestCompare': case 'requestChat': return isTokenizerToolsWebviewToHost(m);
    default: return false;
  }
}

const isNumbers = (v: unknown, length?: number): v is number[] => Array.isArray(v) && (length === undefined || v.length === length) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);

/** The optional architecture fields, where present, fit the shapes: NKV divides NH, one window per layer, d/2 frequencies. */
function architectureFits(r: Record<string, unknown>, heads: number, layers: number): boolean {
  const rope = r.rope;
  return optional(r.kvHeads, (v) => isInt(v) && v > 0 && heads % v === 0)
    && optional(r.headDim, (v) => isInt(v) && v > 0 && v <= 4096)
    && optional(r.normKind, (v) => v === 'layernorm' || v === 'rmsnorm')
    && optional(r.ffn, (v) => v === 'mlp' || v === 'gated')
    && optional(r.positions, (v) => v === 'table' || v === 'rope' || v === 'relative')
    && optional(r.slidingWindows, (v) => Array.isArray(v) && v.length === layers && v.every(isInt))
    && optional(rope, (v) => isObj(v) && typeof v.type === 'string' && typeof v.theta === 'number' && isInt(v.rotaryDim) && v.rotaryDim >= 2
      && v.rotaryDim % 2 === 0 && (r.headDim === undefined || v.rotaryDim <= (r.headDim as number)) && isNumbers(v.invFreq, v.rotaryDim / 2)
      && ['factor', 'lowFreqFactor', 'highFreqFactor', 'originalMaxPositions'].every((k) => optional(v[k], (x) => typeof x === 'number')));
}

/** A whole attention result, shapes included: [H, T, T] per layer, T tokens (also checks trace files opened from disk). */
export function isPanelAttention(r: unknown): r is PanelAttention {
  if (!isObj(r) || !isInt(r.T) || !isInt(r.heads) || !isInt(r.layers) || r.T === 0 || r.T > 8192 || r.heads > 256 || r.layers > 256) return false;
  const T = r.T, H = r.heads;
  return typeof r.model === 'string' && typeof r.description === 'string' && typeof r.causal === 'boolean' && typeof r.forwardMs === 'number'
    && Array.isArray(r.tokens) && r.tokens.length === T && r.tokens.every((t) => isObj(t) && isInt(t.id) && typeof t.text === 'string')
    && Array.isArray(r.weights) && r.weights.length === r.layers && r.weights.every((w) => w instanceof Float32Array && w.length === H * T * T)
    && Array.isArray(r.namedHeads) && r.namedHeads.every((n) => isObj(n) && isInt(n.layer) && isInt(n.head) && typeof n.label === 'string' && typeof n.score === 'number')
    && (r.notice === undefined || typeof r.notice === 'string')
    && (r.nextLogits === undefined || r.nextLogits instanceof Float32Array)
    && architectureFits(r, H, r.layers)
    && (r.seq2seq === undefined || isPanelSeq2Seq(r.seq2seq, T));
}

/** Validate a message from the host (the webview checks the shape it will read). */
export function isHostToWebview(m: unknown): m is HostToWebview {
  if (!isObj(m) || typeof m.type !== 'string') return false;
  switch (m.type) {
    case 'init': return Array.isArray(m.tokenizers) && typeof m.current === 'string' && Array.isArray(m.models) && typeof m.model === 'string' && isObj(m.strings);
    case 'busy': return typeof m.what === 'string';
    case 'tokens': return isObj(m.result) && Array.isArray(m.result.tokens) && isObj(m.result.counts);
    case 'tokensBytes': return m.bytes instanceof Uint8Array;
    case 'trace': return isObj(m.result) && Array.isArray(m.result.stages);
    case 'trained': return isObj(m.result) && Array.isArray(m.result.merges);
    case 'error': return typeof m.message === 'string';
    case 'showTab': return m.tab === 'tokens' || m.tab === 'trace' || m.tab === 'train' || m.tab === 'attention';
    case 'showStep': return isCodeStepKind(m.step);
    case 'attention': return isPanelAttention(m.result);
    case 'attentionError': case 'stepError': case 'maskDemoError': return typeof m.message === 'string';
    case 'maskDemo': return isObj(m.result) && isInt(m.result.seed) && Array.isArray(m.result.steps) && m.result.steps.every((s) => isObj(s) && isInt(s.pos) && typeof s.originalText === 'string' && typeof s.inputText === 'string');
    case 'step': return isObj(m.trace) && isInt(m.trace.T) && isInt(m.trace.query) && Array.isArray(m.trace.weights) && m.trace.scores instanceof Float32Array;
    case 'cursor': return isInt(m.offset);
    case 'timing': return isMarks(m.marks);
    case 'generateStart': case 'generateStep': case 'generateDone': case 'generateError': case 'generateInserted': return isGenerateHostToWebview(m);
    case 'translated': case 'translateError': return isSeq2SeqHostToWebview(m);
    case 'residual': case 'residualError': case 'embedding': case 'embeddingError': return isResidualHostToWebview(m);
    case 'compared': case 'compareError': case 'chatted': case 'chatError': return isTokenizerToolsHostToWebview(m);
    case 'verified': case 'verifyError': return isVerifyHostToWebview(m);
    default: return false;
  }
}
