/**
 * "Run this model on this text and give me its attention": the job behind the CLI's
 * `attention` command and the worker's `attention` request. Loads (and caches) the model
 * and its tokenizer, tokenizes (BERT adds [CLS]/[SEP] and token types), runs the forward
 * pass and the output head (causal LMs: next-token top-k at the last position; BERT: top-k at
 * each [MASK]).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RecordLevel } from './attention';
import { readNamedHeads, resolveModelPath, type NamedHead } from './bundledModels';
import { describeConfig, describeConfigCoded } from './config';
import type { CodedError } from '../../shared/engineErrors';
import { logitsAt, topLogits, type TopEntry } from './heads';
import { locateCheckpoint } from './checkpoint';
import { loadModel, runModel, type KernelChoice, type LoadedModel } from './loadModel';
import { modelError } from './modelError';
import { hubRepoOfFolder } from '../hub/hfCache';
import { modelTokenizer, type ModelTokenizer } from './modelTokenizer';
import type { ForwardResult } from './transformer';
import { stepTrace, type TraceTarget } from './stepTrace';
import { runSeq2Seq } from './seq2seq';
import type { Tokenizer } from '../tokenizers/types';
import { bertMaskingDemo, type MaskingStep } from './maskingDemo';
import type { StepTrace } from '../../shared/inspectTypes';

export interface AttentionJob {
  /** A bundled model's name (`tiny-gpt`), or a model folder (config.json + safetensors + tokenizer files). */
  model: string;
  text?: string;
  ids?: number[];
  record?: RecordLevel;
  /** How many predictions to list (default 10 for a causal LM, 5 for BERT). */
  topK?: number;
  kernels?: KernelChoice;
  shouldCancel?: () => boolean;
  /** Keep layers × heads × T² under this many floats by cutting the input (the panel's budget; the CLI has none). */
  maxAttentionFloats?: number;
  /** Encoder–decoders: the decoder input after the start token, as text (tokenized on the target side) or ids (with the start token). */
  target?: string;
  decoderIds?: number[];
  /** Loading progress (bytes of weights read, of total), when the model is not cached. */
  onLoadProgress?(done: number, total: number): void;
}

export interface AttentionReport {
  model: string;
  description: string;
  tokenizerSource?: string;
  /** `start`/`end`: UTF-16 offsets into the text, for tokens that cover some of it. */
  tokens: { id: number; text: string; typeId?: number; start?: number; end?: number }[];
  layers: number;
  heads: number;
  /** Set when the input was cut to the model's positions. */
  notice?: string;
  /** The notice's parts as codes (engineErrors.ts), and the description's, for the panel's translation. */
  noticeCoded?: CodedError[];
  descriptionCoded: CodedError;
  result: ForwardResult;
  nextTokenTop?: TopEntry[];
  /** Causal LMs: the last position's logits over the whole vocabulary (for temperature / top-k / top-p). */
  nextLogits?: Float32Array;
  maskTop?: { pos: number; top: TopEntry[] }[];
  /** Heads the model card names for a known pattern (bundled models). */
  namedHeads: NamedHead[];
  loaded: LoadedModel;
  /** milliseconds: loading the model (0 when it was cached) and the forward pass */
  timings: { load: number; forward: number };
  /** A vocabulary entry's text, when the model has a tokenizer. */
  tokenText(id: number): string | undefined;
  /** The tokenizer is byte-level BPE: a spelling's characters stand for bytes (`Ġ` = 0x20). */
  byteLevel: boolean;
  /** Encoder–decoders: `result` is the encoder's pass; this is the decoder's, whose layers carry the cross attention. */
  seq2seq?: { decoderTokens: { id: number; text: string }[]; decoder: ForwardResult };
}

export interface Cached { key: string; model: LoadedModel; tokenizer?: ModelTokenizer; namedHeads: NamedHead[] }
const cache = new Map<string, Cached>();
const MAX_CACHED = 2;

function weightsKey(folder: string): string {
  const loc = locateCheckpoint(folder);
  return loc.files.map((f) => {
    const st = statSync(f);
    return `${f}:${st.mtimeMs}:${st.size}`;
  }).join('|');
}

