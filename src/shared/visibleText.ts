/**
 * A token's text as a person reads it: what the token stands for (its decoded bytes or
 * the slice of the input it covers), with whitespace made visible — space `␣`, newline
 * `⏎`, tab `→`, carriage return `␍` — instead of the vocabulary's own spelling
 * (`Ġquick`, `Ċ`, `▁the`), which stays where it is the point (merge traces, hover, JSON).
 * Pure string work, no Node or DOM: used by the CLI and the webview.
 */

/** Markers for characters a reader cannot see. Other C0 controls become `\x07`. */
const WHITESPACE_MARKERS: Readonly<Record<string, string>> = { ' ': '␣', '\n': '⏎', '\t': '→', '\r': '␍', '\u00a0': '⍽' };

/**
 * Whitespace and control characters made visible: `"a b\n"` → `a␣b⏎`, `"\r\n"` → `␍⏎`,
 * `"\x07"` → `\x07`. Bidirectional overrides and isolates (U+202A–E, U+2066–9) are shown
 * as `\u202e` so a token cannot reorder the text around it.
 */
export function markWhitespace(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u00a0 \u202a-\u202e\u2066-\u2069]/g, (c) => {
    const marker = WHITESPACE_MARKERS[c];
    if (marker) return marker;
    const code = c.charCodeAt(0);
    return code <= 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * UTF-8 bytes → text, where bytes that are not a whole, valid UTF-8 sequence show as
 * `\xe4` (a byte-level token can be half a character: 世 is e4 b8 96, and GPT-2 may cut
 * it into `e4 b8` + `96`). `[0x20, 0x71]` → `" q"`; `[0xe4, 0xb8]` → `\xe4\xb8`.
 * Rejects what the UTF-8 spec (RFC 3629) rejects: overlong forms, surrogates, > U+10FFFF.
 */
export function decodeUtf8Marked(bytes: ArrayLike<number>): string {
  return decodeUtf8(bytes).text;
}

/** decodeUtf8Marked's text, and whether every byte was part of a whole character. */
function decodeUtf8(bytes: ArrayLike<number>): { text: string; whole: boolean } {
  let out = '';
  let whole = true;
  let i = 0;
  const n = bytes.length;
  const cont = (k: number) => k < n && (bytes[k] & 0xc0) === 0x80;
  while (i < n) {
    const b = bytes[i];
    let len = 0, cp = 0, min = 0;
    if (b < 0x80) { out += String.fromCharCode(b); i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { len = 2; cp = b & 0x1f; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { len = 3; cp = b & 0x0f; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { len = 4; cp = b & 0x07; min = 0x10000; }
    let ok = len > 0;
    for (let k = 1; ok && k < len; k++) {
      if (!cont(i + k)) ok = false;
      else cp = (cp << 6) | (bytes[i + k] & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) { out += String.fromCodePoint(cp); i += len; continue; }
    out += `\\x${b.toString(16).padStart(2, '0')}`;
    whole = false;
    i++;
  }
  return { text: out, whole };
}

/** What a token needs for its readable text (the engine's Token and the panel's PanelToken both fit). */
export interface TokenForReading {
  /** The vocabulary's spelling (`Ġquick`, `##ing`, `[CLS]`). */
  text: string;
  /** Byte-level BPE: the raw bytes the token stands for. */
  bytes: ArrayLike<number>;
  special: boolean;
}

/**
 * The token as a person reads it, whitespace marked:
 * - a special token (`[CLS]`, `<|endoftext|>`): its spelling, it stands for no text;
 * - otherwise the slice of the input it covers (`covered`), except that byte-level BPE
 *   (GPT-2, tiktoken, RoBERTa) takes its decoded bytes where the offsets cannot say it:
 *   half a character (both halves of 世 cover all of it; the bytes say `\xe4\xb8` and `\x96`),
 *   a space the offsets trimmed (`Ġquick` covering `quick` reads `␣quick`), or no slice;
 * - no slice and not byte-level (WordPiece `##ing`, SentencePiece `▁the`): its spelling.
 * `Ġquick` covering ` quick` → `␣quick`; `Ċ` → `⏎`.
 */
export function readableTokenText(token: TokenForReading, covered: string | undefined, byteLevel: boolean): string {
  if (token.special) return markWhitespace(token.text);
  if (byteLevel) {
    const decoded = decodeUtf8(token.bytes);
    const trimmed = !!covered && decoded.text.length > covered.length && decoded.text.endsWith(covered) && decoded.text.slice(0, -covered.length).trim() === '';
    if (!covered || !decoded.whole || trimmed) return markWhitespace(decoded.text);
  }
  return markWhitespace(covered || token.text);
}

/** Vocabulary stand-ins that mean whitespace, for the legend. */
const STAND_INS = /[\u0120\u010a\u0109\u2581]/;

/** True when a vocabulary spelling uses a stand-in for whitespace (`Ġ`, `Ċ`, `ĉ`, `▁`), so a reader needs the legend. */
export function usesWhitespaceStandIn(spelling: string): boolean {
  return STAND_INS.test(spelling);
}

/** True when readable text carries a marker (`␣ ⏎ → ␍ ⍽`, `\xe4`) that the legend explains. */
export function hasMarkers(readable: string): boolean {
  return /[␣⏎→␍⍽]|\\x[0-9a-f]{2}/.test(readable);
}

/** One legend, in both languages, for the markers and the vocabulary's stand-ins; lines end with `\n`. */
export const WHITESPACE_LEGEND = {
  en: '␣ space · ⏎ newline · → tab · ␍ carriage return · \\xe4 a byte that is only part of a character\n'
    + 'Vocabulary spellings: byte-level BPE (GPT-2) gives every byte a printable stand-in, so Ġ is a space and Ċ a newline (Ġquick = " quick"); '
    + 'SentencePiece writes a space as ▁; WordPiece starts a piece that continues a word with ##.\n',
  'zh-cn': '␣ 空格 · ⏎ 换行 · → 制表符 · ␍ 回车 · \\xe4 只是某个字符一部分的字节\n'
    + '词表写法：字节级 BPE（GPT-2）给每个字节一个可打印的替身字符，所以 Ġ 是空格、Ċ 是换行（Ġquick 即 " quick"）；'
    + 'SentencePiece 把空格写作 ▁；WordPiece 用 ## 开头表示接在词中间的子词。\n',
} as const;
