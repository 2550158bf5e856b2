/**
 * Autoregressive generation, one token at a time, as transformers' `generate` does it:
 *
 *   prefill:  one pass over the prompt fills the KV cache; logits at the last position
 *   step:     logits → repetition penalty → (greedy: argmax | temperature → top-k → top-p → draw)
 *             → append the token → one pass over that token alone (its K/V rows appended)
 *   stop:     an EOS id, a stop string in the decoded continuation, max_new_tokens, or the
 *             model's last position
 *
 * Sampling is seeded (one mulberry32 stream per run), so a run replays exactly. Each step
 * records its probability, the top alternatives and, when asked, the new token's attention
 * row in every layer and head (what it looked at while it was chosen).
 * Encoder–decoders (T5, BART, Marian) encode the source once; the decoder starts from its
 * start token, its self-attention K/V cached and the cross-attention K/V computed once.
 * Without the cache (`useCache: false`) every step re-runs the whole prefix: the same tokens,
 * for the comparison of work done (multiply-adds) and time.
 */
import { mulberry32, warpedDistribution, type SamplingSettings } from '../../shared/sampling';
import { checkFiniteOutput, logitsAt } from './heads';
import { topK } from './kernels';
import { createKvCache, kvCacheBytes, type KvCache } from './kvCache';
import type { LoadedModel } from './loadModel';
import { CancelledError, modelError } from './modelError';
import { decode, encode } from './seq2seq';
import { forward } from './transformer';
import { phrase } from '../../shared/l10nText';

export interface GenerateOptions {
  maxNewTokens: number;
  /** Absent: greedy. */
  sampling?: SamplingSettings;
  seed?: number;
  /** Ids that end the continuation (the model's eos_token_id). */
  eosIds?: readonly number[];
  /** Strings that end it once the decoded continuation contains one (needs `decode`). */
  stopStrings?: readonly string[];
  decode?: (ids: number[]) => string;
  /** transformers' RepetitionPenaltyLogitsProcessor: > 1 discourages tokens already present. 1 = off. */
  repetitionPenalty?: number;
  /** How many alternatives each step lists. */
  topShown?: number;
  /** Keep each new token's attention rows ([H, keys] per layer). */
  recordAttention?: boolean;
  useCache?: boolean;
  shouldCancel?: () => boolean;
  onStep?: (step: GenerationStep) => void;
}

export interface GenerationStep {
  id: number;
  /** Its probability under the distribution it was chosen from (greedy: softmax of the penalized logits). */
  prob: number;
  top: { id: number; prob: number }[];
  /** milliseconds: this step's forward pass and choice */
  ms: number;
  /** Keys the new token attended over (prompt + earlier tokens + itself). */
  keys: number;
  /** Per layer, [H, keys]: the attention row of the token that produced this one (recordAttention). */
  attentions?: Float32Array[];
  /** Encoder–decoders, per layer, [H, source tokens]: its cross-attention row (recordAttention). */
  crossAttentions?: Float32Array[];
}

export interface GenerationResult {
  promptIds: number[];
  newIds: number[];
  steps: GenerationStep[];
  stoppedBy: 'eos' | 'stop-string' | 'max-new-tokens' | 'positions' | 'cancelled';
  /** Bytes of K and V held at the end (float32). */
  kvCacheBytes: number;
  prefillMs: number;
  msPerToken: number;
}

/** transformers' repetition penalty: every id already in the sequence, logit < 0 → × p, else ÷ p. */
export function applyRepetitionPenalty(logits: Float32Array, ids: readonly number[], penalty: number): void {
  if (penalty === 1) return;
  for (const id of new Set(ids)) {
    const v = logits[id];
    logits[id] = v < 0 ? v * penalty : v / penalty;
  }
}

/**
 * Greedy's choice and numbers without the V-long distribution (softmaxAt costs 0.6 ms and a
 * 400 KB array a token on a 50k vocabulary): the max and Σ e^(l − max) summed in
 * softmaxAt's order, so prob(i) = e^(l_i − max) / Σ is bit for bit softmaxAt(logits)[i].
 * The alternatives are ranked by logit, softmax's order (ties: lower id first, as topK; only
 * logits more than ~745 below the best, whose probabilities underflow to an equal 0, could
 * rank otherwise), and the choice is the first of them: the argmax, lowest id on a tie.
 */
