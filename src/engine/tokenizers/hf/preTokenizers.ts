/**
 * Pre-tokenizers from Hugging Face tokenizers (`tokenizers/src/pre_tokenizers/`): split a
 * normalized string into the pieces the model sees separately, keeping alignments.
 */
import { escapeRegExp } from '../specialSplit';
import { toByteSymbols } from './byteSymbols';
import { flattenSequence } from './flattenSequence';
import { NormalizedString } from './normalizedString';
import { isBertPunctuation, isBertWhitespace } from './unicodeClasses';
import { referencePatternSource, tableClassSource } from '../unicodePattern';

/** A pattern with the reference classes (unicodePattern.ts): `rust` for Rust `char` methods, `onig` for tokenizers' regexes. */
const referenceRegex = (source: string, flavor: 'rust' | 'onig') => new RegExp(referencePatternSource(source, flavor), 'gu');
import { compilePattern, field, patternLabel, JsonObject, optionalBool, optionalString } from './json';

export interface PreTokenizer {
  readonly name: string;
  split(pieces: NormalizedString[]): NormalizedString[];
  /** ByteLevel marks its pieces as byte symbols (one char per byte). */
  readonly byteLevel?: boolean;
  /**
   * The texts of split()'s pieces without their alignments, where the pre-tokenizer only
   * cuts its input (Split, Digits, Whitespace, … and ByteLevel, whose pieces come before
   * their byte mapping: a caller maps them when `byteLevel`); absent where it rewrites
   * (Metaspace) or a ByteLevel is followed by another stage. The ids-only path
   * (idsOnlyPath.ts) reads it: no NormalizedString, alignment arrays or byte-symbol string per piece.
   */
  splitText?(texts: string[]): string[];
  /**
   * Where split() cuts one text, as the end offset of each piece (the pieces tile the text:
   * Isolated cuts, ByteLevel without an added space), for the pipeline's token stream, which
   * then slices one piece at a time: Llama 3 on 5 MB is 1.3 M pieces, 110 MB as texts.
   * Absent where the pieces do not tile the text or the stage rewrites it.
   */
  splitBounds?(text: string): Int32Array;
}

export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

/** GPT-2's split regex, which the ByteLevel pre-tokenizer uses, with Oniguruma's classes (unicodePattern.ts). */
export const GPT2_SPLIT = new RegExp(referencePatternSource("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", 'onig'), 'gu');

const WHITESPACE_WORDS = referenceRegex('\\w+|[^\\w\\s]+', 'rust');
const WHITE_SPACE_RUN = referenceRegex('\\s+', 'rust');
/** Digits: Rust `char::is_numeric`, categories Nd, Nl, No (`²`, `Ⅻ` too), in Rust std's own (newer) tables. */
const NUMERIC_CHAR = new RegExp(tableClassSource('rustNumeric'), 'gu');
const NUMERIC_RUN = new RegExp(`${tableClassSource('rustNumeric')}+`, 'gu');
/** Punctuation: ASCII punctuation or category P of the `unicode_categories` crate (BERT's table). */
const PUNCTUATION_CHAR = new RegExp(tableClassSource('bertPunctuation'), 'gu');

/**
 * Split by the matches of `re` (or, with `invert`, by what it does not match), treating
 * matches as `behavior` says. `"a, b"` by `/,/` Isolated → `a` · `,` · ` b`.
 */
export function splitByPattern(n: NormalizedString, re: RegExp, behavior: SplitBehavior, invert = false): NormalizedString[] {
  return patternCuts(n.text, re, behavior, invert).map(([a, b]) => n.slice(a, b));
}

