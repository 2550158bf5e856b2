/**
 * Added tokens (`tokenizer.json` `added_tokens`): matched in the raw text before the
 * normalizer runs, as Hugging Face's `AddedVocabulary` does — longest match at the
 * leftmost position; `lstrip`/`rstrip` swallow whitespace beside the token;
 * `single_word` matches only between non-word characters.
 */
import { asObject, field, optionalBool } from './json';
import { tokenId } from './tokenIds';

export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  lstrip: boolean;
  rstrip: boolean;
  singleWord: boolean;
  normalized: boolean;
}

export interface TextSegment {
  text: string;
  start: number;
  added?: AddedToken;
}

export function parseAddedTokens(list: unknown[], path = 'added_tokens'): AddedToken[] {
  return list.map((item, i) => {
    const where = `${path}[${i}]`;
    const o = asObject(item, where);
    return {
      id: tokenId(field(o, 'id', 'number', where), `${where}.id`), content: field(o, 'content', 'string', where),
      special: optionalBool(o, 'special', false, where), lstrip: optionalBool(o, 'lstrip', false, where),
      rstrip: optionalBool(o, 'rstrip', false, where), singleWord: optionalBool(o, 'single_word', false, where),
      normalized: optionalBool(o, 'normalized', false, where),
    };
  });
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/** Split `text` around the `tokens` (skipping special ones when `includeSpecial` is false). */
export function splitOnAddedTokens(text: string, tokens: readonly AddedToken[], includeSpecial: boolean): TextSegment[] {
  const active = tokens.filter((t) => t.content.length > 0 && (includeSpecial || !t.special)).sort((a, b) => b.content.length - a.content.length);
  if (active.length === 0) return text ? [{ text, start: 0 }] : [];
  // Candidates by first UTF-16 unit, longest first, so most positions cost one Map lookup.
  const byFirst = new Map<string, AddedToken[]>();
  for (const t of active) {
    const list = byFirst.get(t.content[0]);
    if (list) list.push(t); else byFirst.set(t.content[0], [t]);
  }
  const out: TextSegment[] = [];
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const tok = byFirst.get(text[i])?.find((t) => text.startsWith(t.content, i) &&
      (!t.singleWord || (!isWordChar(text[i - 1]) && !isWordChar(text[i + t.content.length]))));
    if (!tok) { i++; continue; }
    let from = i, to = i + tok.content.length;
    if (tok.lstrip) while (from > last && /\s/u.test(text[from - 1])) from--;
    if (tok.rstrip) while (to < text.length && /\s/u.test(text[to])) to++;
    if (from > last) out.push({ text: text.slice(last, from), start: last });
    out.push({ text: text.slice(from, to), start: from, added: tok });
    last = i = to;
  }
  if (last < text.length) out.push({ text: text.slice(last), start: last });
  return out;
}
