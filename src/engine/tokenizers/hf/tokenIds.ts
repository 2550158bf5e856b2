/**
 * Token ids read from `tokenizer.json` (added tokens, post-processor templates) are
 * checked before they can become output: every id is a non-negative integer below the
 * vocabulary size, so `1.5`, `-7` or `"x"` is refused with the field named instead of
 * being returned as a token id.
 */
import type { JsonObject } from './json';

/** `v` as a token id, or an error such as `added_tokens[2].id: expected a non-negative integer id, got 1.5`. */
export function tokenId(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new Error(`${path}: expected a non-negative integer id, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  }
  return v;
}

/** The ids a post-processor will emit, with the field each came from (Sequence walked without recursion). */
export function postProcessorIds(json: JsonObject, path = 'post_processor'): { id: number; path: string }[] {
  const out: { id: number; path: string }[] = [];
  const todo: { json: unknown; path: string }[] = [{ json, path }];
  while (todo.length > 0) {
    const { json: j, path: p } = todo.pop()!;
    if (typeof j !== 'object' || j === null || Array.isArray(j)) continue; // the builder names that problem
    const o = j as JsonObject;
    for (const key of ['cls', 'sep']) {
      const pair = o[key];
      if (Array.isArray(pair)) out.push({ id: tokenId(pair[1], `${p}.${key}[1]`), path: `${p}.${key}[1]` });
    }
    const table = o.special_tokens;
    if (typeof table === 'object' && table !== null && !Array.isArray(table)) {
      for (const [name, entry] of Object.entries(table as JsonObject)) {
        const ids = (entry as JsonObject | null)?.ids;
        if (!Array.isArray(ids)) continue;
        const tokens = (entry as JsonObject).tokens;
        if (Array.isArray(tokens) && tokens.length !== ids.length) throw new Error(`${p}.special_tokens.${name}: ${ids.length} ids but ${tokens.length} tokens`);
        ids.forEach((id, i) => out.push({ id: tokenId(id, `${p}.special_tokens.${name}.ids[${i}]`), path: `${p}.special_tokens.${name}.ids[${i}]` }));
      }
    }
    if (Array.isArray(o.processors)) o.processors.forEach((x, i) => todo.push({ json: x, path: `${p}.processors[${i}]` }));
  }
  return out;
}

/** Refuse the first id at or above `vocabSize`. */
export function checkIdsBelow(ids: readonly { id: number; path: string }[], vocabSize: number): void {
  for (const { id, path } of ids) {
    if (id >= vocabSize) throw new Error(`${path}: id ${id} is not below the vocabulary size ${vocabSize}`);
  }
}
