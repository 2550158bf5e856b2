/**
 * The ByteLevel pre-tokenizer's rewrite: each code point becomes the printable stand-ins
 * (GPT-2 `bytes_to_unicode`, byteLevel.ts) of its UTF-8 bytes, every stand-in aligned to
 * the code point's original span. `"é "` → `Ã©Ġ`: two symbols for é, one for the space.
 *
 * Performance: this runs on every piece of every byte-level tokenizer (Llama 3, Qwen3,
 * GPT-4o), so it encodes UTF-8 by hand into typed arrays in two passes (count, fill)
 * instead of a TextEncoder, a string and two number arrays per code point (which made
 * a third of Llama 3's time and most of its garbage). A piece of printable ASCII
 * (0x21–0x7E) is its own spelling and is returned as it is.
 */
import { BYTE_TO_UNICODE } from '../byteLevel';
import { NormalizedString } from './normalizedString';

/** byte → the UTF-16 unit of its stand-in (every stand-in is one unit). */
const SYMBOL_UNIT = Uint16Array.from(BYTE_TO_UNICODE, (c) => c.charCodeAt(0));

const isHigh = (c: number) => c >= 0xd800 && c < 0xdc00;
const isLow = (c: number) => c >= 0xdc00 && c < 0xe000;

/** Code units → string, in chunks: String.fromCharCode.apply takes a bounded number of arguments. */
function unitsToString(units: Uint16Array): string {
  const CHUNK = 8192;
  if (units.length <= CHUNK) return String.fromCharCode.apply(null, units as unknown as number[]);
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += CHUNK) parts.push(String.fromCharCode.apply(null, units.subarray(i, i + CHUNK) as unknown as number[]));
  return parts.join('');
}

/** The UTF-8 length of `text` as ByteLevel encodes it (a lone surrogate as U+FFFD, 3 bytes). */
function utf8Length(text: string): number {
  let out = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out += 1;
    else if (c < 0x800) out += 2;
    else if (isHigh(c) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) { out += 4; i++; }
    else out += 3;
  }
  return out;
}

/** toByteSymbols(n).text for a text alone: `"é "` → `Ã©Ġ`, no alignments (the ids-only path). */
export function byteSymbolText(src: string): string {
  const len = src.length;
  let asIs = true;
  for (let i = 0; i < len && asIs; i++) { const c = src.charCodeAt(i); asIs = c >= 0x21 && c <= 0x7e; }
  if (asIs) return src;
  const units = new Uint16Array(utf8Length(src)); // [bytes] stand-in of each byte
  let o = 0;
  for (let i = 0; i < len; i++) {
    let c = src.charCodeAt(i);
    if (c < 0x80) { units[o++] = SYMBOL_UNIT[c]; continue; }
    if (c < 0x800) {
      units[o++] = SYMBOL_UNIT[0xc0 | (c >> 6)]; units[o++] = SYMBOL_UNIT[0x80 | (c & 63)];
    } else if (isHigh(c) && i + 1 < len && isLow(src.charCodeAt(i + 1))) {
      c = 0x10000 + ((c - 0xd800) << 10) + (src.charCodeAt(++i) - 0xdc00);
      units[o++] = SYMBOL_UNIT[0xf0 | (c >> 18)]; units[o++] = SYMBOL_UNIT[0x80 | ((c >> 12) & 63)];
      units[o++] = SYMBOL_UNIT[0x80 | ((c >> 6) & 63)]; units[o++] = SYMBOL_UNIT[0x80 | (c & 63)];
    } else {
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate, as TextEncoder writes it
      units[o++] = SYMBOL_UNIT[0xe0 | (c >> 12)]; units[o++] = SYMBOL_UNIT[0x80 | ((c >> 6) & 63)]; units[o++] = SYMBOL_UNIT[0x80 | (c & 63)];
    }
  }
  return unitsToString(units);
}

export function toByteSymbols(n: NormalizedString): NormalizedString {
  const src = n.text, len = src.length;
  let asIs = true;
  for (let i = 0; i < len && asIs; i++) { const c = src.charCodeAt(i); asIs = c >= 0x21 && c <= 0x7e; }
  if (asIs) return n;
  const size = utf8Length(src);
  const units = new Uint16Array(size);  // [size] stand-in of each byte
  const starts = new Int32Array(size);  // [size] original start of its code point
  const ends = new Int32Array(size);    // [size] original end of its code point
  let o = 0;
  const put = (byte: number, s: number, e: number) => { units[o] = SYMBOL_UNIT[byte]; starts[o] = s; ends[o] = e; o++; };
  for (let i = 0; i < len; i++) {
    let c = src.charCodeAt(i);
    const s = n.starts[i];
    if (c < 0x80) { units[o] = SYMBOL_UNIT[c]; starts[o] = s; ends[o] = n.ends[i]; o++; continue; }
    if (c < 0x800) {
      const e = n.ends[i];
      put(0xc0 | (c >> 6), s, e); put(0x80 | (c & 63), s, e);
    } else if (isHigh(c) && i + 1 < len && isLow(src.charCodeAt(i + 1))) {
      c = 0x10000 + ((c - 0xd800) << 10) + (src.charCodeAt(i + 1) - 0xdc00);
      const e = n.ends[++i];
      put(0xf0 | (c >> 18), s, e); put(0x80 | ((c >> 12) & 63), s, e); put(0x80 | ((c >> 6) & 63), s, e); put(0x80 | (c & 63), s, e);
    } else {
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate, as TextEncoder writes it
      const e = n.ends[i];
      put(0xe0 | (c >> 12), s, e); put(0x80 | ((c >> 6) & 63), s, e); put(0x80 | (c & 63), s, e);
    }
  }
  return new NormalizedString(unitsToString(units), starts, ends);
}
