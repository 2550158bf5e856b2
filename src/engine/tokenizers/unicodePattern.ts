/**
 * Pre-tokenizer patterns with the reference libraries' character classes instead of the
 * JavaScript runtime's. `\p{L}`, `\s`, `\d`, `\w` (and their negations, inside or outside
 * `[...]`) are replaced by the explicit code-point ranges in unicodeTables.ts, which were
 * probed from tiktoken (Rust `regex`) and Hugging Face `tokenizers` (Oniguruma).
 *
 * Why not `\p{L}` as is: V8 takes its tables from the runtime's ICU, so Node 20 (Unicode 17)
 * and VS Code's Electron split text differently from each other and from the Rust core
 * on recently assigned code points; and JavaScript's `\s` holds U+FEFF but not U+0085,
 * where Unicode White_Space is the other way round. Example: `"a\u0085b"` with GPT-2's
 * `\s+(?!\S)|\s+` splits into three pieces in tiktoken, two with JavaScript's `\s`.
 */
import { UNICODE_TABLES, UnicodeTableName } from './unicodeTables';

/** Whose tables: tiktoken's Rust `regex`, or Oniguruma (tokenizer.json Split, ByteLevel). */
export type PatternFlavor = 'rust' | 'onig';

const MAX_CODE_POINT = 0x10ffff;
type Range = readonly [number, number];

const parsed = new Map<string, readonly Range[]>();

/** `'41-5a,61'` → `[[0x41, 0x5a], [0x61, 0x61]]`. */
function rangesOf(name: UnicodeTableName): readonly Range[] {
  let rs = parsed.get(name);
  if (!rs) {
    rs = UNICODE_TABLES[name].split(',').map((part) => {
      const [a, b] = part.split('-');
      return [parseInt(a, 16), parseInt(b ?? a, 16)] as const;
    });
    parsed.set(name, rs);
  }
  return rs;
}

