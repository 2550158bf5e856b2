/**
 * The worker's side of the "verified" badge (src/shared/verifyProtocol.ts), asked for after a
 * view's main answer so it never delays it:
 *  - tokenizer: a built-in tiktoken encoding encodes the text again with js-tiktoken (OpenAI's
 *    ranks, an implementation we did not write) and the ids are compared one by one;
 *  - model: the first layer of the forward pass (the encoder's, for encoder–decoders) runs on
 *    the WebAssembly kernel and on the TypeScript one, over the same weights, and the largest
 *    |Δ| of the layer's output and attention weights is reported (on the first VERIFY_MAX_TOKENS
 *    tokens: the TypeScript kernel is slow on large models and the worker waits for it); the model_type says whether
 *    a golden test compares the engine with Hugging Face transformers on this architecture.
 *
 * js-tiktoken's ranks (0.5–2.3 MB each) are not in the worker bundle itself: esbuild.mjs writes
 * each as its own file, dist/ranks/<encoding>.js, which ships in the .vsix and is required
 * next to the worker only when a check for that encoding runs (then kept). Under tsx (tests,
 * the CLI from source) there is no dist/ranks beside this file and the package's own
 * js-tiktoken/ranks/<encoding> is required instead; the check says "unavailable" where neither is.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import type { ModelVerification, TokenizerVerification, VerifyRequest } from '../../shared/verifyProtocol';
import { KERNEL_TOLERANCE, REFERENCE_TRANSFORMERS, TESTED_MODEL_TYPES, VERIFY_MAX_TOKENS } from '../../shared/verifyProtocol';
import { prepare } from '../model/attentionJob';
import type { ModelConfig } from '../model/config';
import { tsKernels, type Kernels } from '../model/kernels';
import { forward, type ForwardResult } from '../model/transformer';
import type { ModelWeights } from '../model/weights';
import { resolveTokenizer } from '../tokenizers/resolve';
import type { EncodeOptions } from '../tokenizers/types';

/** Our built-in names → js-tiktoken's rank files (its gpt2 ranks are r50k_base's, byte for byte). */
const TIKTOKEN_ENCODINGS: Record<string, string> = {
  gpt2: 'r50k_base', r50k_base: 'r50k_base', p50k_base: 'p50k_base', cl100k_base: 'cl100k_base', o200k_base: 'o200k_base',
};

const references = new Map<string, Tiktoken>();

/**
 * Where js-tiktoken's ranks for `encoding` are required from: the built dist/ranks/<encoding>.js
 * beside the bundled worker, else the installed package. Both are non-literal requires, so
 * esbuild leaves them out of the worker bundle.
 */
export function ranksModule(encoding: string, dir: string = __dirname): string {
  const built = join(dir, 'ranks', `${encoding}.js`);
  return existsSync(built) ? built : `js-tiktoken/ranks/${encoding}`;
}

/** js-tiktoken for `encoding`, its ranks loaded on first use (ranksModule). */
function referenceEncoder(encoding: string): Tiktoken | string {
  const hit = references.get(encoding);
  if (hit) return hit;
  let ranks: unknown;
  try {
    const id = ranksModule(encoding);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = (typeof require === 'function' ? require : undefined)?.(id) as { default?: unknown } | undefined;
    ranks = mod?.default ?? mod;
  } catch {
    return `js-tiktoken's ${encoding} ranks are not installed here`;
  }
  if (!ranks) return `js-tiktoken's ${encoding} ranks are not installed here`;
  const enc = new Tiktoken(ranks as ConstructorParameters<typeof Tiktoken>[0]);
  references.set(encoding, enc);
  return enc;
}

/** Index of the first difference between two id lists, or -1. */
export function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/**
 * Engine ids vs js-tiktoken ids on `text`. `reference` replaces js-tiktoken (tests use it to
 * force a mismatch). Special mode: tiktoken's default and 'plain' read special-token text as
 * plain text (encode(text, [], [])); 'match' allows every special token.
 */