/** The model at `path`, loaded or from the cache; `loadMs` is 0 on a cache hit. */
function cachedModel(path: string, kernels: KernelChoice = 'auto', onProgress?: AttentionJob['onLoadProgress']): { entry: Cached; loadMs: number } {
  const t0 = performance.now();
  const folder = resolve(resolveModelPath(path));
  const key = `${weightsKey(folder)}|${kernels}`;
  const hit = cache.get(folder);
  if (hit && hit.key === key) return { entry: hit, loadMs: 0 };
  hit?.model.dispose();
  cache.delete(folder);
  const model = loadModel(folder, { kernels, onProgress, name: hubRepoOfFolder(folder) });
  const entry: Cached = { key, model, namedHeads: readNamedHeads(folder, Math.max(model.config.layers, model.config.decoder?.layers ?? 0), Math.max(model.config.heads, model.config.decoder?.heads ?? 0)) /* cross-attention heads are the decoder's */ };
  cache.set(folder, entry);
  while (cache.size > MAX_CACHED) {
    const [oldest, value] = cache.entries().next().value as [string, Cached];
    value.model.dispose();
    cache.delete(oldest);
  }
  return { entry, loadMs: performance.now() - t0 };
}

export interface PreparedInput {
  entry: Cached;
  load: number;
  tokens: AttentionReport['tokens'];
  typeIds?: number[];
  notice?: string;
  noticeCoded?: CodedError[];
}

/** Load (or reuse) the model, tokenize, and cut to the model's positions. */
export function prepare(job: Pick<AttentionJob, 'model' | 'text' | 'ids' | 'kernels' | 'onLoadProgress' | 'maxAttentionFloats'>): PreparedInput {
  if ((job.text === undefined) === (job.ids === undefined)) throw modelError`give either text or token ids`;
  const { entry, loadMs: load } = cachedModel(job.model, job.kernels, job.onLoadProgress);
  const cfg = entry.model.config;
  let tokens: AttentionReport['tokens'];
  if (job.text !== undefined) {
    entry.tokenizer ??= modelTokenizer(entry.model.folder, cfg);
    tokens = entry.tokenizer.tokenizer.encodeTokens(job.text).map((t) => ({
      id: t.id, text: t.text, ...(t.typeId !== undefined ? { typeId: t.typeId } : {}), ...(t.end > t.start && !t.special ? { start: t.start, end: t.end } : {}),
    }));
  } else {
    let name: ((id: number) => string | undefined) | undefined;
    try {
      entry.tokenizer ??= modelTokenizer(entry.model.folder, cfg);
      name = (id) => entry.tokenizer!.tokenizer.idToToken(id);
    } catch { /* ids work without a tokenizer */ }
    tokens = job.ids!.map((id) => ({ id, text: name?.(id) ?? `#${id}` }));
  }
  let notice: string | undefined;
  const noticeCoded: CodedError[] = [];
  if (tokens.length > cfg.maxPositions) {
    noticeCoded.push({ code: 'input-cut-to-positions', args: [tokens.length, cfg.maxPositions] });
    notice = `The input has ${tokens.length} tokens; this model reads at most ${cfg.maxPositions}, so only the first ${cfg.maxPositions} were used.`;
    tokens = tokens.slice(0, cfg.maxPositions);
  }
  const fit = job.maxAttentionFloats ? Math.floor(Math.sqrt(job.maxAttentionFloats / (cfg.layers * cfg.heads))) : Infinity;
  if (tokens.length > fit) {
    const mb = (n: number) => ((4 * cfg.layers * cfg.heads * n * n) / 1e6).toFixed(0);
    noticeCoded.push({ code: 'panel-shows-first', args: [fit, tokens.length, mb(tokens.length), mb(fit)] });
    notice = `${notice ? `${notice} ` : ''}The panel shows the first ${fit} tokens: every layer and head over ${tokens.length} tokens would be ${mb(tokens.length)} MB of attention (${mb(fit)} MB shown). The CLI has no such limit.`;
    tokens = tokens.slice(0, fit);
  }
  const typeIds = cfg.typeVocabSize > 0 && tokens.some((t) => t.typeId !== undefined) ? tokens.map((t) => t.typeId ?? 0) : undefined;
  return { entry, load, tokens, typeIds, notice, ...(noticeCoded.length ? { noticeCoded } : {}) };
}

