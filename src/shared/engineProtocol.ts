/**
 * Requests from the extension host to the engine worker thread and their answers.
 * Each request carries an id; the worker answers `{ id, ok, value | error }`.
 */
import type { PanelArchitecture, TokenizeResult, TraceResult, TrainResultMessage } from './protocol';
import type { HoverTokens } from './hoverTypes';
import type { StepTrace } from './inspectTypes';
import type { PanelSeq2Seq, StepAttention } from './seq2seqProtocol';
import type { GenerateEvent, GenerateRequest, GenerateSummary } from './generateProtocol';
import type { PanelEmbedding, PanelLoss, ResidualAnswer, ResidualRequest } from './residualProtocol';
import type { PanelChat, PanelComparison, TokenizerToolsRequest } from './tokenizerToolsProtocol';
import type { VerifyAnswer, VerifyRequest } from './verifyProtocol';
import type { CodedError } from './engineErrors';
import type { L10nText } from './l10nText';

/** Attention the panel receives at most (32 M floats = 128 MB): GPT-2 small's 144 heads fit 471 tokens. */
export const PANEL_ATTENTION_FLOATS = 32 * 1024 * 1024;

export type SpecialMode = 'default' | 'match' | 'plain';

export type EngineRequest =
  | { kind: 'tokenize'; tokenizer: string; text: string; source: string; special: SpecialMode; limit: number }
  /** tokenize's answer as UTF-8 JSON bytes, for the panel (src/shared/tokensWire.ts): one buffer moves from the worker and crosses on to the webview as bytes, not 20,000 token objects the host's loop would copy, nor a string VS Code would write as JSON on the host's thread */
  | { kind: 'tokenizeBytes'; tokenizer: string; text: string; source: string; special: SpecialMode; limit: number }
  | { kind: 'count'; tokenizer: string; text: string; special: SpecialMode }
  | { kind: 'trace'; tokenizer: string; text: string; special: SpecialMode; tokenIndex: number }
  | { kind: 'train'; text: string; mode: 'classic' | 'byte-level'; merges: number; minFrequency: number }
  | { kind: 'hover'; tokenizer: string; line: string; column: number; special: SpecialMode }
  | AttentionRequest
  | { kind: 'step'; model: string; text?: string; ids?: number[]; layer: number; head: number; query: number; maxAttentionFloats?: number; target?: string; attention?: StepAttention }
  | { kind: 'maskDemo'; model: string; text: string; seed: number }
  | GenerateRequest
  | ResidualRequest
  | TokenizerToolsRequest
  | VerifyRequest;

/**
 * Run a model folder on text (or ids). `cancel` is an Int32Array over a SharedArrayBuffer:
 * the host stores 1 in it to stop the pass between heads (the worker's event loop is busy
 * while a pass runs, so a message would arrive too late).
 */
export interface AttentionRequest {
  kind: 'attention';
  model: string;
  text?: string;
  ids?: number[];
  record: 'weights' | 'all';
  cancel?: Int32Array;
  /** Cut the input so layers × heads × T² stays under this many floats (the panel's memory budget). */
  maxAttentionFloats?: number;
  /** Encoder–decoders: the decoder's input after its start token, as text ('' or absent: the start token only). */
  target?: string;
}

/** What the worker sends back: plain data, attention as one [H, T, T] array per layer. */
export interface AttentionAnswer {
  model: string;
  description: string;
  tokenizerSource?: string;
  tokens: { id: number; text: string; start?: number; end?: number }[];
  causal: boolean;
  layers: number;
  heads: number;
  T: number;
  notice?: string;
  /** The notice's parts and the description as codes (engineErrors.ts), for the panel's translation. */
  noticeCoded?: CodedError[];
  descriptionCoded?: CodedError;
  attentions: Float32Array[];
  nextTokenTop?: { id: number; logit: number; text?: string }[];
  maskTop?: { pos: number; top: { id: number; logit: number; text?: string }[] }[];
  /** Heads the model card names for a known pattern, e.g. `previous token` (bundled models). */
  namedHeads: { layer: number; head: number; label: string; score: number }[];
  /** milliseconds: model load (0 when cached) and forward pass */
  timings: { load: number; forward: number };
  /** GPT-2: the last position's logits over the whole vocabulary. */
  nextLogits?: Float32Array;
  /** Heads, norm, FFN, positions and windows as the panel explains them. */
  architecture: PanelArchitecture;
  /** Encoder–decoders: the decoder's and the cross attention (`attentions` are the encoder's). */
  seq2seq?: PanelSeq2Seq;
}

/** BERT's pre-training masking on the selection, token by token, with the model's guesses where it chose. */
export interface MaskDemoAnswer {
  seed: number;
  steps: { pos: number; original: number; originalText: string; action?: 'mask' | 'random' | 'keep'; input: number; inputText: string; top?: { id: number; text?: string; logit: number }[] }[];
}

export interface EngineAnswers {
  tokenize: TokenizeResult;
  tokenizeBytes: Uint8Array;
  count: number;
  trace: TraceResult;
  train: TrainResultMessage;
  hover: HoverTokens | undefined;
  attention: AttentionAnswer;
  maskDemo: MaskDemoAnswer;
  step: StepTrace;
  generate: GenerateSummary;
  lens: ResidualAnswer;
  loss: PanelLoss;
  embedding: PanelEmbedding;
  compare: PanelComparison;
  chat: PanelChat;
  verify: VerifyAnswer;
}

/** Progress of a long request (loading a model's weights): bytes done of total. */
export interface EngineProgress { id: number; progress: { done: number; total: number } }

/** An event a running request streams (generate: the start, then each new token). */
export interface EngineStreamed { id: number; streamed: GenerateEvent }

/** `coded`: the error's stable code and arguments, for the panel's translation (engineErrors.ts); `l10n`: its message as a translatable text (l10nText.ts). */
export type EngineResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string; coded?: CodedError; l10n?: L10nText };

/** Largest selection the engine accepts; larger ones get an error that names this limit. */
export const MAX_SELECTION_CHARS = 16 * 1024 * 1024;
