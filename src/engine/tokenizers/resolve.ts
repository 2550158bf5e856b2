/**
 * Resolve what a user typed (`gpt2`, `cl100k_base`, `./my/tokenizer.json`, a model folder)
 * into a tokenizer. Files are cached by path and modification time.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILTIN_TOKENIZERS, isBuiltinTokenizer, loadBuiltinTokenizer } from './builtin';
import { loadTokenizerJsonFrom } from './hf/loadTokenizerJson';
import { collectGarbage } from '../collectGarbage';
import { isMarianFolder, loadMarianTokenizer } from './sentencepiece/loadMarian';
import type { Tokenizer } from './types';
import { readRegularTextFile } from '../regularFile';
import { l10nError, phrase } from '../../shared/l10nText';

const fileCache = new Map<string, { mtimeMs: number; tokenizer: Tokenizer }>();

/** 10 MB of JSON is far above any Hub tokenizer.json (~2–17 MB)… allow 64 MB, then refuse. */
export const MAX_TOKENIZER_JSON_BYTES = 64 * 1024 * 1024;
/** tokenizer.json files from this size on are followed by a full garbage collection (collectGarbage.ts). */
const LARGE_TOKENIZER_JSON_BYTES = 4 * 1024 * 1024;

/**
 * `cache: false` (side-by-side comparison of several large vocabularies) returns a file's
 * tokenizer already in the cache but does not add one, so each can be dropped after use.
 */
export function resolveTokenizer(nameOrPath: string, { cache = true }: { cache?: boolean } = {}): Tokenizer {
  if (isBuiltinTokenizer(nameOrPath)) return loadBuiltinTokenizer(nameOrPath);
  const path = resolve(nameOrPath);
  if (!existsSync(path)) {
    throw l10nError`Unknown tokenizer "${nameOrPath}": not a built-in (${BUILTIN_TOKENIZERS.join(', ')}) and no such file or folder`;
  }
  const folder = statSync(path).isDirectory();
  if (folder && !existsSync(join(path, 'tokenizer.json')) && isMarianFolder(path)) return loadMarianTokenizer(path); // opus-mt: source.spm + vocab.json
  const file = folder ? join(path, 'tokenizer.json') : path;
  if (!existsSync(file)) throw l10nError`${path} is a folder without a tokenizer.json (or Marian's source.spm + target.spm + vocab.json)`;
  const st = statSync(file);
  if (st.size > MAX_TOKENIZER_JSON_BYTES) throw l10nError`${file} is ${(st.size / 1e6).toFixed(0)} MB; tokenizer.json files over ${MAX_TOKENIZER_JSON_BYTES / 1024 / 1024} MB are refused`;
  const hit = fileCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.tokenizer;
  const tokenizer = loadTokenizerJsonFrom(() => readRegularTextFile(file, MAX_TOKENIZER_JSON_BYTES, phrase`tokenizer`), file);
  if (st.size >= LARGE_TOKENIZER_JSON_BYTES) collectGarbage(); // its parsed JSON is dead now: free it before the text comes
  if (cache) fileCache.set(file, { mtimeMs: st.mtimeMs, tokenizer });
  return tokenizer;
}