export function runAttentionJob(job: AttentionJob): AttentionReport {
  const { entry, load, tokens, typeIds, notice, noticeCoded } = prepare(job);
  const { model } = entry;
  const cfg = model.config;
  const t1 = performance.now();
  let seq2seq: AttentionReport['seq2seq'];
  let result: ForwardResult;
  if (cfg.head === 'seq2seq') {
    const decoderIds = decoderInput(job, cfg.decoderStartId ?? 0, entry.tokenizer?.tokenizer);
    if (decoderIds.length > cfg.decoder!.maxPositions) throw modelError`the target has ${decoderIds.length} tokens; the decoder reads at most ${cfg.decoder!.maxPositions}`;
    const r = runSeq2Seq(model, { ids: tokens.map((t) => t.id), decoderIds }, { record: job.record ?? 'weights', shouldCancel: job.shouldCancel });
    const name = (id: number) => entry.tokenizer?.tokenizer.idToToken(id) ?? `#${id}`;
    seq2seq = { decoderTokens: decoderIds.map((id) => ({ id, text: name(id) })), decoder: r.decoder };
    result = r.encoder;
  } else {
    result = runModel(model, { ids: tokens.map((t) => t.id), typeIds }, { record: job.record ?? 'weights', shouldCancel: job.shouldCancel });
  }
  const forward = performance.now() - t1;
  const report: AttentionReport = {
    model: model.name, description: describeConfig(cfg), descriptionCoded: describeConfigCoded(cfg), ...(noticeCoded ? { noticeCoded } : {}), tokenizerSource: entry.tokenizer?.source, tokens,
    layers: cfg.layers, heads: cfg.heads, notice, result, loaded: model, namedHeads: entry.namedHeads,
    tokenText: (id) => entry.tokenizer?.tokenizer.idToToken(id), byteLevel: entry.tokenizer?.tokenizer.kind === 'byte-bpe', timings: { load, forward },
    ...(seq2seq ? { seq2seq } : {}),
  };
  if (model.weights.head) {
    if (seq2seq) {
      report.nextLogits = logitsAt(cfg, model.weights, seq2seq.decoder.hidden, seq2seq.decoder.T - 1, model.kernels);
      report.nextTokenTop = topLogits(report.nextLogits, job.topK ?? 10);
    } else if (cfg.head === 'causal-lm') {
      report.nextLogits = logitsAt(cfg, model.weights, result.hidden, result.T - 1, model.kernels);
      report.nextTokenTop = topLogits(report.nextLogits, job.topK ?? 10);
    } else {
      const maskId = entry.tokenizer?.tokenizer.tokenToId('[MASK]') ?? 103;
      report.maskTop = tokens.flatMap((t, pos) => (t.id === maskId ? [{ pos, top: topLogits(logitsAt(cfg, model.weights, result.hidden, pos, model.kernels), job.topK ?? 5) }] : []));
    }
  }
  return report;
}

/** The decoder input: given ids, or the start token + the target tokenized on the target side (Marian: target.spm, ending with </s> as MarianTokenizer(text_target=…) does; others without the post-processor's tokens). */
function decoderInput(job: Pick<AttentionJob, 'target' | 'decoderIds'>, startId: number, tok: Tokenizer | undefined): number[] {
  if (job.decoderIds && job.target !== undefined) throw modelError`give the target as text or as decoder ids, not both`;
  if (job.decoderIds) {
    if (job.decoderIds.length === 0) throw modelError`the decoder ids are empty: the decoder needs at least its start token`;
    return job.decoderIds;
  }
  if (job.target === undefined || job.target === '') return [startId];
  if (!tok) throw modelError`this model folder has no tokenizer for the target text; give decoder ids instead`;
  const side = tok as Tokenizer & { encodeTarget?(text: string): number[] };
  const ids = side.encodeTarget ? side.encodeTarget(job.target) : tok.encode(job.target, { addSpecialTokens: false });
  return [startId, ...ids];
}

export interface MaskingDemoJob extends Pick<AttentionJob, 'model' | 'text' | 'ids' | 'kernels' | 'topK'> {
  seed: number;
}

export interface MaskingDemoReport {
  model: string;
  seed: number;
  steps: (MaskingStep & { originalText: string; inputText: string; top?: TopEntry[] })[];
  tokenText(id: number): string | undefined;
  /** The tokenizer is byte-level BPE (RoBERTa-style); see AttentionReport. */
  byteLevel: boolean;
}

