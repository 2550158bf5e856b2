/**
 * Normalizers from Hugging Face tokenizers (`tokenizers/src/normalizers/`), built from a
 * `tokenizer.json` `normalizer` object. Each rewrites a NormalizedString and can describe
 * itself for the trace.
 */
import { flattenSequence } from './flattenSequence';
import { NormalizedString } from './normalizedString';
import { inTable } from '../unicodePattern';
import { dropNonspacingMarks, isBertControl, isBertWhitespace, isCjkChar, stripAccents } from './unicodeClasses';
import { compilePattern, field, patternLabel, JsonObject, optionalBool } from './json';

export interface Normalizer {
  readonly name: string;
  normalize(input: NormalizedString): NormalizedString;
}

/** `BertNormalizer`: clean text, pad CJK characters, strip accents, lowercase — in that order. */
export class BertNormalizer implements Normalizer {
  readonly name: string;
  constructor(readonly cleanText = true, readonly handleChineseChars = true, readonly stripAccentsFlag: boolean | null = null, readonly lowercase = true) {
    const strip = stripAccentsFlag ?? lowercase;
    this.name = `BertNormalizer(${[cleanText && 'clean text', handleChineseChars && 'pad CJK', strip && 'strip accents', lowercase && 'lowercase'].filter(Boolean).join(', ')})`;
  }

  normalize(input: NormalizedString): NormalizedString {
    let s = input;
    if (this.cleanText) {
      s = s.mapCodePoints((ch) => {
        const cp = ch.codePointAt(0)!;
        if (cp === 0 || cp === 0xfffd || isBertControl(ch)) return '';
        return isBertWhitespace(ch) ? ' ' : ch;
      });
    }
    if (this.handleChineseChars) s = s.mapCodePoints((ch) => (isCjkChar(ch.codePointAt(0)!) ? ` ${ch} ` : ch));
    if (this.stripAccentsFlag ?? this.lowercase) s = s.mapCodePoints(stripAccents);
    if (this.lowercase) s = s.mapCodePoints((ch) => ch.toLowerCase());
    return s;
  }
}

/** What a Prepend or a literal Replace does, for SequenceNormalizer to run the two as one pass. */
interface Fusable { prepend?: string; replace?: { literal: string; content: string } }

class FnNormalizer implements Normalizer {
  constructor(readonly name: string, private readonly fn: (n: NormalizedString) => NormalizedString, readonly fusable?: Fusable) {}
  normalize(input: NormalizedString): NormalizedString { return this.fn(input); }
}

class SequenceNormalizer implements Normalizer {
  readonly name: string;
  constructor(private readonly parts: Normalizer[]) { this.name = parts.map((p) => p.name).join(' → '); }
  normalize(input: NormalizedString): NormalizedString {
    let s = input;
    for (let i = 0; i < this.parts.length; i++) {
      // Llama 2's Prepend(▁) then Replace(' ' → ▁) in one pass, when the prefix holds no part of
      // the one-unit pattern: the same text and alignments without a third copy of them
      // (the alignments of 5 MB are 40 MB a copy).
      const prepend = (this.parts[i] as FnNormalizer).fusable?.prepend;
      const replace = (this.parts[i + 1] as FnNormalizer | undefined)?.fusable?.replace;
      if (prepend !== undefined && replace && replace.literal.length === 1 && !prepend.includes(replace.literal) && s.length > 0) {
        s = replaceLiteral(s, replace.literal, replace.content, prepend);
        i++;
        continue;
      }
      s = this.parts[i].normalize(s);
    }
    return s;
  }
}

function strip(n: NormalizedString, left: boolean, right: boolean): NormalizedString {
  let from = 0, to = n.length;
  // Rust char::is_whitespace (Unicode White_Space: U+0085 yes, U+FEFF no), not JavaScript's \s.
  while (left && from < to && inTable('s', n.text.charCodeAt(from))) from++;
  while (right && to > from && inTable('s', n.text.charCodeAt(to - 1))) to--;
  return n.slice(from, to);
}

/** Build a normalizer from its JSON; `path` names the field in errors. */
export function buildNormalizer(json: JsonObject, path = 'normalizer'): Normalizer {
  const type = field(json, 'type', 'string', path);
  switch (type) {
    case 'BertNormalizer':
      return new BertNormalizer(optionalBool(json, 'clean_text', true, path), optionalBool(json, 'handle_chinese_chars', true, path),
        json.strip_accents === null || json.strip_accents === undefined ? null : optionalBool(json, 'strip_accents', false, path),
        optionalBool(json, 'lowercase', true, path));
    case 'Lowercase': return new FnNormalizer('Lowercase', (n) => n.mapCodePoints((c) => c.toLowerCase()));
    case 'StripAccents': return new FnNormalizer('StripAccents', (n) => n.mapCodePoints(dropNonspacingMarks));
    case 'NFC': case 'NFD': case 'NFKC': case 'NFKD':
      return new FnNormalizer(type, (n) => n.mapClusters((c) => c.normalize(type)));
    case 'Precompiled':
      // SentencePiece's precompiled charsmap is, for nearly all text, NFKC; the trace says so.
      return new FnNormalizer('Precompiled (applied as NFKC)', (n) => n.mapClusters((c) => c.normalize('NFKC')));
    case 'Strip': {
      const left = optionalBool(json, 'strip_left', true, path), right = optionalBool(json, 'strip_right', true, path);
      return new FnNormalizer('Strip', (n) => strip(n, left, right));
    }
    case 'Prepend': {
      const prefix = field(json, 'prepend', 'string', path);
      return new FnNormalizer(`Prepend(${prefix})`, (n) => (n.length ? n.prepend(prefix) : n), { prepend: prefix });
    }
    case 'Replace': {
      const re = compilePattern(json.pattern, `${path}.pattern`);
      const content = field(json, 'content', 'string', path);
      const literal = typeof (json.pattern as JsonObject).String === 'string' ? (json.pattern as JsonObject).String as string : undefined;
      return new FnNormalizer(`Replace(${patternLabel(json.pattern)} → ${content})`, (n) => replaceAll(n, re, content, literal), literal ? { replace: { literal, content } } : undefined);
    }
    case 'Sequence': {
      // Nested Sequences are flattened without recursion (flattenSequence.ts).
      return new SequenceNormalizer(flattenSequence(json, 'normalizers', path).map((leaf) => buildNormalizer(leaf.json, leaf.path)));
    }
    default:
      throw new Error(`${path}.type: unsupported normalizer "${type}"`);
  }
}

