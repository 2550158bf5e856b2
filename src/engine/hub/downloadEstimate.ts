/**
 * What a Hub model will cost, worked out before any weight is downloaded: the bytes to
 * fetch, the parameters, and the memory the engine needs to hold them. The engine keeps
 * every weight as float32 (F16/BF16 checkpoints are widened on load), so resident memory
 * ≈ parameters × 4 bytes, plus activations.
 *
 * Where the parameter count comes from, best first:
 *   1. the Hub API's `safetensors.parameters` (per dtype) from /api/models/{repo}/revision/{commit}
 *      (exact; mirrors may not have the API);
 *   2. model.safetensors.index.json's `metadata.total_size` (tensor bytes) ÷ bytes per element of
 *      config.json's `dtype` / `torch_dtype`;
 *   3. the weight files' sizes ÷ bytes per element (the few header bytes counted as data).
 * With no dtype declared the files are taken as float32: GPT-2- and BERT-era configs that omit
 * it are float32 checkpoints, newer ones declare it.
 *
 * Refused (before downloading): more parameters than the engine's MAX_MODEL_FLOATS (8 GiB of
 * float32), or weights + activations over this machine's total memory. Asked first: a
 * download of more than CONFIRM_DOWNLOAD_BYTES (1 GB).
 */
import { freemem, totalmem } from 'node:os';
import { MAX_MODEL_FLOATS } from '../model/config';
import { ModelError } from '../model/modelError';
import { phrase, type L10nText } from '../../shared/l10nText';

/** Downloads larger than this (1 GB, decimal as the Hub shows sizes) are shown and confirmed first. */
export const CONFIRM_DOWNLOAD_BYTES = 1e9;
/** The input length activations are estimated for. */
export const ACTIVATION_TOKENS = 512;
/** Activations when config.json does not give the sizes to work them out. */
const DEFAULT_ACTIVATION_BYTES = 256 * 2 ** 20;

const BYTES_PER_ELEMENT: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};
/** config.json's dtype names (`torch_dtype` in transformers 4, `dtype` in 5) as safetensors dtypes. */
const CONFIG_DTYPES: Record<string, string> = { float64: 'F64', float32: 'F32', float16: 'F16', bfloat16: 'BF16', float: 'F32', half: 'F16' };

export type ParamsSource = 'hub-api' | 'index' | 'file-sizes';

export interface DownloadEstimate {
  /** the model, as formatHubId writes it (`org/name`, `org/name@v2`) */
  id: string;
  /** Bytes still to fetch (files already in the cache's blobs/ not counted). */
  downloadBytes: number;
  /** Every file of the model with its size; `cached` ones are not fetched again. */
  files: { file: string; size: number; cached: boolean }[];
  parameters: number;
  /** The checkpoint's dtype (the largest share when the Hub lists several), when known. */
  dtype?: string;
  paramsFrom: ParamsSource;
  /** parameters × 4 */
  weightBytes: number;
  /** For ACTIVATION_TOKENS tokens with attention weights recorded. */
  activationBytes: number;
  engineLimitBytes: number;
  machineBytes: number;
  freeBytes: number;
  /** Why it cannot run here: over the engine's limit, or over this machine's memory. */
  refusal?: 'engine' | 'machine';
}

export interface EstimateInputs {
  id: string;
  files: { file: string; size: number; cached: boolean }[];
  /** config.json, parsed */
  config: Record<string, unknown>;
  /** The Hub API's safetensors.parameters, e.g. { BF16: 7241732096 } */
  apiParameters?: Record<string, number>;
  /** model.safetensors.index.json's metadata.total_size */
  indexTotalSize?: number;
  /** This machine's memory; os.totalmem() / os.freemem() when not given (tests give it). */
  machine?: { total: number; free: number };
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** The first of `keys` that config.json sets to a positive number (field names differ by family). */
function field(config: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) { const v = positive(config[k]); if (v !== undefined) return v; }
  return undefined;
}

/** `torch_dtype: "bfloat16"` → BF16; undefined when config.json names none (or one we do not know). */
export function configDtype(config: Record<string, unknown>): string | undefined {
  const raw = config.dtype ?? config.torch_dtype;
  return typeof raw === 'string' ? CONFIG_DTYPES[raw.replace(/^torch\./, '')] : undefined;
}

/**
 * Activation bytes for T = 512 tokens (or the model's positions, if fewer) with attention
 * weights recorded: L·NH·T² attention weights + T·V logits + L·T·(2C + F) hidden and FFN
 * values, float32. Qwen3-0.6B (L 28, NH 16, C 1024, F 3072, V 151936): ≈ 0.97 GB.
 */