export function verifyTokenizer(req: Extract<VerifyRequest, { check: 'tokenizer' }>, reference?: (text: string) => number[]): TokenizerVerification {
  const encoding = TIKTOKEN_ENCODINGS[req.tokenizer];
  if (!encoding && !reference) return { check: 'tokenizer', status: 'unavailable', tokens: 0, reason: `${req.tokenizer} is not a tiktoken encoding js-tiktoken has` };
  const options: EncodeOptions = req.special === 'default' ? {} : { specialTokens: req.special };
  const ids = resolveTokenizer(req.tokenizer).encode(req.text, options);
  let refIds: number[];
  if (reference) {
    refIds = reference(req.text);
  } else {
    const enc = referenceEncoder(encoding);
    if (typeof enc === 'string') return { check: 'tokenizer', status: 'unavailable', encoding, tokens: ids.length, reason: enc };
    refIds = req.special === 'match' ? enc.encode(req.text, 'all') : enc.encode(req.text, [], []);
  }
  const at = firstDifference(ids, refIds);
  return {
    check: 'tokenizer', status: at < 0 ? 'ok' : 'failed', encoding, tokens: ids.length,
    ...(at >= 0 ? { firstMismatch: { index: at, engine: ids[at], reference: refIds[at] } } : {}),
  };
}

/** The first layer of `cfg`'s stack: the same weights, layers: 1. */
function firstLayer(cfg: ModelConfig, w: ModelWeights): { cfg: ModelConfig; w: ModelWeights } {
  return { cfg: { ...cfg, layers: 1 }, w: { ...w, layers: w.layers.slice(0, 1) } };
}

/** Largest |a − b| over two equal-length arrays (Infinity when a value is NaN on one side only or lengths differ). */
export function maxAbsDelta(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > m) m = d;
    else if (Number.isNaN(d) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity;
  }
  return m;
}

/** max |Δ| between two first-layer passes: the layer's output and every head's attention weights. */
function layerDelta(a: ForwardResult, b: ForwardResult): number {
  const la = a.layers[0], lb = b.layers[0];
  let m = maxAbsDelta(la.output ?? a.hidden, lb.output ?? b.hidden);
  la.heads.forEach((h, i) => { if (h.weights && lb.heads[i]?.weights) m = Math.max(m, maxAbsDelta(h.weights, lb.heads[i].weights!)); });
  return m;
}

export interface ModelVerifyOptions {
  /** Replace the second kernel (tests: a tampered one to force a mismatch). */
  against?: Kernels;
  /** Change the weights the second pass reads (tests: tamper a copy). */
  tamper?(w: ModelWeights): ModelWeights;
}

export function verifyModel(req: Extract<VerifyRequest, { check: 'model' }>, opts: ModelVerifyOptions = {}): ModelVerification {
  const p = prepare({ model: req.model, text: req.text, ids: req.ids, maxAttentionFloats: 4 * 1024 * 1024 });
  const model = p.entry.model;
  const modelType = model.config.arch;
  const tested = TESTED_MODEL_TYPES.includes(modelType);
  const provenance = { modelType, tested, ...(tested ? { transformers: REFERENCE_TRANSFORMERS } : {}) };
  const checked = p.tokens.slice(0, VERIFY_MAX_TOKENS);
  const tokens = checked.length;
  const base = { tolerance: KERNEL_TOLERANCE, tokens };
  const other = opts.against ?? tsKernels;
  if (model.kernels === other) return { check: 'model', kernels: { ...base, status: 'unavailable', reason: 'WebAssembly SIMD kernels are not available here, so the TypeScript kernel ran alone' }, provenance };
  if (tokens === 0) return { check: 'model', kernels: { ...base, status: 'unavailable', reason: 'the selection has no tokens' }, provenance };
  const { cfg, w } = firstLayer(model.config, model.weights);
  const input = { ids: checked.map((t) => t.id), typeIds: p.typeIds?.slice(0, tokens) };
  const a = forward(cfg, w, input, { record: 'all', kernels: model.kernels });
  const b = forward(cfg, opts.tamper ? opts.tamper(w) : w, input, { record: 'all', kernels: other });
  const maxDelta = layerDelta(a, b);
  return { check: 'model', kernels: { ...base, status: maxDelta <= KERNEL_TOLERANCE ? 'ok' : 'failed', maxDelta }, provenance, selectionTokens: p.tokens.length };
}

export function runVerify(req: VerifyRequest): TokenizerVerification | ModelVerification {
  return req.check === 'tokenizer' ? verifyTokenizer(req) : verifyModel(req);
}
