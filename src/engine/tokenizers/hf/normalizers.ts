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

class FnNormalizer implements Normalizer {
  constructor(readonly name: string, private readonly fn: (n: NormalizedString) => NormalizedString) {}
  normalize(input: NormalizedString): NormalizedString { return this.fn(input); }
}

class SequenceNormalizer implements Normalizer {
  readonly name: string;
  constructor(private readonly parts: Normalizer[]) { this.name = parts.map((p) => p.name).join(' → '); }
  normalize(input: NormalizedString): NormalizedString { return this.parts.reduce((s, p) => p.normalize(s), input); }
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
      return new FnNormalizer(`Prepend(${prefix})`, (n) => (n.length ? n.prepend(prefix) : n));
    }
    case 'Replace': {
      const re = compilePattern(json.pattern, `${path}.pattern`);
      const content = field(json, 'content', 'string', path);
      return new FnNormalizer(`Replace(${patternLabel(json.pattern)} → ${content})`, (n) => replaceAll(n, re, content));
    }
    case 'Sequence': {
      // Nested Sequences are flattened without recursion (flattenSequence.ts).
      return new SequenceNormalizer(flattenSequence(json, 'normalizers', path).map((leaf) => buildNormalizer(leaf.json, leaf.path)));
    }
    default:
      throw new Error(`${path}.type: unsupported normalizer "${type}"`);
  }
}

/** Replace every match of `re`, the replacement aligned to the matched span. */
export function replaceAll(n: NormalizedString, re: RegExp, content: string): NormalizedString {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let out = NormalizedString.from('');
  let last = 0;
  for (const m of n.text.matchAll(global)) {
    if (m[0].length === 0) continue;
    const from = m.index!, to = from + m[0].length;
    out = out.concat(n.slice(last, from));
    const span = n.originalSpan(from, to);
    out = out.concat(new NormalizedString(content, new Int32Array(content.length).fill(span[0]), new Int32Array(content.length).fill(span[1])));
    last = to;
  }
  return out.concat(n.slice(last, n.length));
}
