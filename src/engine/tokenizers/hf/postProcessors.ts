/**
 * Post-processors from Hugging Face tokenizers (`tokenizers/src/processors/`): add
 * `[CLS]`/`[SEP]` or `<s>`/`</s>`, set token type ids for pairs, trim offsets.
 */
import type { Token } from '../types';
import { flattenSequence } from './flattenSequence';
import { asObject, field, JsonObject, optionalBool } from './json';
import { tokenId } from './tokenIds';

export interface PostProcessor {
  readonly name: string;
  /** `original` is the text `a`'s offsets point into (pair offsets point into the pair text). */
  process(a: Token[], b: Token[] | undefined, addSpecialTokens: boolean, original: { a: string; b?: string }): Token[];
}

const special = (text: string, id: number, typeId: number): Token =>
  ({ id, text, bytes: [...new TextEncoder().encode(text)], start: 0, end: 0, special: true, typeId });

/** Set the type id in place: the tokens are the encoder's own, fresh per call; copying each of 1M tokens was a third of BERT's time. */
const typed = (tokens: Token[], typeId: number): Token[] => { for (const t of tokens) t.typeId = typeId; return tokens; };

function tuple(json: JsonObject, key: string, path: string): [string, number] {
  const v = field(json, key, 'array', path);
  if (v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'number') throw new Error(`${path}.${key}: expected ["token", id]`);
  return [v[0], tokenId(v[1], `${path}.${key}[1]`)];
}

/** Offsets without leading/trailing whitespace, as `trim_offsets` does (`Ġthe` [3,7] → [4,7]). */
function trimOffsets(tokens: Token[], text: string): Token[] {
  return tokens.map((t) => {
    if (t.special || t.end <= t.start) return t;
    let s = t.start, e = t.end;
    while (s < e && /\s/u.test(text[s])) s++;
    while (e > s && /\s/u.test(text[e - 1])) e--;
    return s === t.start && e === t.end ? t : { ...t, start: s, end: e };
  });
}

export function buildPostProcessor(json: JsonObject, path = 'post_processor'): PostProcessor {
  const type = field(json, 'type', 'string', path);
  switch (type) {
    case 'BertProcessing': {
      const [cls, clsId] = tuple(json, 'cls', path), [sep, sepId] = tuple(json, 'sep', path);
      return {
        name: `BertProcessing(${cls} A ${sep} [B ${sep}])`,
        process: (a, b, add) => {
          if (!add) return [...typed(a, 0), ...typed(b ?? [], 1)];
          const out = [special(cls, clsId, 0), ...typed(a, 0), special(sep, sepId, 0)];
          return b ? [...out, ...typed(b, 1), special(sep, sepId, 1)] : out;
        },
      };
    }
    case 'RobertaProcessing': {
      const [cls, clsId] = tuple(json, 'cls', path), [sep, sepId] = tuple(json, 'sep', path);
      const trim = optionalBool(json, 'trim_offsets', true, path);
      return {
        name: `RobertaProcessing(${cls} A ${sep} [${sep} B ${sep}])`,
        process: (a, b, add, original) => {
          const ta = trim ? trimOffsets(a, original.a) : a;
          const tb = b && trim ? trimOffsets(b, original.b ?? '') : b;
          if (!add) return [...typed(ta, 0), ...typed(tb ?? [], 0)];
          const out = [special(cls, clsId, 0), ...typed(ta, 0), special(sep, sepId, 0)];
          return tb ? [...out, special(sep, sepId, 0), ...typed(tb, 0), special(sep, sepId, 0)] : out;
        },
      };
    }
    case 'ByteLevel': {
      const trim = optionalBool(json, 'trim_offsets', true, path);
      return {
        name: `ByteLevel(${trim ? 'trim offsets' : 'offsets kept'})`,
        process: (a, b, _add, original) => [
          ...typed(trim ? trimOffsets(a, original.a) : a, 0),
          ...typed(b ? (trim ? trimOffsets(b, original.b ?? '') : b) : [], 1),
        ],
      };
    }
    case 'TemplateProcessing': return templateProcessing(json, path);
    case 'Sequence': {
      // Nested Sequences are flattened without recursion (flattenSequence.ts).
      const list = flattenSequence(json, 'processors', path).map((leaf) => buildPostProcessor(leaf.json, leaf.path));
      return {
        name: list.map((p) => p.name).join(' → '),
        // In turn, as Hugging Face does: offset-only steps (ByteLevel) adjust each sequence;
        // the step that adds special tokens joins them.
        process: (a, b, add, original) => {
          let joined: Token[] | undefined;
          for (const p of list) {
            if (joined) joined = p.process(joined, undefined, add, original);
            else if (p.name.startsWith('ByteLevel')) { a = p.process(a, undefined, add, original); if (b) b = p.process(b, undefined, add, { a: original.b ?? '' }); }
            else joined = p.process(a, b, add, original);
          }
          return joined ?? [...typed(a, 0), ...typed(b ?? [], 1)];
        },
      };
    }
    default:
      throw new Error(`${path}.type: unsupported post-processor "${type}"`);
  }
}

