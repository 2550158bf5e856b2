/**
 * Encoder–decoder passes (T5, BART, mBART, Marian): the encoder reads the source once
 * (bidirectional self attention, padded keys masked); the decoder reads the target so far
 * (causal self attention) and, in every layer, the encoder's output through cross attention
 * (queries from the decoder, keys and values from the encoder, padded source keys masked).
 * Both are transformer.ts's forward over the config's two stacks; the encoder's K/V for
 * cross attention are computed once and reused by every decoding step.
 */
import type { LoadedModel } from './loadModel';
import { checkFiniteOutput } from './heads';
import type { KvCache } from './kvCache';
import { modelError } from './modelError';
import { forward, type ForwardOptions, type ForwardResult } from './transformer';
import { phrase } from '../../shared/l10nText';

export interface Seq2SeqInput {
  /** source token ids */
  ids: readonly number[];
  /** 1 for real source tokens, 0 for padding */
  attentionMask?: readonly number[];
  /** decoder input ids (starting with the decoder start token) */
  decoderIds: readonly number[];
}

export interface Seq2SeqResult {
  encoder: ForwardResult;
  /** Its layers' `cross` hold the cross-attention heads, [Td, Te] weights each. */
  decoder: ForwardResult;
}

type PassOptions = Omit<ForwardOptions, 'kernels' | 'cross' | 'cache'>;

function checkSeq2Seq(model: LoadedModel): void {
  if (model.config.head !== 'seq2seq' || !model.config.decoder || !model.weights.decoder) throw modelError`${model.name} is not an encoder–decoder model`;
}

export function encode(model: LoadedModel, ids: readonly number[], attentionMask?: readonly number[], opts: PassOptions = {}): ForwardResult {
  checkSeq2Seq(model);
  const r = forward(model.config, model.weights, { ids, attentionMask }, { ...opts, kernels: model.kernels });
  checkFiniteOutput(r.hidden, phrase`encoder output`, model.config.hidden);
  return r;
}

/** The decoder over `decoderIds` (continuing `cache` when given), reading `encoded`; pass `crossKv` from an earlier step to reuse it. */
export function decode(model: LoadedModel, encoded: ForwardResult, decoderIds: readonly number[], opts: PassOptions & { attentionMask?: readonly number[]; cache?: KvCache; crossKv?: Float32Array[] } = {}): ForwardResult {
  checkSeq2Seq(model);
  const { attentionMask, cache, crossKv, ...pass } = opts;
  for (const id of decoderIds) {
    if (!Number.isInteger(id) || id < 0 || id >= model.config.vocabSize) throw modelError`decoder token id ${id} is outside the model's vocabulary (0–${model.config.vocabSize - 1})`;
  }
  const r = forward(model.config.decoder!, model.weights.decoder!, { ids: decoderIds }, {
    ...pass, kernels: model.kernels, cache,
    cross: { hidden: encoded.hidden, Te: encoded.T, keyMask: attentionMask, kv: crossKv },
  });
  checkFiniteOutput(r.hidden, phrase`decoder output`, model.config.hidden);
  return r;
}

export function runSeq2Seq(model: LoadedModel, input: Seq2SeqInput, opts: PassOptions = {}): Seq2SeqResult {
  const encoder = encode(model, input.ids, input.attentionMask, opts);
  return { encoder, decoder: decode(model, encoder, input.decoderIds, { ...opts, attentionMask: input.attentionMask }) };
}