/** splitByPattern's pieces as texts only: `"a, b"` by `/,/` Isolated → `["a", ",", " b"]`. */
export function splitTextByPattern(text: string, re: RegExp, behavior: SplitBehavior, invert = false): string[] {
  if (behavior !== 'Isolated') return patternCuts(text, re, behavior, invert).map(([a, b]) => text.slice(a, b));
  // Isolated keeps every span, matched or not, in order: the match strings themselves and the gaps between
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
    if (m[0].length === 0) continue;
    if (m.index! > last) out.push(text.slice(last, m.index!));
    out.push(m[0]);
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The [from, to) spans of the pieces splitByPattern makes of `text`. */
function patternCuts(text: string, re: RegExp, behavior: SplitBehavior, invert: boolean): [number, number][] {
  const spans: { from: number; to: number; match: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
    if (m[0].length === 0) continue;
    if (m.index! > last) spans.push({ from: last, to: m.index!, match: invert });
    spans.push({ from: m.index!, to: m.index! + m[0].length, match: !invert });
    last = m.index! + m[0].length;
  }
  if (last < text.length) spans.push({ from: last, to: text.length, match: invert });
  return applyBehavior(text.length, spans, behavior);
}

function applyBehavior(length: number, spans: { from: number; to: number; match: boolean }[], behavior: SplitBehavior): [number, number][] {
  const out: [number, number][] = [];
  let pendingNext = -1; // MergedWithNext: start of a match waiting for what follows
  let lastWasMatch = false; // Contiguous: consecutive matches join
  for (const s of spans) {
    switch (behavior) {
      case 'Removed': if (!s.match) out.push([s.from, s.to]); break;
      case 'Isolated': out.push([s.from, s.to]); break;
      case 'MergedWithPrevious':
        if (s.match && out.length > 0 && out[out.length - 1][1] === s.from) out[out.length - 1][1] = s.to;
        else out.push([s.from, s.to]);
        break;
      case 'MergedWithNext':
        if (s.match) { if (pendingNext < 0) pendingNext = s.from; }
        else { out.push([pendingNext >= 0 ? pendingNext : s.from, s.to]); pendingNext = -1; }
        break;
      case 'Contiguous':
        if (s.match && lastWasMatch && out.length > 0) out[out.length - 1][1] = s.to;
        else out.push([s.from, s.to]);
        break;
    }
    lastWasMatch = s.match;
  }
  if (pendingNext >= 0) out.push([pendingNext, length]);
  return out;
}

/** The end offsets of the Isolated pieces of `text` cut by `re` (splitTextByPattern's, without the texts). */
function isolatedBounds(text: string, re: RegExp): Int32Array {
  let out = new Int32Array(1024), size = 0;
  const put = (at: number) => {
    if (size === out.length) { const more = new Int32Array(out.length * 2); more.set(out); out = more; }
    out[size++] = at;
  };
  let last = 0;
  for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
    if (m[0].length === 0) continue;
    if (m.index! > last) put(m.index!);
    last = m.index! + m[0].length;
    put(last);
  }
  if (last < text.length) put(text.length);
  return out.subarray(0, size);
}

class FnPreTokenizer implements PreTokenizer {
  readonly splitText?: (texts: string[]) => string[];
  constructor(readonly name: string, private readonly fn: (n: NormalizedString) => NormalizedString[], readonly byteLevel = false, textFn?: (text: string) => string[], readonly splitBounds?: (text: string) => Int32Array) {
    if (textFn) this.splitText = (texts) => texts.flatMap(textFn);
  }
  split(pieces: NormalizedString[]): NormalizedString[] { return pieces.flatMap((p) => this.fn(p)); }
}

/** A pre-tokenizer that cuts by `re` as splitByPattern does, with its text-only form. */
const patternSplitter = (name: string, re: RegExp, behavior: SplitBehavior, invert = false) =>
  new FnPreTokenizer(name, (n) => splitByPattern(n, re, behavior, invert), false, (t) => splitTextByPattern(t, re, behavior, invert),
    behavior === 'Isolated' ? (t) => isolatedBounds(t, re) : undefined);

/** BERT: split on whitespace (dropped), then every punctuation character on its own. */
export function bertPreTokenize(n: NormalizedString): NormalizedString[] {
  const out: NormalizedString[] = [];
  let start = -1;
  for (let i = 0; i < n.length; ) {
    const ch = String.fromCodePoint(n.text.codePointAt(i)!);
    if (isBertWhitespace(ch) || isBertPunctuation(ch)) {
      if (start >= 0) { out.push(n.slice(start, i)); start = -1; }
      if (!isBertWhitespace(ch)) out.push(n.slice(i, i + ch.length));
    } else if (start < 0) start = i;
    i += ch.length;
  }
  if (start >= 0) out.push(n.slice(start, n.length));
  return out;
}

export function byteLevelPreTokenizer(addPrefixSpace: boolean, useRegex: boolean): PreTokenizer {
  return new FnPreTokenizer(`ByteLevel(${addPrefixSpace ? 'add prefix space, ' : ''}${useRegex ? 'GPT-2 regex' : 'no split'})`, (n) => {
    const withSpace = addPrefixSpace && n.length > 0 && !n.text.startsWith(' ') ? n.prepend(' ') : n;
    const parts = useRegex ? splitByPattern(withSpace, GPT2_SPLIT, 'Isolated') : [withSpace];
    return parts.map(toByteSymbols);
  }, true, (t) => {
    const withSpace = addPrefixSpace && t.length > 0 && !t.startsWith(' ') ? ' ' + t : t;
    return useRegex ? splitTextByPattern(withSpace, GPT2_SPLIT, 'Isolated') : [withSpace];
  }, addPrefixSpace ? undefined : (t) => (useRegex ? isolatedBounds(t, GPT2_SPLIT) : Int32Array.of(...(t.length ? [t.length] : []))));
}

function metaspace(replacement: string, scheme: string, splitIt: boolean): PreTokenizer {
  let first = true;
  const pre = new FnPreTokenizer(`Metaspace(${replacement}, prepend ${scheme})`, (n) => {
    let s = n.mapCodePoints((c) => (c === ' ' ? replacement : c));
    if ((scheme === 'always' || (scheme === 'first' && first)) && s.length > 0 && !s.text.startsWith(replacement)) s = s.prepend(replacement);
    first = false;
    return splitIt ? splitByPattern(s, new RegExp(escapeRegExp(replacement), 'gu'), 'MergedWithNext') : [s];
  });
  return { name: pre.name, split: (pieces) => { first = true; return pre.split(pieces); } };
}

