/**
 * What a Hub id named in code is, from the Hugging Face cache only (no network, nothing
 * downloaded): the architecture and shape from config.json, the parameter count from the
 * safetensors headers (exact: the sum of every tensor's shape product), the size on disk
 * of the repo's blobs. An id not in the cache says so; a bad cache entry names its problem.
 *   gpt2 → GPT2LMHeadModel · gpt2 · 12 layers · 12 heads · width 768 · vocab 50,257 · 124.4 M parameters
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileSource, readHeader } from '../model/safetensors';
import { cachedCommit, repoCacheDir } from '../hub/hfCache';
import { parseHubId } from '../hub/hubId';

export interface ModelCard {
  id: string;
  /** False when the id is not a valid Hub id at all */
  validId: boolean;
  inCache: boolean;
  /** The snapshot folder, when cached */
  folder?: string;
  architecture?: string;
  modelType?: string;
  layers?: number;
  heads?: number;
  kvHeads?: number;
  width?: number;
  vocab?: number;
  /** Exact, from the safetensors headers (undefined without weights in the cache) */
  parameters?: number;
  /** Bytes of the repo's blobs in the cache */
  diskBytes?: number;
  /** tokenizer.json path, when the snapshot has one (token counts use it) */
  tokenizerJson?: string;
  /** Why part of it could not be read */
  problem?: string;
}

const num = (c: Record<string, unknown>, ...keys: string[]): number | undefined => {
  for (const k of keys) { const v = c[k]; if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v; }
  return undefined;
};

/** config.json's shape fields under the names the families use (GPT-2 n_layer, T5 num_layers, …). */
export function configSummary(config: Record<string, unknown>): Pick<ModelCard, 'architecture' | 'modelType' | 'layers' | 'heads' | 'kvHeads' | 'width' | 'vocab'> {
  const c = (typeof config.text_config === 'object' && config.text_config ? { ...config, ...(config.text_config as Record<string, unknown>) } : config);
  const archs = Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
  const heads = num(c, 'num_attention_heads', 'n_head', 'num_heads', 'n_heads', 'encoder_attention_heads');
  return {
    architecture: archs[0],
    modelType: typeof config.model_type === 'string' ? config.model_type : undefined,
    layers: num(c, 'num_hidden_layers', 'n_layer', 'num_layers', 'n_layers', 'encoder_layers'),
    heads,
    kvHeads: num(c, 'num_key_value_heads', 'multi_query_group_num') ?? heads,
    width: num(c, 'hidden_size', 'n_embd', 'd_model', 'dim'),
    vocab: num(c, 'vocab_size'),
  };
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const f of readdirSync(dir)) { try { total += statSync(join(dir, f)).size; } catch { /* a blob removed meanwhile */ } }
  return total;
}

/** Sum of shape products over the safetensors files of a snapshot (headers only). */
export function countParameters(folder: string): number | undefined {
  const files = readdirSync(folder).filter((f) => f.endsWith('.safetensors'));
  if (files.length === 0) return undefined;
  let total = 0;
  for (const f of files) {
    const src = fileSource(join(folder, f));
    try {
      for (const t of readHeader(src, f).tensors.values()) total += t.shape.reduce((a, b) => a * b, 1);
    } finally { src.close(); }
  }
  return total;
}

export function describeCachedModel(id: string, cacheDir: string): ModelCard {
  const hub = parseHubId(id);
  if (!hub) return { id, validId: false, inCache: false };
  const commit = cachedCommit(cacheDir, hub);
  const folder = commit ? join(repoCacheDir(cacheDir, hub.repo), 'snapshots', commit) : undefined;
  if (!folder || !existsSync(join(folder, 'config.json'))) {
    const tokenizerJson = folder && existsSync(join(folder, 'tokenizer.json')) ? join(folder, 'tokenizer.json') : undefined;
    return { id, validId: true, inCache: !!tokenizerJson, folder: tokenizerJson ? folder : undefined, tokenizerJson };
  }
  const card: ModelCard = { id, validId: true, inCache: true, folder, diskBytes: dirBytes(join(repoCacheDir(cacheDir, hub.repo), 'blobs')) };
  if (existsSync(join(folder, 'tokenizer.json'))) card.tokenizerJson = join(folder, 'tokenizer.json');
  try {
    Object.assign(card, configSummary(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>));
    card.parameters = countParameters(folder);
  } catch (e) {
    card.problem = (e as Error).message;
  }
  return card;
}

/** 124439808 → "124.4 M", 1_235_814_400 → "1.24 B" */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} K`;
  return String(n);
}