/** Is `cp` in table `name`? Binary search over the ranges. */
export function inTable(name: UnicodeTableName, cp: number): boolean {
  const rs = rangesOf(name);
  let lo = 0, hi = rs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < rs[mid][0]) hi = mid - 1;
    else if (cp > rs[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The code points not in `rs` (lone surrogates included, so `[^\p{L}]` still matches them). */
function complement(rs: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [a, b] of rs) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/**
 * One code point inside a class: letters, digits and non-ASCII as themselves, the rest
 * (ASCII punctuation, controls, surrogates, line separators) as `\u{..}`. Short sources
 * matter: V8 stops optimising a regex whose source passes 20 KB (kRegExpTooLargeToOptimize),
 * and with every class spelled `\u{..}` o200k's pattern passed it and split 5× slower.
 */
function classChar(cp: number): string {
  const plain = (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ||
    (cp >= 0xa0 && cp < 0xd800 && cp !== 0x2028 && cp !== 0x2029) || (cp > 0xdfff && cp <= MAX_CODE_POINT);
  return plain ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

/** Ranges as the inside of a `[...]` class: `A-Za`. */
function classBody(rs: readonly Range[]): string {
  let s = '';
  for (const [a, b] of rs) s += a === b ? classChar(a) : b === a + 1 ? classChar(a) + classChar(b) : `${classChar(a)}-${classChar(b)}`;
  return s;
}

/** The union of range lists, sorted and merged: a class with `\p{Lu}\p{Ll}…` becomes one list. */
function union(lists: readonly (readonly Range[])[]): Range[] {
  const all = lists.flat().slice().sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of all) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** A table as one regex class: `tableClassSource('bertPunctuation')` → `[!-#%-*…]`. */
export function tableClassSource(name: UnicodeTableName): string {
  return `[${classBody(rangesOf(name))}]`;
}

const ESCAPE_TABLES: Record<PatternFlavor, Record<string, UnicodeTableName>> = {
  rust: { s: 's', d: 'd', w: 'w' },
  onig: { s: 'onig_s', d: 'onig_d', w: 'onig_w' },
};

/** The table for `\p{name}`, for the general categories the tables hold; else undefined. */
function categoryTable(name: string): UnicodeTableName | undefined {
  return /^(?:[LMNPSZC][a-z]?)$/.test(name) && name in UNICODE_TABLES ? (name as UnicodeTableName) : undefined;
}

/**
 * Rewrite `source` so every class escape uses the reference tables of `flavor`.
 * `\p{L}+` → `[\u{41}-\u{5a}…]+`; `[^\s\p{N}]` → `[^\u{9}-\u{d}…\u{30}-\u{39}…]`;
 * `\S` → `[^…]`. Other escapes (`\p{Han}`, `\u{…}`, `\n`) are left to JavaScript.
 */
export function withReferenceClasses(source: string, flavor: PatternFlavor): string {
  let out = '';
  /** Inside `[...]`: the table ranges met so far, written as one merged list at `]`. */
  let classRanges: (readonly Range[])[] | undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c !== '\\') {
      if (c === '[' && !classRanges) classRanges = [];
      else if (c === ']' && classRanges) { out += classBody(union(classRanges)); classRanges = undefined; }
      out += c;
      continue;
    }
    const next = source[i + 1];
    let table: UnicodeTableName | undefined;
    let negated = false;
    let consumed = 2;
    if (next === 'p' || next === 'P') {
      const braced = /^\{\^?([A-Za-z_]+)\}/.exec(source.slice(i + 2));
      const bare = braced ? undefined : /^[LMNPSZC]/.exec(source.slice(i + 2));
      const name = braced ? braced[1] : bare?.[0];
      table = name === undefined ? undefined : categoryTable(name);
      negated = next === 'P' !== (braced?.[0].startsWith('{^') ?? false);
      consumed = 2 + (braced ? braced[0].length : bare ? 1 : 0);
    } else if (next !== undefined && next.toLowerCase() in ESCAPE_TABLES[flavor]) {
      table = ESCAPE_TABLES[flavor][next.toLowerCase()];
      negated = next !== next.toLowerCase();
    }
    if (table === undefined) {
      out += source.slice(i, i + 2);
      i += 1;
      continue;
    }
    const rs = negated ? complement(rangesOf(table)) : rangesOf(table);
    if (classRanges) classRanges.push(rs);
    else out += `[${classBody(rs)}]`;
    i += consumed - 1;
  }
  return out;
}

const compiled = new Map<string, string>();

/** {@link withReferenceClasses}, remembered: tokenizer.json files repeat the same few patterns. */
export function referencePatternSource(source: string, flavor: PatternFlavor): string {
  const key = `${flavor}\u0000${source}`;
  let s = compiled.get(key);
  if (s === undefined) {
    s = withReferenceClasses(source, flavor);
    if (compiled.size > 256) compiled.clear();
    compiled.set(key, s);
  }
  return s;
}

/** Sources up to this many UTF-16 units stay one regex (V8 optimises below 20 KB). */
const ONE_REGEX_LIMIT = 19_000;

/**
 * The pattern as sticky regexes to try in turn at a position: one regex, or, when the
 * rewritten source would pass V8's 20 KB optimisation limit (o200k: 21 KB), one per
 * top-level alternative. Trying `a|b|c` at a fixed position is trying `a`, then `b`, then
 * `c`: the first that matches wins either way, so the pieces are the same.
 */
export function stickyAlternatives(source: string, flavor: PatternFlavor): RegExp[] {
  const whole = referencePatternSource(source, flavor);
  if (whole.length <= ONE_REGEX_LIMIT) return [new RegExp(whole, 'yu')];
  return topLevelAlternatives(source).map((alt) => new RegExp(referencePatternSource(alt, flavor), 'yu'));
}

/** `a|(b|c)|[|]` → `['a', '(b|c)', '[|]']`: split at `|` outside groups and classes. */
export function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0, inClass = false, start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) { out.push(source.slice(start, i)); start = i + 1; }
  }
  out.push(source.slice(start));
  return out;
}

/** End of the match of the first alternative that matches at `pos`, or -1. */
export function stickyMatchEnd(alternatives: readonly RegExp[], text: string, pos: number): number {
  for (let k = 0; k < alternatives.length; k++) {
    const re = alternatives[k];
    re.lastIndex = pos;
    if (re.test(text)) return re.lastIndex;
  }
  return -1;
}