/** BERT's pre-training masking on the input, then the model's top-k at every chosen position. */
export function runMaskingDemoJob(job: MaskingDemoJob): MaskingDemoReport {
  const { entry, tokens, typeIds } = prepare(job);
  const { model } = entry;
  const cfg = model.config;
  if (cfg.head !== 'masked-lm') throw modelError`the masking demo needs a masked language model (BERT, DistilBERT); ${model.name} is a causal language model (${cfg.arch})`;
  const tok = entry.tokenizer?.tokenizer;
  const maskId = tok?.tokenToId('[MASK]');
  if (maskId === undefined) throw modelError`${model.name}: its tokenizer has no [MASK] token`;
  const specialIds = new Set(['[CLS]', '[SEP]', '[PAD]', '[MASK]', '[UNK]'].map((t) => tok!.tokenToId(t)).filter((id): id is number => id !== undefined));
  const steps = bertMaskingDemo(tokens.map((t) => t.id), { seed: job.seed, vocabSize: cfg.vocabSize, maskId, specialIds });
  const result = runModel(model, { ids: steps.map((s) => s.input), typeIds }, { record: 'weights' });
  const name = (id: number) => tok!.idToToken(id) ?? `#${id}`;
  return {
    model: model.name, seed: job.seed, tokenText: (id) => tok!.idToToken(id), byteLevel: tok!.kind === 'byte-bpe',
    steps: steps.map((s) => ({
      ...s, originalText: name(s.original), inputText: name(s.input),
      ...(s.action && model.weights.head ? { top: topLogits(logitsAt(cfg, model.weights, result.hidden, s.pos, model.kernels), job.topK ?? 5) } : {}),
    })),
  };
}

export interface StepTraceJob extends Pick<AttentionJob, 'model' | 'text' | 'ids' | 'kernels' | 'maxAttentionFloats' | 'target' | 'decoderIds'> {
  layer: number;
  head: number;
  query: number;
  /** Encoder–decoders: which attention (default encoder-self). */
  attention?: TraceTarget;
}

/** Every number of one head for one query token (a pass recorded at level 'all'). */
export function runStepTraceJob(job: StepTraceJob): { tokens: AttentionReport['tokens']; trace: StepTrace } {
  const { entry, tokens, typeIds } = prepare(job);
  const { model } = entry;
  const cfg = model.config;
  if (cfg.head === 'seq2seq') {
    const kind = job.attention ?? 'encoder-self';
    const decoderIds = decoderInput(job, cfg.decoderStartId ?? 0, entry.tokenizer?.tokenizer);
    const r = runSeq2Seq(model, { ids: tokens.map((t) => t.id), decoderIds }, { record: 'all' });
    const trace = kind === 'encoder-self'
      ? stepTrace(cfg, model.weights, r.encoder, job.layer, job.head, job.query, kind)
      : stepTrace(cfg.decoder!, model.weights.decoder!, r.decoder, job.layer, job.head, job.query, kind);
    return { tokens, trace };
  }
  if (job.attention) throw modelError`${model.name} has one stack: the step trace is of its self attention (no ${job.attention})`;
  const result = runModel(model, { ids: tokens.map((t) => t.id), typeIds }, { record: 'all' });
  return { tokens, trace: stepTrace(cfg, model.weights, result, job.layer, job.head, job.query) };
}

/** The CLI's --json shape: attentions [L][H][T][T], hidden_states_last [T][C], predictions. */
export function reportToJson(r: AttentionReport): Record<string, unknown> {
  const T = r.result.T;
  const rows = (a: Float32Array, width: number) => Array.from({ length: a.length / width }, (_, i) => Array.from(a.subarray(i * width, (i + 1) * width)));
  return {
    model: r.model,
    tokens: r.tokens.map((t) => ({ id: t.id, text: t.text })),
    layers: r.layers,
    heads: r.heads,
    ...(r.notice ? { notice: r.notice } : {}),
    ...(r.seq2seq ? seq2seqJson(r, rows) : {
      attentions: r.result.layers.map((l) => l.heads.map((h) => rows(h.weights!, T))),
      hidden_states_last: rows(r.result.hidden, r.loaded.config.hidden),
    }),
    ...(r.nextTokenTop ? { next_token_top: r.nextTokenTop.map((e) => ({ id: e.id, logit: e.logit })) } : {}),
    ...(r.maskTop ? { mask_top: r.maskTop.map((m) => ({ pos: m.pos, ids: m.top.map((e) => e.id) })) } : {}),
  };
}

/** Encoder–decoders: the three attentions, [L][H][rows][keys] each, and both last hidden states. */
function seq2seqJson(r: AttentionReport, rows: (a: Float32Array, width: number) => number[][]): Record<string, unknown> {
  const Te = r.result.T, dec = r.seq2seq!.decoder, Td = dec.T, C = r.loaded.config.hidden;
  return {
    decoder_tokens: r.seq2seq!.decoderTokens,
    encoder_attentions: r.result.layers.map((l) => l.heads.map((h) => rows(h.weights!, Te))),
    decoder_attentions: dec.layers.map((l) => l.heads.map((h) => rows(h.weights!, Td))),
    cross_attentions: dec.layers.map((l) => (l.cross ?? []).map((h) => rows(h.weights!, Te))),
    encoder_last_hidden_state: rows(r.result.hidden, C),
    decoder_hidden_states_last: rows(dec.hidden, C),
  };
}
