/**
 * Typed reading of `tokenizer.json`: every accessor names the field it failed on, so a
 * malformed file gets an error such as `model.vocab: expected an object, got array`.
 */

import { escapeRegExp } from '../specialSplit';
import { exponentialRisk } from './patternSafety';
import { referencePatternSource } from '../unicodePattern';

export type JsonObject = { [key: string]: unknown };

type Kinds = { string: string; number: number; boolean: boolean; object: JsonObject; array: unknown[] };

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** `obj` itself must be an object: a `null` list item reads as `normalizer.normalizers[3]: expected an object, got null`. */
function ownValue(obj: JsonObject, key: string, path: string): unknown {
  if (kindOf(obj) !== 'object') throw new Error(`${path}: expected an object, got ${kindOf(obj)}`);
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function field<K extends keyof Kinds>(obj: JsonObject, key: string, kind: K, path: string): Kinds[K] {
  const v = ownValue(obj, key, path);
  if (kindOf(v) !== kind) {
    throw new Error(`${path}.${key}: expected ${kind === 'array' || kind === 'object' ? 'an' : 'a'} ${kind}, got ${v === undefined ? 'nothing' : kindOf(v)}`);
  }
  return v as Kinds[K];
}

export function optionalBool(obj: JsonObject, key: string, fallback: boolean, path: string): boolean {
  const v = ownValue(obj, key, path);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new Error(`${path}.${key}: expected a boolean, got ${kindOf(v)}`);
  return v;
}

export function optionalString(obj: JsonObject, key: string, path: string): string | undefined {
  const v = ownValue(obj, key, path);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Error(`${path}.${key}: expected a string, got ${kindOf(v)}`);
  return v;
}

export function asObject(v: unknown, path: string): JsonObject {
  if (kindOf(v) !== 'object') throw new Error(`${path}: expected an object, got ${kindOf(v)}`);
  return v as JsonObject;
}

/**
 * `{"String": "x"}` or `{"Regex": "…"}` → a RegExp. Oniguruma syntax used by Hub files is
 * mostly JavaScript-compatible with the `u` flag; inline `(?i:…)` groups are expanded.
 */
export function compilePattern(v: unknown, path: string): RegExp {
  const obj = asObject(v, path);
  if (typeof obj.String === 'string') return new RegExp(escapeRegExp(obj.String), 'gu');
  if (typeof obj.Regex === 'string') {
    const risk = exponentialRisk(obj.Regex);
    if (risk) throw new Error(`${path}.Regex: ${JSON.stringify(obj.Regex)} is refused: ${risk}; a backtracking regex engine can take exponential time on it`);
    // Oniguruma's classes (tokenizers' regex engine), not the runtime's: see unicodePattern.ts.
    const source = referencePatternSource(expandCaseInsensitiveGroups(obj.Regex), 'onig');
    try { return new RegExp(source, 'gu'); } catch (e) {
      throw new Error(`${path}.Regex: cannot compile ${JSON.stringify(obj.Regex)}: ${(e as Error).message}`);
    }
  }
  throw new Error(`${path}: expected {"String": …} or {"Regex": …}`);
}

/** A pattern as the file spells it, for names in traces (the compiled source spells out every class). */
export function patternLabel(v: unknown): string {
  const obj = v as { String?: unknown; Regex?: unknown };
  return String(obj.Regex ?? obj.String);
}

/** Letters that Unicode simple case folding joins to an ASCII letter: Oniguruma's `(?i:'s)` matches `'ſ`. */
const EXTRA_FOLDS: Record<string, string> = { s: '\u017f', k: '\u212a' };

/** `(?i:'s|'t)` → `(?:'[sSſ]|'[tT])`: JavaScript before ES2025 has no inline modifiers. */
export function expandCaseInsensitiveGroups(source: string): string {
  return source.replace(/\(\?i:([^()]*)\)/g, (_, body: string) =>
    '(?:' + body.replace(/\\.|\p{L}/gu, (c) => (c.length === 1 && c.toLowerCase() !== c.toUpperCase()
      ? `[${c.toLowerCase()}${c.toUpperCase()}${EXTRA_FOLDS[c.toLowerCase()] ?? ''}]` : c)) + ')');
}
