/**
 * Splitting text around special tokens (`<|endoftext|>`, `[CLS]` …) before the model
 * runs: the longest special token wins at a position, leftmost first, as tiktoken's
 * special regex and Hugging Face's added-token trie both do.
 */

export interface Segment {
  text: string;
  /** UTF-16 offset of `text` in the input. */
  start: number;
  /** The special token's id when this segment is one. */
  special: number | undefined;
}

/** Escape `s` for use inside a RegExp: `a.b` → `a\\.b`. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `"a<|endoftext|>b"` → `a` · `<|endoftext|>`(50256) · `b`; empty plain segments are skipped. */
export function* splitOnSpecialTokens(text: string, specials: ReadonlyMap<string, number>): Generator<Segment> {
  if (specials.size === 0) { if (text) yield { text, start: 0, special: undefined }; return; }
  const alternatives = [...specials.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const re = new RegExp(alternatives.join('|'), 'g');
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) yield { text: text.slice(last, m.index), start: last, special: undefined };
    yield { text: m[0], start: m.index, special: specials.get(m[0])! };
    last = m.index + m[0].length;
  }
  if (last < text.length) yield { text: text.slice(last), start: last, special: undefined };
}