export function greedyChoice(logits: Float32Array, shown: number): { id: number; prob: (i: number) => number; top: number[] } {
  const V = logits.length;
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < V; i++) sum += Math.exp(logits[i] - max);
  const ranked = topK(logits, Math.max(1, shown));
  return { id: ranked[0], prob: (i) => Math.exp(logits[i] - max) / sum, top: ranked.slice(0, shown) };
}

export function checkGenerateOptions(model: LoadedModel, promptLength: number, o: GenerateOptions): void {
  const cfg = model.config;
  if (cfg.head === 'seq2seq') {
    if (!Number.isInteger(o.maxNewTokens) || o.maxNewTokens < 1) throw modelError`max new tokens must be a whole number ≥ 1, got ${o.maxNewTokens}`;
    if (promptLength < 1) throw modelError`the source is empty: an encoder–decoder needs something to read`;
    if (o.maxNewTokens >= cfg.decoder!.maxPositions) throw modelError`max new tokens ${o.maxNewTokens} is more than the decoder's ${cfg.decoder!.maxPositions - 1} positions after its start token`;
    for (const s of o.stopStrings ?? []) if (s === '') throw modelError`a stop string cannot be empty`;
    return;
  }
  if (cfg.head !== 'causal-lm') {
    throw modelError`${model.name} is not a generative model: it is a ${cfg.head === 'masked-lm' ? phrase`masked language model (it fills in [MASK] tokens: try predict or mask-demo)` : cfg.head}`;
  }
  if (!model.weights.head) throw modelError`${model.name} has no language-model head, so it cannot choose tokens`;
  if (!Number.isInteger(o.maxNewTokens) || o.maxNewTokens < 1) throw modelError`max new tokens must be a whole number ≥ 1, got ${o.maxNewTokens}`;
  if (promptLength >= cfg.maxPositions) throw modelError`the prompt already fills the model's ${cfg.maxPositions} positions: there is no room for a new token`;
  if (o.maxNewTokens > cfg.maxPositions) throw modelError`max new tokens ${o.maxNewTokens} is more than the model's ${cfg.maxPositions} positions`;
  if (o.repetitionPenalty !== undefined && !(o.repetitionPenalty > 0 && Number.isFinite(o.repetitionPenalty))) throw modelError`repetition penalty must be a number above 0, got ${o.repetitionPenalty}`;
  for (const s of o.stopStrings ?? []) if (s === '') throw modelError`a stop string cannot be empty`;
  if (o.stopStrings?.length && !o.decode) throw modelError`stop strings need a tokenizer to decode the continuation`;
}

/**
 * Continue `promptIds` (decoder-only), or translate/summarize them (encoder–decoder: the
 * prompt is the source, read once by the encoder; the decoder starts from its start token
 * and `newIds` are the tokens after it).
 */
export function generate(model: LoadedModel, promptIds: readonly number[], o: GenerateOptions): GenerationResult {
  checkGenerateOptions(model, promptIds.length, o);
  const seq2seq = model.config.head === 'seq2seq';
  const cfg = seq2seq ? model.config.decoder! : model.config;
  const encoded = seq2seq ? encode(model, promptIds) : undefined;
  const start = seq2seq ? [model.config.decoderStartId ?? 0] : [...promptIds];
  const room = Math.min(o.maxNewTokens, cfg.maxPositions - start.length);
  const useCache = o.useCache ?? true;
  const cache: KvCache | undefined = useCache ? createKvCache(cfg, start.length + room, model.kernels) : undefined;
  try {
    return generateSteps(model, promptIds, o, { cfg, encoded, start, room, useCache, cache });
  } finally {
    cache?.release(); // the kernels' KV memory serves the next generation
  }
}

interface StepsSetup {
  cfg: LoadedModel['config']; encoded: ReturnType<typeof encode> | undefined;
  start: number[]; room: number; useCache: boolean; cache: KvCache | undefined;
}