/**
 * Replace every match of `re`, the replacement aligned to the matched span. One pass:
 * the text and both alignment arrays are built once, not concatenated per match (which
 * was quadratic: Llama's `▁` Replace took 88 s on 300 KB).
 */
export function replaceAll(n: NormalizedString, re: RegExp, content: string, literal?: string): NormalizedString {
  if (literal) return replaceLiteral(n, literal, content);
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  const parts: string[] = [];
  let starts = new Int32Array(Math.max(16, n.length)); // [out length] grows by doubling
  let ends = new Int32Array(starts.length);
  let size = 0;
  const reserve = (extra: number) => {
    if (size + extra <= starts.length) return;
    const cap = Math.max(size + extra, starts.length * 2);
    const s2 = new Int32Array(cap); s2.set(starts.subarray(0, size)); starts = s2;
    const e2 = new Int32Array(cap); e2.set(ends.subarray(0, size)); ends = e2;
  };
  const keep = (from: number, to: number) => {
    if (to <= from) return;
    reserve(to - from);
    parts.push(n.text.slice(from, to));
    starts.set(n.starts.subarray(from, to), size); ends.set(n.ends.subarray(from, to), size);
    size += to - from;
  };
  let last = 0;
  for (const m of n.text.matchAll(global)) {
    if (m[0].length === 0) continue;
    const from = m.index!, to = from + m[0].length;
    keep(last, from);
    const [s0, e0] = n.originalSpan(from, to);
    reserve(content.length);
    parts.push(content);
    starts.fill(s0, size, size + content.length); ends.fill(e0, size, size + content.length);
    size += content.length;
    last = to;
  }
  keep(last, n.length);
  return new NormalizedString(parts.join(''), starts.slice(0, size), ends.slice(0, size));
}

/**
 * replaceAll for a `{"String": …}` pattern (Llama 2's and Gemma 3's ` ` → `▁`): the text
 * from the runtime's own replaceAll, the alignments from an indexOf scan into arrays sized
 * once, so 5 MB with a million spaces makes no match object or slice per space.
 */
function replaceLiteral(n: NormalizedString, literal: string, content: string, prefix = ''): NormalizedString {
  const src = n.text;
  let count = 0;
  for (let at = src.indexOf(literal); at >= 0; at = src.indexOf(literal, at + literal.length)) count++;
  if (count === 0) return prefix ? n.prepend(prefix) : n;
  const size = prefix.length + src.length + count * (content.length - literal.length);
  const starts = new Int32Array(size), ends = new Int32Array(size);
  // the prefix aligned to the first unit, as NormalizedString.prepend does (n is not empty here: it holds a match)
  starts.fill(n.starts[0], 0, prefix.length); ends.fill(n.ends[0], 0, prefix.length);
  let out = prefix.length, last = 0;
  for (let at = src.indexOf(literal); at >= 0; at = src.indexOf(literal, last)) {
    starts.set(n.starts.subarray(last, at), out); ends.set(n.ends.subarray(last, at), out);
    out += at - last;
    const s0 = n.starts[at], e0 = n.ends[at + literal.length - 1];
    starts.fill(s0, out, out + content.length); ends.fill(e0, out, out + content.length);
    out += content.length;
    last = at + literal.length;
  }
  starts.set(n.starts.subarray(last), out); ends.set(n.ends.subarray(last), out);
  if (!literal.isWellFormed() || !content.isWellFormed() || !prefix.isWellFormed()) return new NormalizedString(prefix + src.replaceAll(literal, () => content), starts, ends);
  // The text as UTF-16 units, decoded once: the runtime's replaceAll joins a string per
  // match (a million on 5 MB of prose), which stayed alive as long as the text.
  const units = new Uint16Array(size);
  for (let k = 0; k < prefix.length; k++) units[k] = prefix.charCodeAt(k);
  out = prefix.length; last = 0;
  for (let at = src.indexOf(literal); ; at = src.indexOf(literal, last)) {
    const to = at < 0 ? src.length : at;
    for (let i = last; i < to; i++) units[out++] = src.charCodeAt(i);
    if (at < 0) break;
    for (let k = 0; k < content.length; k++) units[out++] = content.charCodeAt(k);
    last = at + literal.length;
  }
  return new NormalizedString(new TextDecoder('utf-16le').decode(units), starts, ends);
}
