/**
 * The Generate view's messages, declared once for the three parties: the webview asks
 * (requestGenerate, cancelGenerate, insertGeneration), the host asks the engine worker
 * (GenerateRequest), the worker streams a start event and one event per new token, then
 * answers a summary; the host relays each as generateStart / generateStep / generateDone.
 * Validators here are used by protocol.ts's isWebviewToHost / isHostToWebview.
 * Legend: L layers, NH query heads, NKV key/value heads, HD head size, C channels, V vocab.
 */
import { checkSampling, type SamplingSettings } from './sampling';
import type { CodedError } from './engineErrors';

/** Decoding settings as the view sends them. */
export interface GenerateSettings {
  /** 1 … MAX_NEW_TOKENS */
  maxNewTokens: number;
  /** Absent: greedy decoding. */
  sampling?: SamplingSettings;
  /** With sampling: the seed of the draw (0 … 2³² − 1), so a run replays. */
  seed?: number;
}

/** The most new tokens the panel asks for in one run. */
export const MAX_NEW_TOKENS = 512;

/** The model's shape, for the KV-cache drawing and the multiply-adds per step. */
export interface GenerateShape {
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  hidden: number;
  vocab: number;
  maxPositions: number;
  /** Per layer: 0 = every earlier key, W > 0 = the last W keys. */
  slidingWindows: number[];
  /** Σ over layers of the weight matrices one token passes through (q, k, v, o, FFN): one multiply-add per weight. */
  weightMacs: number;
  /** The LM head, V × C (once per step: only the last position's logits are needed). */
  headMacs: number;
  /** Bytes of one cached number (4: float32, as the engine holds it). */
  bytesPerValue: number;
}

export interface GenerateTop { id: number; prob: number; text: string }

/** One new token as the view shows it. */
export interface GenerateStepView {
  id: number;
  text: string;
  prob: number;
  top: GenerateTop[];
  /** milliseconds: this step's pass and choice (step 0 includes the prompt's prefill) */
  ms: number;
  /** Keys the query attended over: the prompt and the tokens before this one. */
  keys: number;
  /** Per layer, [NH, keys]: the attention row of the query that chose this token (the token before it). */
  attentions?: Float32Array[];
}

export interface GenerateStart {
  model: string;
  prompt: { id: number; text: string }[];
  shape: GenerateShape;
  notice?: string;
  /** The notice's parts as codes (engineErrors.ts): the host translates them into `notice`. */
  noticeCoded?: CodedError[];
  /** false when every step's rows would exceed the panel's memory budget. */
  attentionRecorded: boolean;
}

export type StoppedBy = 'eos' | 'stop-string' | 'max-new-tokens' | 'positions' | 'cancelled';

/** The measured comparison: the first `tokens` steps run again without the cache, each re-reading the whole prefix. */
export interface WithoutCache {
  tokens: number;
  msPerToken: number;
  /** The cached run's ms per token over the same steps (prefill excluded from both). */
  withCacheMsPerToken: number;
  /** The uncached run chose the same ids (the logits agree). */
  sameIds: boolean;
}

export interface GenerateSummary {
  model: string;
  /** The continuation decoded after the prompt (what "insert into editor" inserts). */
  text: string;
  newIds: number[];
  stoppedBy: StoppedBy;
  kvCacheBytes: number;
  prefillMs: number;
  msPerToken: number;
  withoutCache?: WithoutCache;
}

/** Host → worker: continue `text` (or `ids`) with the model folder `model`; `cancel` as for attention. */
export interface GenerateRequest {
  kind: 'generate';
  model: string;
  text?: string;
  ids?: number[];
  settings: GenerateSettings;
  cancel?: Int32Array;
  /** Keep attention rows only while L × NH × Σ keys stays under this many floats. */
  maxAttentionFloats?: number;
  /** Steps to re-run without the cache for the measured comparison (0: none). */
  compareWithoutCache?: number;
  topShown?: number;
}

/** What the worker streams while a generate request runs. */
export type GenerateEvent = ({ kind: 'start' } & GenerateStart) | { kind: 'step'; index: number; step: GenerateStepView };

export type GenerateHostToWebview =
  | ({ type: 'generateStart'; run: number; settings: GenerateSettings } & GenerateStart)
  | { type: 'generateStep'; run: number; index: number; step: GenerateStepView }
  | { type: 'generateDone'; run: number; summary: GenerateSummary }
  /** `notGenerative`: the model has no causal LM head (BERT): the view says what it can do instead. */
  | { type: 'generateError'; run: number; message: string; notGenerative?: boolean }
  | { type: 'generateInserted'; run: number; ok: boolean; message: string };

