/**
 * Nested `Sequence`s of one pipeline stage (normalizer, pre-tokenizer, decoder,
 * post-processor) read without recursion. `Sequence[Sequence[a, b], c]` runs a, b, c in
 * turn, exactly as `Sequence[a, b, c]` does, so a nested Sequence is flattened into its
 * leaves in order. A hostile `tokenizer.json` nests 20,000 levels deep: building that
 * recursively overflowed the stack, and a path per level (`normalizer.normalizers[0]…`)
 * spelled out in full would cost O(depth²) characters, so deep paths are abbreviated.
 */
import { asObject, field, JsonObject } from './json';

export interface SequenceLeaf {
  json: JsonObject;
  /** Where the leaf is, for errors: `normalizer.normalizers[1]`. */
  path: string;
}

/** Levels spelled out in a path before the rest is abbreviated as `…(N levels)…`. */
const SPELLED_LEVELS = 8;

/**
 * The non-Sequence items under `json` (itself a `{"type": "Sequence", [listKey]: [...]}`),
 * depth first, in order. Example: `{type: Sequence, normalizers: [{type: Sequence,
 * normalizers: [NFC]}, Lowercase]}` → `[NFC at normalizer.normalizers[0].normalizers[0],
 * Lowercase at normalizer.normalizers[1]]`.
 */
export function flattenSequence(json: JsonObject, listKey: string, path: string): SequenceLeaf[] {
  const out: SequenceLeaf[] = [];
  const stack: { json: JsonObject; path: string; depth: number }[] = [{ json, path, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.depth > 0 && item.json.type !== 'Sequence') { out.push({ json: item.json, path: item.path }); continue; }
    const list = field(item.json, listKey, 'array', item.path);
    const depth = item.depth + 1;
    const base = depth === SPELLED_LEVELS + 1 ? `${item.path}…` : item.path;
    for (let i = list.length - 1; i >= 0; i--) {
      const childPath = depth <= SPELLED_LEVELS ? `${base}.${listKey}[${i}]` : `${pathHead(base)}…(${depth} levels deep).${listKey}[${i}]`;
      stack.push({ json: asObject(list[i], childPath), path: childPath, depth });
    }
  }
  return out;
}

/** The spelled-out part of an abbreviated path (everything before its first `…`). */
function pathHead(path: string): string {
  const cut = path.indexOf('…');
  return cut < 0 ? path : path.slice(0, cut);
}
