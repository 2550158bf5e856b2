/**
 * What a tokenizer argument of `compare` and `chat` names, in order: a built-in (`gpt2`,
 * `o200k_base`), a `tokenizer.json`, a folder holding one, or a Hugging Face Hub id
 * (`Qwen/Qwen3-0.6B`, `…@revision`) whose tokenizer.json is already in the Hugging Face cache
 * (the layout `from_pretrained` writes). Lookups here read the cache only (they are synchronous,
 * in the worker): the CLI and the panel fetch a Hub id's tokenizer.json and tokenizer_config.json
 * alone, without weights, before they ask (src/engine/hub/hubTokenizer.ts fetchHubTokenizers),
 * unless HF_HUB_OFFLINE is set.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BUILTIN_TOKENIZERS, isBuiltinTokenizer } from './builtin';
import { cachedCommit, hubCacheDir, repoCacheDir, type Env } from '../hub/hfCache';
import { parseHubId } from '../hub/hubId';
import { L10nError, l10nError, phrase } from '../../shared/l10nText';

export type TokenizerLocation =
  | { kind: 'builtin'; name: string }
  /** `file`: what resolveTokenizer loads (a tokenizer.json or a folder); `folder`: where tokenizer_config.json is looked for. */
  | { kind: 'file'; file: string; folder: string; hubId?: string };

export function locateTokenizer(spec: string, env: Env = process.env): TokenizerLocation {
  const s = spec.trim();
  if (!s) throw l10nError`empty tokenizer name`;
  if (isBuiltinTokenizer(s)) return { kind: 'builtin', name: s };
  if (existsSync(s)) {
    const path = resolve(s);
    // a folder goes to resolveTokenizer as it is: tokenizer.json, or an opus-mt folder's SentencePiece files
    return { kind: 'file', file: path, folder: statSync(path).isDirectory() ? path : dirname(path) };
  }
  const id = parseHubId(s);
  const notFound = phrase`tokenizer "${spec}": not a built-in (${BUILTIN_TOKENIZERS.join(', ')}), and no such file or folder`;
  if (!id || /^[.~]|^[A-Za-z]:|[\\]/.test(s)) throw new L10nError(notFound);
  const cacheDir = hubCacheDir(env);
  const commit = cachedCommit(cacheDir, id);
  const folder = commit ? join(repoCacheDir(cacheDir, id.repo), 'snapshots', commit) : undefined;
  if (!folder || !existsSync(join(folder, 'tokenizer.json'))) {
    throw l10nError`${notFound}; as a Hugging Face id, ${id.repo}@${id.revision} has no tokenizer.json in the cache (${cacheDir}). It is fetched (tokenizer.json and tokenizer_config.json, no weights) unless HF_HUB_OFFLINE is set: unset it, or fetch it once with AutoTokenizer.from_pretrained in Python`;
  }
  return { kind: 'file', file: join(folder, 'tokenizer.json'), folder, hubId: s };
}

/** The argument resolveTokenizer takes for a location. */
export function resolvableName(loc: TokenizerLocation): string {
  return loc.kind === 'builtin' ? loc.name : loc.file;
}
