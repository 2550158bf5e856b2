/**
 * Character classes used by BERT's basic tokenizer (google-research/bert
 * `tokenization.py`) and Hugging Face's `BertNormalizer`/`BertPreTokenizer`.
 */

/** `_is_whitespace`: space, tab, newline, CR and Unicode category Zs. */
export function isBertWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || /^\p{Zs}$/u.test(ch);
}

/** `_is_control`: categories Cc/Cf (but tab, newline, CR count as whitespace). */
export function isBertControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return /^[\p{Cc}\p{Cf}]$/u.test(ch);
}

/** `_is_punctuation`: ASCII non-alphanumerics 33–47, 58–64, 91–96, 123–126, and category P. */
export function isBertPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /^\p{P}$/u.test(ch);
}

/** `_is_chinese_char`: the CJK Unified Ideograph blocks BERT pads with spaces. */
export function isCjkChar(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

/** Strip accents: NFD, then drop combining marks (category Mn). `"café"` → `"cafe"`. */
export function stripAccents(ch: string): string {
  return ch.normalize('NFD').replace(/\p{Mn}/gu, '');
}
