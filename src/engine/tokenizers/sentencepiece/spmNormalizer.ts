/**
 * SentencePiece's normalizer (normalizer.cc, `Normalizer::Normalize`), on UTF-8 bytes as
 * the C++ does, remembering for every output byte where in the caller's UTF-16 text it
 * came from (sentencepiece's `norm_to_orig`, here in UTF-16 units so token offsets point
 * into a JavaScript string). The steps, with nmt_nfkc and the default switches:
 *   1. drop leading whitespace (remove_extra_whitespaces) — "  I" → "I";
 *   2. add "▁" before the text (add_dummy_prefix) — "I love" → "▁I love";
 *   3. rewrite by the longest charsmap rule at each position ("ﬁ" → "fi", tab → " ",
 *      U+200B → " "), user-defined pieces left whole; a space that follows a space is
 *      dropped (remove_extra_whitespaces);
 *   4. write each space as "▁" (escape_whitespaces) — "▁I▁love";
 *   5. drop trailing "▁" (remove_extra_whitespaces).
 * treat_whitespace_as_suffix moves the dummy "▁" to the end instead.
 */
import type { ByteTrie } from './byteTrie';
import type { NormalizerSpec } from './modelProto';
import { PrecompiledCharsmap } from './precompiledCharsmap';

const SPACE_SYMBOL = new TextEncoder().encode('\u2581');
const REPLACEMENT = new TextEncoder().encode('\ufffd');
const SPACE = 0x20;

export interface NormalizedBytes {
  /** The normalized text in UTF-8. */
  bytes: Uint8Array;
  /** [bytes.length + 1] the UTF-16 offset in the input each normalized byte came from; the last is the end. */
  origin: Int32Array;
}

/** The UTF-8 of `text` and, for every byte boundary, its UTF-16 offset ([bytes.length + 1]). */
export function utf8WithOffsets(text: string): { bytes: Uint8Array; utf16At: Int32Array } {
  const bytes = new TextEncoder().encode(text);
  const utf16At = new Int32Array(bytes.length + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) utf16At[b + k] = i;
    b += n;
    if (c >= 0x10000) i++;
  }
  utf16At[b] = text.length;
  return { bytes, utf16At };
}

/** Length of the well-formed UTF-8 character at `pos`, or 0 if the bytes there are malformed. */
function validCharLength(bytes: Uint8Array, pos: number, end: number): number {
  const b = bytes[pos];
  const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
  if (n === 0 || pos + n > end) return 0;
  for (let k = 1; k < n; k++) if ((bytes[pos + k] & 0xc0) !== 0x80) return 0;
  return n;
}

export class SpmNormalizer {
  private readonly charsmap?: PrecompiledCharsmap;

  constructor(private readonly spec: NormalizerSpec, private readonly treatWhitespaceAsSuffix: boolean, private readonly userDefined?: ByteTrie) {
    if (spec.precompiledCharsmap.length > 0) this.charsmap = new PrecompiledCharsmap(spec.precompiledCharsmap);
  }

  /** What one step consumes and writes (`NormalizePrefix`). */
  private prefix(input: Uint8Array, pos: number, end: number): { consumed: number; out: Uint8Array } {
    if (this.userDefined && !this.userDefined.isEmpty) {
      const n = this.userDefined.longestPrefix(input, pos, end);
      if (n > 0) return { consumed: n, out: input.subarray(pos, pos + n) };
    }
    const rule = this.charsmap?.longestMatch(input, pos, end);
    if (rule) return { consumed: rule.length, out: rule.replacement };
    const n = validCharLength(input, pos, end);
    return n === 0 ? { consumed: 1, out: REPLACEMENT } : { consumed: n, out: input.subarray(pos, pos + n) };
  }

  normalize(text: string): NormalizedBytes {
    const { bytes: input, utf16At } = utf8WithOffsets(text);
    const spec = this.spec;
    const out: number[] = [];
    const origin: number[] = [];
    let pos = 0;
    const end = input.length;
    if (spec.removeExtraWhitespaces) {
      while (pos < end) {
        const p = this.prefix(input, pos, end);
        if (!(p.out.length === 1 && p.out[0] === SPACE)) break;
        pos += p.consumed;
      }
    }
    if (pos >= end) return { bytes: new Uint8Array(0), origin: Int32Array.of(utf16At[end]) };
    const addSpace = (at: number) => {
      const sym = spec.escapeWhitespaces ? SPACE_SYMBOL : [SPACE];
      for (const b of sym) { out.push(b); origin.push(utf16At[at]); }
    };
    if (!this.treatWhitespaceAsSuffix && spec.addDummyPrefix) addSpace(pos);
    let prevSpace = spec.removeExtraWhitespaces;
    while (pos < end) {
      const p = this.prefix(input, pos, end);
      let s = 0;
      while (prevSpace && s < p.out.length && p.out[s] === SPACE) s++;
      if (s < p.out.length) {
        for (let k = s; k < p.out.length; k++) {
          if (p.out[k] === SPACE && spec.escapeWhitespaces) addSpace(pos);
          else { out.push(p.out[k]); origin.push(utf16At[pos]); }
        }
        prevSpace = p.out[p.out.length - 1] === SPACE;
      }
      pos += p.consumed;
      if (!spec.removeExtraWhitespaces) prevSpace = false;
    }
    let consumedEnd = utf16At[pos];
    if (spec.removeExtraWhitespaces) {
      const sym = spec.escapeWhitespaces ? SPACE_SYMBOL : [SPACE];
      while (out.length >= sym.length && sym.every((b, k) => out[out.length - sym.length + k] === b)) {
        consumedEnd = origin[out.length - sym.length];
        out.length -= sym.length;
        origin.length = out.length;
      }
    }
    if (this.treatWhitespaceAsSuffix && spec.addDummyPrefix) {
      const sym = spec.escapeWhitespaces ? SPACE_SYMBOL : [SPACE];
      for (const b of sym) { out.push(b); origin.push(consumedEnd); }
    }
    origin.push(consumedEnd);
    return { bytes: Uint8Array.from(out), origin: Int32Array.from(origin) };
  }
}