function generateSteps(model: LoadedModel, promptIds: readonly number[], o: GenerateOptions, setup: StepsSetup): GenerationResult {
  const { cfg, encoded, start, room, useCache, cache } = setup;
  let crossKv: Float32Array[] | undefined;
  const rng = o.sampling ? mulberry32(o.seed ?? 0) : undefined;
  const ids = [...start];
  const steps: GenerationStep[] = [];
  const record = o.recordAttention ? 'weights' : 'none';
  let stoppedBy: GenerationResult['stoppedBy'] = room < o.maxNewTokens ? 'positions' : 'max-new-tokens';
  let prefillMs = 0;
  let pending = [...start]; // tokens the next pass must run
  for (let n = 0; n < room; n++) {
    if (o.shouldCancel?.()) { stoppedBy = 'cancelled'; break; }
    const t0 = performance.now();
    const input = useCache ? pending : ids;
    let r;
    try {
      if (encoded) {
        r = decode(model, encoded, input, { record, cache, crossKv, shouldCancel: o.shouldCancel });
        crossKv = r.crossKv;
      } else {
        r = forward(cfg, model.weights, { ids: input }, { record, kernels: model.kernels, cache, shouldCancel: o.shouldCancel });
      }
    } catch (e) {
      if (e instanceof CancelledError) { stoppedBy = 'cancelled'; break; }
      throw e;
    }
    checkFiniteOutput(r.hidden, phrase`last hidden state`, cfg.hidden);
    const logits = logitsAt(model.config, model.weights, r.hidden, r.T - 1, model.kernels);
    applyRepetitionPenalty(logits, ids, o.repetitionPenalty ?? 1);
    const shown = o.topShown ?? 5;
    let id: number, prob: (i: number) => number, top: number[];
    if (rng) {
      const p = warpedDistribution(logits, o.sampling!);
      let u = rng();
      id = -1;
      for (let i = 0; i < p.length && id < 0; i++) { u -= p[i]; if (u < 0) id = i; }
      if (id < 0) for (let i = p.length - 1; i >= 0 && id < 0; i--) if (p[i] > 0) id = i;
      prob = (i) => p[i];
      top = topK(p, shown);
    } else {
      ({ id, prob, top } = greedyChoice(logits, shown));
    }
    const keys = r.past + r.T;
    const attentions = o.recordAttention ? r.layers.map((layer) => {
      const rows = new Float32Array(layer.heads.length * keys); // [H, keys]: the last query row of each head
      layer.heads.forEach((h, i) => rows.set(h.weights!.subarray((r.T - 1) * keys, r.T * keys), i * keys));
      return rows;
    }) : undefined;
    const crossAttentions = o.recordAttention && encoded ? r.layers.map((layer) => {
      const Te = encoded.T;
      const rows = new Float32Array(layer.cross!.length * Te); // [H, Te]: what the new token read in the source
      layer.cross!.forEach((h, i) => rows.set(h.weights!.subarray((r.T - 1) * Te, r.T * Te), i * Te));
      return rows;
    }) : undefined;
    const ms = performance.now() - t0;
    if (n === 0) prefillMs = ms;
    const step: GenerationStep = { id, prob: prob(id), top: top.map((t) => ({ id: t, prob: prob(t) })), ms, keys, ...(attentions ? { attentions } : {}), ...(crossAttentions ? { crossAttentions } : {}) };
    steps.push(step);
    ids.push(id);
    pending = [id];
    o.onStep?.(step);
    if (o.eosIds?.includes(id)) { stoppedBy = 'eos'; break; }
    if (o.stopStrings?.length && o.decode) {
      const text = o.decode(ids.slice(start.length));
      if (o.stopStrings.some((s) => text.includes(s))) { stoppedBy = 'stop-string'; break; }
    }
  }
  const decodeSteps = steps.slice(1);
  return {
    promptIds: [...promptIds], newIds: ids.slice(start.length), steps, stoppedBy,
    kvCacheBytes: cache ? kvCacheBytes(cfg, cache.length) : 0, prefillMs,
    msPerToken: decodeSteps.length ? decodeSteps.reduce((a, s) => a + s.ms, 0) / decodeSteps.length : prefillMs,
  };
}
