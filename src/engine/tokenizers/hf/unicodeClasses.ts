/**
 * Character classes used by BERT's basic tokenizer (google-research/bert
 * `tokenization.py`) as Hugging Face's `BertNormalizer`/`BertPreTokenizer` implement them
 * (`tokenizers/src/normalizers/bert.rs`, `pre_tokenizers/bert.rs`): Rust's
 * `char::is_whitespace` and the `unicode_categories` crate. The sets come from
 * unicodeTables.ts, probed from `tokenizers` itself, not from the JavaScript runtime's
 * `\p{..}` (another Unicode version: it would keep U+0085 and turn U+2028 into [UNK]).
 */
import { inTable } from '../unicodePattern';

/** Unicode White_Space (Rust `char::is_whitespace`): also U+0085, U+2028, U+2029, U+1680. */
export function isBertWhitespace(ch: string): boolean {
  return inTable('s', ch.codePointAt(0)!);
}

/**
 * What clean_text removes: NUL, U+FFFD and `is_control` (categories Cc, Cf, Co of the
 * crate's tables; tab, newline and CR are whitespace instead). Unassigned code points are
 * kept: `"\u0381"` stays and becomes [UNK], as in `tokenizers`.
 */
export function isBertControl(ch: string): boolean {
  return inTable('bertControl', ch.codePointAt(0)!);
}

/** `is_bert_punc`: ASCII punctuation, or category P in the crate's tables. */
export function isBertPunctuation(ch: string): boolean {
  return inTable('bertPunctuation', ch.codePointAt(0)!);
}

/**
 * `is_chinese_char`: the CJK Unified Ideograph blocks BERT pads with spaces, as `tokenizers`
 * has them: its Extension-E range starts at U+2B920, not google-research/bert's U+2B820,
 * so U+2B820–U+2B91F stay inside their word.
 */
export function isCjkChar(cp: number): boolean {
  return inTable('bertChinese', cp);
}

/** Drop the non-spacing marks (category Mn in the crate's tables) from `s`. */
export function dropNonspacingMarks(s: string): string {
  let out = '';
  for (const c of s) if (!inTable('bertNonspacingMark', c.codePointAt(0)!)) out += c;
  return out;
}

/** Strip accents: NFD, then drop non-spacing marks. `"café"` → `"cafe"`. */
export function stripAccents(ch: string): string {
  return dropNonspacingMarks(ch.normalize('NFD'));
}
