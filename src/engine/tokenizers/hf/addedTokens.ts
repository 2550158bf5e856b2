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

/** A trie node over UTF-16 units; `token` is set where an added token ends. */
interface TrieNode { next: Map<number, TrieNode>; token?: AddedToken }

/**
 * The added tokens as a trie, built once per token list and mode. Matching at a position
 * walks the trie as far as the text allows, so it costs the length of the longest token
 * there, not the number of tokens: 20,000 added tokens sharing a prefix over 200 KB took
 * 79 s with a per-position scan of the candidates.
 */
const trieCache = new WeakMap<readonly AddedToken[], Map<boolean, TrieNode | undefined>>();

function addedTokenTrie(tokens: readonly AddedToken[], includeSpecial: boolean): TrieNode | undefined {
  let byMode = trieCache.get(tokens);
  if (!byMode) { byMode = new Map(); trieCache.set(tokens, byMode); }
  if (byMode.has(includeSpecial)) return byMode.get(includeSpecial);
  let root: TrieNode | undefined;
  for (const t of tokens) {
    if (t.content.length === 0 || (!includeSpecial && t.special)) continue;
    root ??= { next: new Map() };
    let node = root;
    for (let k = 0; k < t.content.length; k++) {
      const c = t.content.charCodeAt(k);
      let child = node.next.get(c);
      if (!child) { child = { next: new Map() }; node.next.set(c, child); }
      node = child;
    }
    node.token ??= t; // the first of duplicate contents wins
  }
  byMode.set(includeSpecial, root);
  return root;
}

/**
 * The longest added token starting at `i` that may match there (`single_word` tokens only
 * between non-word characters); shorter ones are the fallback when the longest may not.
 */
function matchAt(root: TrieNode, text: string, i: number): AddedToken | undefined {
  let node: TrieNode | undefined = root;
  let best: AddedToken | undefined;
  for (let k = i; k < text.length; k++) {
    node = node.next.get(text.charCodeAt(k));
    if (!node) break;
    const t = node.token;
    if (t && (!t.singleWord || (!isWordChar(text[i - 1]) && !isWordChar(text[k + 1])))) best = t;
  }
  return best;
}

/** Split `text` around the `tokens` (skipping special ones when `includeSpecial` is false). */
export function splitOnAddedTokens(text: string, tokens: readonly AddedToken[], includeSpecial: boolean): TextSegment[] {
  const root = addedTokenTrie(tokens, includeSpecial);
  if (!root) return text ? [{ text, start: 0 }] : [];
  const out: TextSegment[] = [];
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const tok = root.next.has(text.charCodeAt(i)) ? matchAt(root, text, i) : undefined;
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