class SequencePreTokenizer implements PreTokenizer {
  readonly name: string;
  readonly byteLevel: boolean;
  readonly splitText?: (texts: string[]) => string[];
  constructor(private readonly parts: PreTokenizer[]) {
    this.name = parts.map((p) => p.name).join(' → ');
    this.byteLevel = parts.some((p) => p.byteLevel);
    // text-only when every stage has it and only the last maps bytes (later stages would see byte symbols)
    if (parts.every((p, i) => p.splitText && (!p.byteLevel || i === parts.length - 1))) {
      this.splitText = (texts) => parts.reduce((ts, p) => p.splitText!(ts), texts);
      // and the cuts, where every stage gives them: each stage cuts the pieces of the one before
      if (parts.every((p) => p.splitBounds)) this.splitBounds = (text) => parts.slice(1).reduce((bounds, p) => refine(text, bounds, p.splitBounds!), parts[0].splitBounds!(text));
    }
  }
  readonly splitBounds?: (text: string) => Int32Array;
  split(pieces: NormalizedString[]): NormalizedString[] { return this.parts.reduce((ps, p) => p.split(ps), pieces); }
}

/** The cuts of `stage` inside each piece of `text` cut at `bounds` (piece end offsets), as one list. */
function refine(text: string, bounds: Int32Array, stage: (text: string) => Int32Array): Int32Array {
  let out: number[] | undefined; // made at the first piece the stage cuts: Llama 3's ByteLevel keeps every piece whole
  let from = 0;
  for (let k = 0; k < bounds.length; k++) {
    const to = bounds[k];
    const inner = stage(text.slice(from, to));
    if (!out && !(inner.length === 1 && inner[0] === to - from)) out = Array.from(bounds.subarray(0, k));
    if (out) for (const b of inner) out.push(from + b);
    from = to;
  }
  return out ? Int32Array.from(out) : bounds;
}

const BEHAVIORS: SplitBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

function behaviorOf(json: JsonObject, path: string, fallback: SplitBehavior): SplitBehavior {
  const b = optionalString(json, 'behavior', path) ?? fallback;
  if (!BEHAVIORS.includes(b as SplitBehavior)) throw new Error(`${path}.behavior: unknown split behavior "${b}"`);
  return b as SplitBehavior;
}

export function buildPreTokenizer(json: JsonObject, path = 'pre_tokenizer'): PreTokenizer {
  const type = field(json, 'type', 'string', path);
  switch (type) {
    case 'BertPreTokenizer': return new FnPreTokenizer('BertPreTokenizer(whitespace, punctuation)', bertPreTokenize);
    case 'ByteLevel': return byteLevelPreTokenizer(optionalBool(json, 'add_prefix_space', true, path), optionalBool(json, 'use_regex', true, path));
    // tokenizers: Whitespace is the Rust regex \w+|[^\w\s]+ (regex crate, not Oniguruma); WhitespaceSplit is char::is_whitespace.
    case 'Whitespace': return patternSplitter('Whitespace', WHITESPACE_WORDS, 'Removed', true);
    case 'WhitespaceSplit': return patternSplitter('WhitespaceSplit', WHITE_SPACE_RUN, 'Removed');
    case 'Punctuation': {
      const behavior = behaviorOf(json, path, 'Isolated');
      return patternSplitter(`Punctuation(${behavior})`, PUNCTUATION_CHAR, behavior);
    }
    case 'Digits': {
      const single = optionalBool(json, 'individual_digits', false, path);
      return patternSplitter(`Digits(${single ? 'individual' : 'grouped'})`, single ? NUMERIC_CHAR : NUMERIC_RUN, 'Isolated');
    }
    case 'CharDelimiterSplit': {
      const d = field(json, 'delimiter', 'string', path);
      return patternSplitter(`CharDelimiterSplit(${d})`, new RegExp(escapeRegExp(d), 'gu'), 'Removed');
    }
    case 'Split': {
      const re = compilePattern(json.pattern, `${path}.pattern`);
      const behavior = behaviorOf(json, path, 'Isolated');
      const invert = optionalBool(json, 'invert', false, path);
      return patternSplitter(`Split(${patternLabel(json.pattern)}, ${behavior}${invert ? ', inverted' : ''})`, re, behavior, invert);
    }
    case 'Metaspace': {
      const replacement = optionalString(json, 'replacement', path) ?? '▁';
      const legacyAdd = json.add_prefix_space;
      const scheme = optionalString(json, 'prepend_scheme', path) ?? (legacyAdd === false ? 'never' : 'always');
      return metaspace(replacement, scheme, optionalBool(json, 'split', true, path));
    }
    case 'Sequence': {
      // Nested Sequences are flattened without recursion (flattenSequence.ts).
      return new SequencePreTokenizer(flattenSequence(json, 'pretokenizers', path).map((leaf) => buildPreTokenizer(leaf.json, leaf.path)));
    }
    default:
      throw new Error(`${path}.type: unsupported pre-tokenizer "${type}"`);
  }
}