/** `type_id`: absent → 0, else a non-negative integer. */
function typeIdOf(o: JsonObject, path: string): number {
  const v = o.type_id;
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Error(`${path}.type_id: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

type Piece = { special: string; typeId: number } | { sequence: 'A' | 'B'; typeId: number };

function templateProcessing(json: JsonObject, path: string): PostProcessor {
  const parse = (key: string): Piece[] => field(json, key, 'array', path).map((item, i) => {
    const where = `${path}.${key}[${i}]`;
    const o = asObject(item, where);
    if (o.SpecialToken) {
      const s = asObject(o.SpecialToken, `${where}.SpecialToken`);
      return { special: field(s, 'id', 'string', `${where}.SpecialToken`), typeId: typeIdOf(s, `${where}.SpecialToken`) };
    }
    if (o.Sequence) {
      const s = asObject(o.Sequence, `${where}.Sequence`);
      const id = field(s, 'id', 'string', `${where}.Sequence`);
      if (id !== 'A' && id !== 'B') throw new Error(`${where}.Sequence.id: expected "A" or "B"`);
      return { sequence: id, typeId: typeIdOf(s, `${where}.Sequence`) };
    }
    throw new Error(`${where}: expected {"SpecialToken": …} or {"Sequence": …}`);
  });
  const single = parse('single');
  const pair = json.pair ? parse('pair') : single;
  const specials = new Map<string, { ids: number[]; tokens: string[] }>();
  const table = (json.special_tokens ?? {}) as JsonObject;
  for (const [key, v] of Object.entries(asObject(table, `${path}.special_tokens`))) {
    const where = `${path}.special_tokens.${key}`;
    const o = asObject(v, where);
    const ids = field(o, 'ids', 'array', where).map((id, i) => tokenId(id, `${where}.ids[${i}]`));
    const tokens = field(o, 'tokens', 'array', where).map((t, i) => { if (typeof t !== 'string') throw new Error(`${where}.tokens[${i}]: expected a string`); return t; });
    if (ids.length !== tokens.length) throw new Error(`${where}: ${ids.length} ids but ${tokens.length} tokens`);
    specials.set(key, { ids, tokens });
  }
  const describe = (t: Piece[]) => t.map((p) => ('special' in p ? p.special : `$${p.sequence}`)).join(' ');
  return {
    name: `TemplateProcessing(${describe(single)})`,
    process: (a, b, add) => {
      const template = b ? pair : single;
      const out: Token[] = [];
      const used = { A: false, B: false };
      for (const p of template) {
        // The first use of a sequence sets type ids in place (the tokens are the encoder's own,
        // fresh per call; copying 500k tokens was an eighth of Llama 2's time); a template that
        // names the sequence again gets copies. A loop, since push(...) overflows on 1M tokens.
        if ('sequence' in p) {
          const seq = p.sequence === 'A' ? a : (b ?? []);
          if (used[p.sequence]) for (const t of seq) out.push({ ...t, typeId: p.typeId });
          else for (const t of seq) { t.typeId = p.typeId; out.push(t); }
          used[p.sequence] = true;
        }
        else if (add) {
          const s = specials.get(p.special);
          if (!s) throw new Error(`${path}.special_tokens: no entry for "${p.special}"`);
          s.ids.forEach((id, k) => out.push(special(s.tokens[k], id, p.typeId)));
        }
      }
      return out;
    },
  };
}