export function activationBytes(config: Record<string, unknown>): number {
  const L = field(config, 'num_hidden_layers', 'n_layer', 'n_layers', 'num_layers');
  const NH = field(config, 'num_attention_heads', 'n_head', 'n_heads', 'num_heads');
  const C = field(config, 'hidden_size', 'n_embd', 'dim', 'd_model');
  const V = field(config, 'vocab_size');
  if (!L || !NH || !C || !V) return DEFAULT_ACTIVATION_BYTES;
  const F = field(config, 'intermediate_size', 'n_inner', 'hidden_dim', 'd_ff') ?? 4 * C;
  const T = Math.min(ACTIVATION_TOKENS, field(config, 'max_position_embeddings', 'n_positions') ?? ACTIVATION_TOKENS);
  return 4 * (L * NH * T * T + T * V + L * T * (2 * C + F));
}

function parameterCount(i: EstimateInputs): { parameters: number; dtype?: string; paramsFrom: ParamsSource } {
  const api = Object.entries(i.apiParameters ?? {}).filter(([, n]) => positive(n) !== undefined);
  if (api.length > 0) {
    return { parameters: api.reduce((s, [, n]) => s + n, 0), dtype: api.sort((a, b) => b[1] - a[1])[0][0], paramsFrom: 'hub-api' };
  }
  const dtype = configDtype(i.config);
  const bytes = BYTES_PER_ELEMENT[dtype ?? 'F32'];
  if (positive(i.indexTotalSize) !== undefined) return { parameters: Math.round(i.indexTotalSize! / bytes), dtype, paramsFrom: 'index' };
  const weights = i.files.filter((f) => f.file.endsWith('.safetensors')).reduce((s, f) => s + f.size, 0);
  return { parameters: Math.round(weights / bytes), dtype, paramsFrom: 'file-sizes' };
}

export function estimateDownload(i: EstimateInputs): DownloadEstimate {
  const machine = i.machine ?? { total: totalmem(), free: freemem() };
  const count = parameterCount(i);
  const e: DownloadEstimate = {
    id: i.id,
    downloadBytes: i.files.reduce((s, f) => s + (f.cached ? 0 : f.size), 0),
    files: i.files,
    ...count,
    weightBytes: count.parameters * 4,
    activationBytes: activationBytes(i.config),
    engineLimitBytes: MAX_MODEL_FLOATS * 4,
    machineBytes: machine.total,
    freeBytes: machine.free,
  };
  if (e.parameters > MAX_MODEL_FLOATS) e.refusal = 'engine';
  else if (e.weightBytes + e.activationBytes > e.machineBytes) e.refusal = 'machine';
  return e;
}

export const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);
export const gb = (bytes: number) => (bytes / 1e9).toFixed(bytes >= 10e9 ? 1 : 2);
/** 7241732096 → "7.24 B", 494032768 → "494 M", 2071552 → "2.07 M" */
export function formatParameters(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  return n.toLocaleString('en-US');
}

/** The estimate in one paragraph, for the CLI and the log. */
export function describeEstimate(e: DownloadEstimate): string {
  const weights = e.files.filter((f) => f.file.endsWith('.safetensors')).length;
  return `${e.id}: a ${gb(e.downloadBytes)} GB download (${weights} safetensors file${weights === 1 ? '' : 's'} of ${e.files.length}); ` +
    `${formatParameters(e.parameters)} parameters${e.dtype ? ` (${e.dtype})` : ''} need ${gib(e.weightBytes)} GiB as float32, ` +
    `plus about ${gib(e.activationBytes)} GiB of activations for ${ACTIVATION_TOKENS} tokens; this machine has ${gib(e.machineBytes)} GiB (${gib(e.freeBytes)} GiB free)`;
}

/** The refusal, naming the numbers: "mistralai/Mistral-7B-v0.1: 7.24 B parameters need 27.0 GiB as float32; the engine holds at most 8 GiB (this machine has 23.5 GiB); its 14.5 GB were not downloaded" */
export function refusalMessage(e: DownloadEstimate): L10nText {
  const need = phrase`${e.id}: ${formatParameters(e.parameters)} parameters need ${gib(e.weightBytes)} GiB as float32`;
  const nothing = phrase`its ${gb(e.downloadBytes)} GB were not downloaded`;
  if (e.refusal === 'engine') return phrase`${need}; the engine holds at most ${e.engineLimitBytes / 2 ** 30} GiB (this machine has ${gib(e.machineBytes)} GiB); ${nothing}`;
  return phrase`${need}, plus about ${gib(e.activationBytes)} GiB of activations; this machine has ${gib(e.machineBytes)} GiB of memory; ${nothing}`;
}

/** A model that cannot run here, refused before its weights are downloaded. */
export class ModelTooLargeError extends ModelError {
  override name = 'ModelTooLargeError';
  constructor(readonly estimate: DownloadEstimate) { super(refusalMessage(estimate)); }
}

/** The person asked declined a large download; nothing of the weights was fetched. */
export class DownloadDeclinedError extends ModelError {
  override name = 'DownloadDeclinedError';
  constructor(readonly estimate: DownloadEstimate) { super(phrase`download of ${estimate.id} (${gb(estimate.downloadBytes)} GB) declined; nothing of the weights was downloaded`); }
}
