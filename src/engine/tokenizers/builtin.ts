/**
 * The built-in tokenizers by name, loaded lazily from media/tokenizers (see
 * tools/copy-tokenizer-data.mjs for where each file comes from) and kept once loaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mediaDir } from '../mediaDir';
import { parseTiktokenRanks, TiktokenParams, TiktokenTokenizer } from './tiktoken';
import { createBertUncased } from './bertUncased';
import type { Tokenizer } from './types';
import { l10nError } from '../../shared/l10nText';

export const BUILTIN_TOKENIZERS = ['gpt2', 'r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base', 'bert-base-uncased'] as const;
export type BuiltinTokenizerName = (typeof BUILTIN_TOKENIZERS)[number];

const ALIASES: Record<string, BuiltinTokenizerName> = { gpt2: 'r50k_base', 'gpt-2': 'r50k_base', r50k: 'r50k_base', p50k: 'p50k_base', cl100k: 'cl100k_base', o200k: 'o200k_base', bert: 'bert-base-uncased' };

const loaded = new Map<string, Tokenizer>();

export function isBuiltinTokenizer(name: string): boolean {
  return (BUILTIN_TOKENIZERS as readonly string[]).includes(name) || name in ALIASES;
}

export function loadBuiltinTokenizer(name: string): Tokenizer {
  const canonical = ALIASES[name] ?? name;
  if (!(BUILTIN_TOKENIZERS as readonly string[]).includes(canonical)) {
    throw l10nError`Unknown tokenizer "${name}". Built-in: ${BUILTIN_TOKENIZERS.join(', ')}; or give a path to a tokenizer.json`;
  }
  let tok = loaded.get(canonical);
  if (!tok) {
    tok = canonical === 'bert-base-uncased' ? loadBert() : loadTiktoken(canonical);
    loaded.set(canonical, tok);
  }
  return tok;
}

function loadTiktoken(name: string): TiktokenTokenizer {
  const dir = join(mediaDir(), 'tokenizers');
  const params = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as TiktokenParams & { ranks: string };
  const ranks = parseTiktokenRanks(readFileSync(join(dir, params.ranks), 'utf8'), params.ranks);
  return new TiktokenTokenizer(params, ranks);
}

function loadBert(): Tokenizer {
  const vocab = readFileSync(join(mediaDir(), 'tokenizers', 'bert-base-uncased.vocab.txt'), 'utf8');
  return createBertUncased(vocab.split('\n').filter((l, i, all) => l.length > 0 || i < all.length - 1));
}
