/**
 * What the engine worker does for each request (engineProtocol.ts). Pure functions of
 * the request, so they are tested without a thread and reused by the worker.
 */
import type { AttentionAnswer, AttentionRequest, EngineAnswers, EngineRequest, SpecialMode } from '../../shared/engineProtocol';
import { runAttentionJob, runMaskingDemoJob, runStepTraceJob } from '../model/attentionJob';
import { HEAD_PATTERN_LABEL } from '../model/bundledModels';
import { MAX_SELECTION_CHARS } from '../../shared/engineProtocol';
import type { PanelArchitecture, PanelToken, TraceResult } from '../../shared/protocol';
import type { ModelConfig } from '../model/config';
import { inverseFrequencies } from '../model/rope';
import { tokensAt } from '../tokenizers/hover';
import { resolveTokenizer } from '../tokenizers/resolve';
import type { EncodeOptions, Token } from '../tokenizers/types';
import { trainBpe } from '../training/bpeTrainer';
import { runGenerate } from './generateHandler';
import { panelSeq2Seq } from './seq2seqPanel';
import { runEmbedding, runLoss, runResidual } from './residualHandler';
import { runChat, runCompare } from './tokenizerToolsHandler';
import { runVerify } from './verify';
import { checkVerifyRequest } from '../../shared/verifyProtocol';
import type { GenerateEvent } from '../../shared/generateProtocol';
import { withCode } from '../../shared/engineErrors';
import { encodeTokensBytes } from '../../shared/tokensWire';

/** Texts longer than this are traced only in a window around the inspected token. */
export const TRACE_WINDOW = 20_000;

const options = (special: SpecialMode): EncodeOptions => (special === 'default' ? {} : { specialTokens: special });

function checkSize(text: string): void {
  if (text.length > MAX_SELECTION_CHARS) {
    throw withCode(new Error(`The selection has ${text.length.toLocaleString('en-US')} characters; Transformer Tracer tokenizes at most ${MAX_SELECTION_CHARS.toLocaleString('en-US')} (16 MiB) at once`),
      'selection-too-large', text.length.toLocaleString('en-US'), MAX_SELECTION_CHARS.toLocaleString('en-US'));
  }
}

export function toPanelToken(t: Token, text: string): PanelToken {
  return { id: t.id, text: t.text, source: text.slice(t.start, t.end), start: t.start, end: t.end, special: t.special, bytes: t.bytes, rank: t.rank, typeId: t.typeId };
}

/** Code points in `text`, counted without `[...text]` (an array of 5 M one-character strings for a 5 MB selection). */
export function codePointCount(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) { const d = text.charCodeAt(i + 1); if (d >= 0xdc00 && d < 0xe000) { n--; i++; } }
  }
  return n;
}

export type OnProgress = (done: number, total: number) => void;
/** Events a request streams as it runs (generate: the start, then each new token). */
export type OnStream = (event: GenerateEvent) => void;

export function handle<K extends EngineRequest['kind']>(req: Extract<EngineRequest, { kind: K }>, onProgress?: OnProgress, onStream?: OnStream): EngineAnswers[K];
export function handle(req: EngineRequest, onProgress?: OnProgress, onStream?: OnStream): EngineAnswers[keyof EngineAnswers] {
  switch (req.kind) {
    case 'tokenize': {
      checkSize(req.text);
      const tok = resolveTokenizer(req.tokenizer);
      // Small texts: one traced pass (offsets and bytes). Large: count everything fast,
      // then trace only the prefix the panel shows.
      const head = req.text.length > req.limit * 8 ? req.text.slice(0, req.limit * 8) : req.text;
      let tokens = tok.encodeTokens(head, options(req.special));
      const total = head === req.text ? tokens.length : tok.encode(req.text, options(req.special)).length;
      const truncated = tokens.length > req.limit || head !== req.text;
      tokens = tokens.slice(0, req.limit);
      return {
        tokenizer: tok.name, source: req.source, tokens: tokens.map((t) => toPanelToken(t, req.text)),
        counts: { tokens: total, characters: codePointCount(req.text), bytes: Buffer.byteLength(req.text, 'utf8') },
        truncated, shownLimit: req.limit, byteLevel: tok.kind === 'byte-bpe',
      };
    }
    case 'tokenizeBytes': return encodeTokensBytes(handle({ ...req, kind: 'tokenize' }));
    case 'count':
      checkSize(req.text);
      return resolveTokenizer(req.tokenizer).encode(req.text, options(req.special)).length;
    case 'trace': return trace(req.tokenizer, req.text, req.special, req.tokenIndex);
    case 'train': {
      const r = trainBpe(req.text, { mode: req.mode, merges: req.merges, minFrequency: req.minFrequency });
      return { mode: r.mode, initialVocab: r.initialVocab, merges: r.merges, segmentation: r.segmentation.slice(0, 2_000), stoppedBecause: r.stoppedBecause };
    }
    case 'hover': return tokensAt(resolveTokenizer(req.tokenizer), req.line, req.column);
    case 'attention': return attention(req, onProgress);
    case 'step':
      if (req.text !== undefined) checkSize(req.text);
      return runStepTraceJob(req).trace;
    case 'generate': return runGenerate(req, onStream);
    case 'lens': return runResidual(req);
    case 'loss': return runLoss(req);
    case 'embedding': return runEmbedding(req);
    case 'compare': checkSize(req.text); return runCompare(req);
    case 'chat': return runChat(req);
    case 'verify': checkVerifyRequest(req); if (req.check === 'tokenizer') checkSize(req.text); return runVerify(req);
    case 'maskDemo': {
      checkSize(req.text);
      const r = runMaskingDemoJob({ model: req.model, text: req.text, seed: req.seed });
      return { seed: r.seed, steps: r.steps.map((s) => ({ ...s, top: s.top?.map((e) => ({ ...e, text: r.tokenText(e.id) })) })) };
    }
  }
}