export type GenerateWebviewToHost =
  | { type: 'requestGenerate'; settings: GenerateSettings }
  | { type: 'cancelGenerate' }
  | { type: 'insertGeneration'; run: number };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** What is wrong with `s`, in words, or undefined when it can run. */
export function generateSettingsProblem(s: unknown): string | undefined {
  if (!isObj(s)) return 'the settings are missing';
  if (!isInt(s.maxNewTokens) || s.maxNewTokens < 1 || s.maxNewTokens > MAX_NEW_TOKENS) return `max new tokens must be a whole number from 1 to ${MAX_NEW_TOKENS}, got ${String(s.maxNewTokens)}`;
  if (s.sampling !== undefined) {
    const p = s.sampling as Record<string, unknown>;
    if (!isObj(p) || !isNum(p.temperature) || !isNum(p.topK) || !isNum(p.topP)) return 'the sampling settings need a temperature, a top-k and a top-p';
    const problem = checkSampling(p as unknown as SamplingSettings);
    if (problem) return problem;
    if (!isInt(s.seed) || s.seed > 0xffffffff) return `the seed must be a whole number from 0 to 4294967295, got ${String(s.seed)}`;
  } else if (s.seed !== undefined) return 'a seed needs sampling (greedy decoding draws nothing)';
  return undefined;
}

export function isGenerateWebviewToHost(m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'requestGenerate': return generateSettingsProblem(m.settings) === undefined;
    case 'cancelGenerate': return true;
    case 'insertGeneration': return isInt(m.run);
    default: return false;
  }
}

const isTop = (v: unknown) => isObj(v) && isInt(v.id) && isNum(v.prob) && typeof v.text === 'string';

function isShape(s: unknown): s is GenerateShape {
  return isObj(s) && [s.layers, s.heads, s.kvHeads, s.headDim, s.hidden, s.vocab, s.maxPositions, s.weightMacs, s.headMacs, s.bytesPerValue].every(isInt)
    && (s.layers as number) > 0 && (s.kvHeads as number) > 0 && (s.heads as number) % (s.kvHeads as number) === 0 && (s.layers as number) <= 256 && (s.heads as number) <= 256
    && Array.isArray(s.slidingWindows) && s.slidingWindows.length === s.layers && s.slidingWindows.every(isInt);
}

/** A step with its rows shaped [NH, keys] per layer (`heads`, `layers` from the run's start; unchecked when unknown). */
export function isGenerateStep(s: unknown, layers?: number, heads?: number): s is GenerateStepView {
  if (!isObj(s) || !isInt(s.id) || typeof s.text !== 'string' || !isNum(s.prob) || !isNum(s.ms) || !isInt(s.keys) || s.keys < 1) return false;
  if (!Array.isArray(s.top) || !s.top.every(isTop)) return false;
  if (s.attentions === undefined) return true;
  const keys = s.keys;
  return Array.isArray(s.attentions) && (layers === undefined || s.attentions.length === layers)
    && s.attentions.every((a) => a instanceof Float32Array && (heads === undefined ? a.length % keys === 0 : a.length === heads * keys));
}

const STOPPED: readonly string[] = ['eos', 'stop-string', 'max-new-tokens', 'positions', 'cancelled'];

export function isGenerateHostToWebview(m: Record<string, unknown>): boolean {
  if (!isInt(m.run)) return false;
  switch (m.type) {
    case 'generateStart': return typeof m.model === 'string' && Array.isArray(m.prompt) && m.prompt.every((p) => isObj(p) && isInt(p.id) && typeof p.text === 'string')
      && isShape(m.shape) && typeof m.attentionRecorded === 'boolean' && (m.notice === undefined || typeof m.notice === 'string') && generateSettingsProblem(m.settings) === undefined;
    case 'generateStep': return isInt(m.index) && isGenerateStep(m.step);
    case 'generateDone': {
      const s = m.summary;
      if (!isObj(s)) return false;
      const w = s.withoutCache;
      return typeof s.model === 'string' && typeof s.text === 'string' && Array.isArray(s.newIds) && s.newIds.every(isInt) && STOPPED.includes(s.stoppedBy as string)
        && isInt(s.kvCacheBytes) && isNum(s.prefillMs) && isNum(s.msPerToken)
        && (w === undefined || (isObj(w) && isInt(w.tokens) && isNum(w.msPerToken) && isNum(w.withCacheMsPerToken) && typeof w.sameIds === 'boolean'));
    }
    case 'generateError': return typeof m.message === 'string' && (m.notGenerative === undefined || typeof m.notGenerative === 'boolean');
    case 'generateInserted': return typeof m.ok === 'boolean' && typeof m.message === 'string';
    default: return false;
  }
}
