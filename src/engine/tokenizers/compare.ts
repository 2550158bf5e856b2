/**
 * Tokenizers side by side: one text encoded by 2–8 tokenizers (built-ins, tokenizer.json
 * files, folders, Hub ids in the Hugging Face cache; see tokenizerLocation.ts), each with its
 * ids and tokens exactly as `tokenize` gives them (the tokenizer's default special-token
 * handling and post-processor), its counts, characters and UTF-8 bytes per token, and the
 * character boundaries each one cuts at, compared across all of them.
 *
 * Boundaries are UTF-16 offsets into the text: every token's start and end (tokens of no
 * width, such as `[CLS]` or `<bos>`, have none) plus the text's two ends. A byte-level BPE
 * that cuts one character into byte tokens (GPT-2 on 世) gives those tokens the character's
 * span, so no boundary falls inside a character. `shared` are the offsets every tokenizer
 * cuts at; `differing` the others, with the tokenizers that cut there.
 *
 * Memory: tokenizers are loaded one at a time, used and let go (tokenizer.json files are not
 * kept in resolve.ts's cache), so five 250 k-entry vocabularies never sit in memory together;
 * only the results (a few numbers per token of the text) are kept. Built-ins stay loaded, as
 * everywhere in the engine: there are five of them.
 */
import type { Token, Tokenizer } from './types';
import { resolveTokenizer } from './resolve';
import { locateTokenizer, resolvableName } from './tokenizerLocation';
import { l10nError } from '../../shared/l10nText';

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 8;

export interface ComparedTokenizer {
  /** As the user named it; built-ins by their canonical name (`gpt2` → `r50k_base`). */
  name: string;
  kind: Tokenizer['kind'];
  vocabSize: number;
  ids: number[];
  tokens: Token[];
  charactersPerToken: number;
  bytesPerToken: number;
  /** Sorted UTF-16 offsets where this tokenizer starts or ends a token, and 0 and text.length. */
  boundaries: number[];
}

export interface BoundaryComparison {
  /** Every offset some tokenizer cuts at, sorted. */
  all: number[];
  shared: number[];
  differing: { offset: number; tokenizers: string[] }[];
}

export interface ComparisonResult {
  characters: number;
  bytes: number;
  tokenizers: ComparedTokenizer[];
  boundaries: BoundaryComparison;
  summary: string;
}

/** Loads one tokenizer for a comparison, without keeping it: (name shown, tokenizer, what identifies it). */
export type CompareLoader = (spec: string) => { name: string; tokenizer: Tokenizer; identity: string };

export const loadForComparison: CompareLoader = (spec) => {
  const loc = locateTokenizer(spec);
  const tokenizer = resolveTokenizer(resolvableName(loc), { cache: false });
  return { name: loc.kind === 'builtin' ? tokenizer.name : spec.trim(), tokenizer, identity: loc.kind === 'builtin' ? tokenizer.name : loc.file };
};

export function compareTokenizers(specs: readonly string[], text: string, load: CompareLoader = loadForComparison): ComparisonResult {
  if (specs.length < MIN_COMPARED || specs.length > MAX_COMPARED) {
    throw l10nError`compare takes ${MIN_COMPARED} to ${MAX_COMPARED} tokenizers, got ${specs.length}${specs.length ? ` (${specs.join(', ')})` : ''}`;
  }
  const { characters, bytes } = measureText(text);
  const seen = new Map<string, string>();
  const compared = specs.map((spec) => encodeWith(spec, text, load, seen, characters, bytes));
  return { characters, bytes, tokenizers: compared, boundaries: compareBoundaries(compared), summary: summarize(compared) };
}

/**
 * One tokenizer's part of the comparison. A function of its own so that the tokenizer is
 * referenced only from this frame: once it returns, nothing holds the tokenizer (a variable
 * in the caller's loop would keep the last one alive while the next one loads).
 */
function encodeWith(spec: string, text: string, load: CompareLoader, seen: Map<string, string>, characters: number, bytes: number): ComparedTokenizer {
  const { name, tokenizer, identity } = load(spec);
  const twin = seen.get(identity);
  if (twin !== undefined) throw l10nError`"${twin}" and "${spec}" are the same tokenizer (${name}): name each one once`;
  seen.set(identity, spec);
  const tokens = tokenizer.encodeTokens(text);
  const n = tokens.length;
  return {
    name, kind: tokenizer.kind, vocabSize: tokenizer.vocabSize, ids: tokens.map((t) => t.id), tokens,
    charactersPerToken: n ? characters / n : 0, bytesPerToken: n ? bytes / n : 0,
    boundaries: tokenBoundaries(tokens, text.length),
  };
}

/**
 * Where a tokenization cuts the text: each token's start and end, and the text's ends.
 * `[Hel][lo][␣world]` over "Hello world" → [0, 3, 5, 11]; zero-width tokens add nothing.
 */
export function tokenBoundaries(tokens: readonly Token[], length: number): number[] {
  const set = new Set<number>([0, length]);
  for (const t of tokens) if (t.end > t.start) { set.add(t.start); set.add(t.end); }
  return [...set].sort((a, b) => a - b);
}

export function compareBoundaries(rows: readonly Pick<ComparedTokenizer, 'name' | 'boundaries'>[]): BoundaryComparison {
  const where = new Map<number, string[]>();
  for (const r of rows) for (const b of r.boundaries) { const list = where.get(b) ?? []; list.push(r.name); where.set(b, list); }
  const all = [...where.keys()].sort((a, b) => a - b);
  const shared: number[] = [];
  const differing: BoundaryComparison['differing'] = [];
  for (const offset of all) {
    const names = where.get(offset)!;
    if (names.length === rows.length) shared.push(offset);
    else differing.push({ offset, tokenizers: names });
  }
  return { all, shared, differing };
}

/**
 * One sentence: the fewest tokens against the most, as a share of the most.
 * 52 vs 75 tokens → "o200k_base uses 31% fewer tokens than r50k_base on this text (52 vs 75)".
 */
export function summarize(rows: readonly Pick<ComparedTokenizer, 'name' | 'ids'>[]): string {
  const counts = rows.map((r) => r.ids.length);
  const fewest = Math.min(...counts);
  const most = Math.max(...counts);
  if (fewest === most) return `All ${rows.length} tokenizers use ${most} ${most === 1 ? 'token' : 'tokens'} on this text.`;
  const names = (n: number) => rows.filter((r) => r.ids.length === n).map((r) => r.name).join(' and ');
  const several = rows.filter((r) => r.ids.length === fewest).length > 1;
  const pct = Math.round(100 * (1 - fewest / most));
  const share = pct === 0 ? 'slightly fewer' : `${pct}% fewer`;
  return `${names(fewest)} ${several ? 'use' : 'uses'} ${share} tokens than ${names(most)} on this text (${fewest} vs ${most}).`;
}

/** Code points and UTF-8 bytes of a text. */
export function measureText(text: string): { characters: number; bytes: number } {
  let characters = 0;
  let bytes = 0;
  for (const ch of text) {
    characters++;
    const c = ch.codePointAt(0)!;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return { characters, bytes };
}
