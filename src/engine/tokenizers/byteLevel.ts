/**
 * Byte-level helpers shared by tiktoken-style and Hugging Face byte-level BPE.
 *
 * GPT-2's `bytes_to_unicode` (openai/gpt-2 `encoder.py`) maps each of the 256 bytes to a
 * printable character so a vocabulary can be written as text: printable Latin-1 bytes map
 * to themselves, the rest to U+0100 onwards in byte order — space 0x20 → `Ġ` (U+0120),
 * newline 0x0A → `Ċ` (U+010A).
 */

function buildByteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array(256);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = printable.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + next++);
  }
  return table;
}

/** byte → printable stand-in, e.g. `BYTE_TO_UNICODE[0x20] === 'Ġ'`. */
export const BYTE_TO_UNICODE: readonly string[] = buildByteToUnicode();

/** printable stand-in → byte, the inverse of {@link BYTE_TO_UNICODE}. */
export const UNICODE_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_UNICODE.map((c, b) => [c, b]));

/** Bytes → their GPT-2 printable spelling: `[0x20, 0x61]` → `Ġa`. */
export function bytesToSymbols(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_UNICODE[bytes[i]];
  return s;
}

/** Replace lone surrogates with U+FFFD, as tiktoken and TextEncoder do; length is kept. */
export function wellFormed(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}

/**
 * UTF-8 encode into a "binary string" (one char per byte, codes 0–255). Binary strings
 * are what the rank maps are keyed by: V8 hashes short strings fast and slicing is cheap.
 * Input must be well-formed (see {@link wellFormed}). ASCII input is returned as is.
 */
export function utf8Binary(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) { ascii = false; break; }
  }
  if (ascii) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) out += String.fromCharCode(c);
    else if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      out += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    } else out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

export function binaryToBytes(s: string): number[] {
  const out = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** ignoreBOM: a leading U+FEFF is text the tokens spell, not a byte-order mark to drop. */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bytes → text; invalid sequences become U+FFFD (tiktoken's `errors="replace"`); a leading U+FEFF is kept. */
export function decodeUtf8(bytes: ArrayLike<number>): string {
  return decoder.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes as ArrayLike<number>));
}

/**
 * For each byte of the UTF-8 encoding of `text`, the UTF-16 index where its character
 * starts and the index just past it. A token that ends inside a multi-byte character
 * covers the whole character, as Hugging Face's offsets do.
 */
export function byteToUtf16Spans(text: string): { starts: Int32Array; ends: Int32Array } {
  const n = utf8Length(text);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!;
    const units = c > 0xffff ? 2 : 1;
    const len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    for (let k = 0; k < len; k++) { starts[b] = i; ends[b] = i + units; b++; }
    i += units - 1;
  }
  return { starts, ends };
}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
