/**
 * The worker's side of the panel's Generate view: continue the selection with the model,
 * streaming a start event (prompt tokens, the model's shape for the KV-cache drawing) and
 * one event per new token (its text, probability, top alternatives and, within the panel's
 * memory budget, the attention row that chose it), then answering a summary. The same
 * steps run again without the cache for the measured comparison of time per token.
 * Cancel: the host stores 1 in `req.cancel`; generate() stops between steps (and between
 * heads) and the tokens made so far are kept. Legend: L layers, NH heads, P prompt tokens.
 */
import { prepare } from '../model/attentionJob';
import { checkGenerateOptions } from '../model/generate';
import { runGenerateJob, type GenerateJob } from '../model/generateJob';
import type { LoadedModel } from '../model/loadModel';
import { ModelError, modelError } from '../model/modelError';
import { MAX_SELECTION_CHARS } from '../../shared/engineProtocol';
import { generateSettingsProblem, type GenerateEvent, type GenerateRequest, type GenerateShape, type GenerateSummary } from '../../shared/generateProtocol';
import { verbatim } from '../../shared/l10nText';

/** The shape the view draws and counts with; the weight sums are the checkpoint's own matrices. */
export function generateShape(model: LoadedModel): GenerateShape {
  const c = model.config;
  const stack = model.weights.decoder ?? model.weights;
  let weightMacs = 0;
  for (const w of stack.layers) weightMacs += w.qkvW.length + w.attnProjW.length + w.fcW.length + (w.upW?.length ?? 0) + w.fcProjW.length;
  const head = model.weights.head;
  return {
    layers: c.layers, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, hidden: c.hidden, vocab: c.vocabSize, maxPositions: c.maxPositions,
    slidingWindows: Array.from({ length: c.layers }, (_, l) => c.slidingWindows[l] ?? 0),
    weightMacs, headMacs: (head?.decoder.length ?? 0) + (head?.transformW?.length ?? 0), bytesPerValue: 4,
  };
}

/** Floats of attention rows a run records: L × NH × Σ keys over its steps (P, P + 1, …). */
export function recordedFloats(layers: number, heads: number, promptLength: number, steps: number): number {
  return layers * heads * (steps * promptLength + (steps * (steps - 1)) / 2);
}

export function runGenerate(req: GenerateRequest, onEvent?: (e: GenerateEvent) => void): GenerateSummary {
  if (req.text !== undefined && req.text.length > MAX_SELECTION_CHARS) throw modelError`The selection has ${req.text.length.toLocaleString('en-US')} characters; the engine reads at most ${MAX_SELECTION_CHARS.toLocaleString('en-US')}`;
  const problem = generateSettingsProblem(req.settings);
  if (problem) throw new ModelError(verbatim(problem)); // the host refused the same request before sending it (isWebviewToHost)
  const cancel = req.cancel;
  const shouldCancel = cancel ? () => Atomics.load(cancel, 0) === 1 : undefined;
  const { entry, tokens, notice, noticeCoded } = prepare({ model: req.model, text: req.text, ids: req.ids });
  const model = entry.model;
  const { maxNewTokens, sampling, seed } = req.settings;
  checkGenerateOptions(model, tokens.length, { maxNewTokens }); // BERT, a full prompt, too many tokens: before anything streams
  const tok = entry.tokenizer?.tokenizer;
  const text = (id: number) => (tok ? tok.decode([id]) : `#${id}`);
  const shape = generateShape(model);
  const steps = Math.min(maxNewTokens, model.config.maxPositions - tokens.length);
  const record = recordedFloats(shape.layers, shape.heads, tokens.length, steps) <= (req.maxAttentionFloats ?? Infinity);
  onEvent?.({ kind: 'start', model: model.name, prompt: tokens.map((t) => ({ id: t.id, text: (tok && tok.decode([t.id])) || t.text })), shape, ...(notice ? { notice } : {}), ...(noticeCoded ? { noticeCoded } : {}), attentionRecorded: record });
  const job: GenerateJob = { model: req.model, text: req.text, ids: req.ids, maxNewTokens, sampling, seed, topShown: req.topShown ?? 5, shouldCancel };
  let index = 0;
  const r = runGenerateJob({
    ...job, recordAttention: record,
    onStep: (s) => onEvent?.({
      kind: 'step', index: index++,
      step: { id: s.id, text: text(s.id), prob: s.prob, top: s.top.map((e) => ({ ...e, text: text(e.id) })), ms: s.ms, keys: s.keys, ...(s.attentions ? { attentions: s.attentions } : {}) },
    }),
  });
  const summary: GenerateSummary = { model: r.model, text: r.text, newIds: r.newIds, stoppedBy: r.stoppedBy, kvCacheBytes: r.kvCacheBytes, prefillMs: r.prefillMs, msPerToken: r.msPerToken };
  // The comparison: the first K steps again, each re-reading the whole prefix (no EOS stop: the same K tokens).
  const K = Math.min(req.compareWithoutCache ?? 0, r.steps.length);
  if (r.stoppedBy !== 'cancelled' && K >= 2) {
    const nc = runGenerateJob({ ...job, maxNewTokens: K, eosIds: [], useCache: false });
    if (nc.stoppedBy !== 'cancelled') {
      const cached = r.steps.slice(1, K);
      summary.withoutCache = {
        tokens: K, msPerToken: nc.msPerToken, withCacheMsPerToken: cached.reduce((a, s) => a + s.ms, 0) / cached.length,
        sameIds: nc.newIds.every((id, i) => id === r.newIds[i]),
      };
    }
  }
  return summary;
}
