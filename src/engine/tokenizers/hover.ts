/**
 * What the hover shows: the token(s) under a cursor position, computed on the line in
 * context (tokenizing one word alone would give different tokens, e.g. `quick` vs
 * `Ġquick`). Offsets are UTF-16 columns in the line.
 */
import type { Token, Tokenizer } from './types';
import type { HoverTokens } from '../../shared/hoverTypes';

/** Lines longer than this are tokenized in a window around the cursor. */
export const HOVER_WINDOW = 4_000;

export function tokensAt(tokenizer: Tokenizer, line: string, column: number): HoverTokens | undefined {
  let base = 0;
  let text = line;
  if (line.length > HOVER_WINDOW) {
    base = Math.max(0, column - HOVER_WINDOW / 2);
    // start the window at whitespace so the first word is whole
    const space = line.lastIndexOf(' ', base);
    base = space > 0 ? space : base;
    text = line.slice(base, base + HOVER_WINDOW);
  }
  const col = column - base;
  const all = tokenizer.encodeTokens(text, { addSpecialTokens: false });
  const hits: Token[] = [];
  let index = -1;
  all.forEach((t, i) => {
    if (!t.special && t.start <= col && col < Math.max(t.end, t.start + 1)) {
      if (index < 0) index = i;
      hits.push({ ...t, start: t.start + base, end: t.end + base });
    }
  });
  return hits.length ? { tokens: hits, index, lineTokenCount: all.length } : undefined;
}
