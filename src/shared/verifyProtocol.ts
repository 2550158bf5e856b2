/**
 * The "verified" badge's request and answer (issue 27 item 3): how the numbers a view shows
 * were checked. A tokenizer check encodes the selection again with js-tiktoken (built-in
 * tiktoken encodings); a model check runs the first layer on both kernels (WebAssembly and
 * TypeScript) and names whether the architecture is tested against transformers.
 */
import type { SpecialMode } from './engineProtocol';

export type VerifyRequest =
  | { kind: 'verify'; check: 'tokenizer'; tokenizer: string; text: string; special: SpecialMode }
  | { kind: 'verify'; check: 'model'; model: string; text?: string; ids?: number[] };

/** ok: the check ran and agreed; failed: it ran and disagreed (shown prominently); unavailable: it could not run here. */
export type VerifyStatus = 'ok' | 'failed' | 'unavailable';

export interface TokenizerVerification {
  check: 'tokenizer';
  status: VerifyStatus;
  /** The encoding js-tiktoken ran (r50k_base for gpt2). */
  encoding?: string;
  /** Tokens compared (the engine's count). */
  tokens: number;
  /** The first index where the ids differ, with each side's id there (undefined: that side ended). */
  firstMismatch?: { index: number; engine?: number; reference?: number };
  /** Why the check could not run (not a tiktoken encoding, js-tiktoken missing). */
  reason?: string;
}

export interface ModelVerification {
  check: 'model';
  /** The first layer on both kernels: max |Δ| over its output and attention weights. */
  kernels: { status: VerifyStatus; maxDelta?: number; tolerance: number; tokens: number; reason?: string };
  /** Tokens the selection has for this model (more than `kernels.tokens` when the check was cut to VERIFY_MAX_TOKENS). */
  selectionTokens?: number;
  /** The checkpoint's model_type and whether a golden test compares the engine with transformers on it. */
  provenance: { modelType: string; tested: boolean; transformers?: string };
}

export type VerifyAnswer = TokenizerVerification | ModelVerification;

/** The transformers release the golden fixtures were made with. */
export const REFERENCE_TRANSFORMERS = '5.18';

/** Every model_type with a golden test against transformers (test/engine/goldenHf.test.ts and the decoder fixtures). */
export const TESTED_MODEL_TYPES: readonly string[] = [
  'gpt2', 'bert', 'roberta', 'distilbert', 'albert', 'llama', 'mistral', 'qwen2', 'qwen3', 'gemma3_text', 't5', 'bart', 'mbart', 'marian',
];

/** The kernel check runs the first layer on at most this many tokens (the TypeScript kernel is slow on large models, and the worker waits). */
export const VERIFY_MAX_TOKENS = 32;

/** Kernels agree when the first layer's outputs differ by at most this much. */
export const KERNEL_TOLERANCE = 1e-4;

/** A clear error for a malformed verify request (the host passes panel input through). */
export function checkVerifyRequest(r: unknown): asserts r is VerifyRequest {
  const o = r as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || o.kind !== 'verify') throw new Error('verify request: kind must be "verify"');
  if (o.check === 'tokenizer') {
    if (typeof o.tokenizer !== 'string' || !o.tokenizer) throw new Error('verify request: tokenizer must be a non-empty string');
    if (typeof o.text !== 'string') throw new Error('verify request: text must be a string');
    if (!['default', 'match', 'plain'].includes(o.special as string)) throw new Error('verify request: special must be default, match or plain');
  } else if (o.check === 'model') {
    if (typeof o.model !== 'string' || !o.model) throw new Error('verify request: model must be a non-empty string');
    const hasText = typeof o.text === 'string';
    const hasIds = Array.isArray(o.ids) && o.ids.every((i) => Number.isInteger(i) && i >= 0);
    if (hasText === hasIds) throw new Error('verify request: give either text or ids (non-negative integers)');
  } else {
    throw new Error(`verify request: check must be "tokenizer" or "model", not ${JSON.stringify(o.check)}`);
  }
}

/** Selections longer than this are checked on their first VERIFY_MAX_CHARS characters (js-tiktoken is slower than the engine). */
export const VERIFY_MAX_CHARS = 200_000;

/** Host → webview: a view's check, sent after the view's own answer. */
export type VerifyHostToWebview =
  | { type: 'verified'; view: 'tokens' | 'attention'; result: VerifyAnswer; checkedChars?: number }
  | { type: 'verifyError'; view: 'tokens' | 'attention'; message: string };

const VIEWS = ['tokens', 'attention'];
const STATUSES = ['ok', 'failed', 'unavailable'];

export function isVerifyHostToWebview(m: Record<string, unknown>): m is VerifyHostToWebview {
  if (!VIEWS.includes(m.view as string)) return false;
  if (m.type === 'verifyError') return typeof m.message === 'string';
  const r = m.result as Record<string, unknown> | null;
  if (m.type !== 'verified' || !r || typeof r !== 'object') return false;
  if (r.check === 'tokenizer') return STATUSES.includes(r.status as string) && typeof r.tokens === 'number';
  const k = r.kernels as Record<string, unknown> | null, p = r.provenance as Record<string, unknown> | null;
  return r.check === 'model' && !!k && typeof k === 'object' && STATUSES.includes(k.status as string) && typeof k.tolerance === 'number'
    && !!p && typeof p === 'object' && typeof p.modelType === 'string' && typeof p.tested === 'boolean';
}

/** max |Δ| with one significant digit, as the badge shows it: 3.1e-7 → "3e-7"; 0 → "0". */
export function formatDelta(d: number): string {
  return d === 0 ? '0' : Number.isFinite(d) ? d.toExponential(0).replace('e+', 'e') : String(d);
}