function attention(req: AttentionRequest, onProgress?: OnProgress): AttentionAnswer {
  if (req.text !== undefined) checkSize(req.text);
  const cancel = req.cancel;
  let lastShare = -1;
  const r = runAttentionJob({
    model: req.model, text: req.text, ids: req.ids, target: req.target, record: req.record, maxAttentionFloats: req.maxAttentionFloats, shouldCancel: cancel ? () => Atomics.load(cancel, 0) === 1 : undefined,
    onLoadProgress: onProgress && ((done, total) => {
      const share = Math.floor((50 * done) / Math.max(1, total)); // at most 50 messages a load
      if (share !== lastShare) { lastShare = share; onProgress(done, total); }
    }),
  });
  const T = r.result.T;
  const attentions = r.result.layers.map((layer) => {
    const all = new Float32Array(layer.heads.length * T * T); // [H, T, T]
    layer.heads.forEach((h, i) => all.set(h.weights!, i * T * T));
    return all;
  });
  const named = (e: { id: number; logit: number }) => ({ ...e, text: r.tokenText(e.id) });
  return {
    model: r.model, description: r.description, tokenizerSource: r.tokenizerSource,
    tokens: r.tokens.map((t) => ({ id: t.id, text: t.text, ...(t.start !== undefined ? { start: t.start, end: t.end } : {}) })),
    causal: r.loaded.config.causal, layers: r.layers, heads: r.heads, T, notice: r.notice, attentions, descriptionCoded: r.descriptionCoded, ...(r.noticeCoded ? { noticeCoded: r.noticeCoded } : {}),
    nextTokenTop: r.nextTokenTop?.map(named), maskTop: r.maskTop?.map((m) => ({ pos: m.pos, top: m.top.map(named) })),
    namedHeads: r.namedHeads.map((n) => ({ layer: n.layer, head: n.head, label: HEAD_PATTERN_LABEL[n.pattern], score: n.score })),
    timings: r.timings, nextLogits: r.nextLogits, architecture: panelArchitecture(r.loaded.config, r.result.rope?.invFreq),
    ...(r.seq2seq ? { seq2seq: panelSeq2Seq(r, req.target) } : {}),
  };
}

/** What the panel explains about the model's shape; `invFreq` is the forward pass's own (dynamic RoPE depends on T). */
export function panelArchitecture(c: ModelConfig, invFreq?: Float32Array): PanelArchitecture {
  const rope = c.rope && {
    ...c.rope, invFreq: Array.from(invFreq ?? inverseFrequencies(c.rope, 1)),
  };
  return {
    kvHeads: c.kvHeads, headDim: c.headDim, normKind: c.normKind, ffn: c.ffn, positions: c.positions,
    ...(rope ? { rope } : {}), slidingWindows: Array.from({ length: c.layers }, (_, l) => c.slidingWindows[l] ?? 0),
  };
}

/** The pipeline trace of the piece holding token `tokenIndex`. */
function trace(name: string, text: string, special: SpecialMode, tokenIndex: number): TraceResult {
  checkSize(text);
  const tok = resolveTokenizer(name);
  const shown = text.length > TRACE_WINDOW ? text.slice(0, TRACE_WINDOW) : text;
  const t = tok.encodeWithTrace(shown, options(special));
  const target = t.tokens[tokenIndex];
  const piece = target && t.pieces.find((p) => p.tokenIds.length > 0 && p.start <= target.start && target.end <= Math.max(p.end, p.start) && p.tokenIds.includes(target.id));
  return { tokenIndex, stages: t.stages, normalized: t.normalized.slice(0, 2_000), piece };
}
