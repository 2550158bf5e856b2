/**
 * Load a Hugging Face `tokenizer.json` (the `tokenizers` library's serialization) into a
 * PipelineTokenizer. Models: BPE (byte-level or not), WordPiece, Unigram; the
 * normalizers, pre-tokenizers, post-processors and decoders Hub files use. Every error
 * names the field at fault, e.g. `model.merges[12]: expected "a b" or ["a", "b"]`.
 */
import { parseAddedTokens } from './addedTokens';
import { buildDecoder } from './decoders';
import { asObject, field, JsonObject, optionalBool, optionalString } from './json';
import { BpeModel, Model, UnigramModel, WordPieceModel } from './models';
import { buildNormalizer } from './normalizers';
import { PipelineTokenizer } from './pipelineTokenizer';
import { buildPostProcessor } from './postProcessors';
import { buildPreTokenizer } from './preTokenizers';

/** `{"token": id}` → Map; a Map so entries like `__proto__` or `constructor` are plain keys. */
function readVocab(v: unknown, path: string): Map<string, number> {
  const obj = asObject(v, path);
  const vocab = new Map<string, number>();
  for (const key of Object.keys(obj)) {
    const id = obj[key];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new Error(`${path}[${JSON.stringify(key)}]: expected a non-negative integer id`);
    vocab.set(key, id);
  }
  return vocab;
}

function readMerges(list: unknown[], path: string): [string, string][] {
  return list.map((m, i) => {
    if (typeof m === 'string') {
      const space = m.indexOf(' ', 1);
      if (space < 0) throw new Error(`${path}[${i}]: expected "a b" or ["a", "b"], got ${JSON.stringify(m)}`);
      return [m.slice(0, space), m.slice(space + 1)];
    }
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') return [m[0], m[1]];
    throw new Error(`${path}[${i}]: expected "a b" or ["a", "b"]`);
  });
}

function buildModel(json: JsonObject): Model {
  const path = 'model';
  const type = optionalString(json, 'type', path) ?? (json.merges ? 'BPE' : json.vocab && Array.isArray(json.vocab) ? 'Unigram' : 'WordPiece');
  switch (type) {
    case 'BPE':
      return new BpeModel(readVocab(json.vocab, `${path}.vocab`), readMerges(field(json, 'merges', 'array', path), `${path}.merges`), {
        unkToken: optionalString(json, 'unk_token', path), continuingSubwordPrefix: optionalString(json, 'continuing_subword_prefix', path),
        endOfWordSuffix: optionalString(json, 'end_of_word_suffix', path), fuseUnk: optionalBool(json, 'fuse_unk', false, path),
        byteFallback: optionalBool(json, 'byte_fallback', false, path), ignoreMerges: optionalBool(json, 'ignore_merges', false, path),
      });
    case 'WordPiece': {
      const max = json.max_input_chars_per_word;
      return new WordPieceModel(readVocab(json.vocab, `${path}.vocab`), optionalString(json, 'unk_token', path) ?? '[UNK]',
        optionalString(json, 'continuing_subword_prefix', path) ?? '##', typeof max === 'number' ? max : 100);
    }
    case 'Unigram': {
      const entries = field(json, 'vocab', 'array', path).map((e, i): [string, number] => {
        if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') throw new Error(`${path}.vocab[${i}]: expected ["piece", score]`);
        return [e[0], e[1]];
      });
      const unk = json.unk_id;
      return new UnigramModel(entries, typeof unk === 'number' ? unk : undefined, optionalBool(json, 'byte_fallback', false, path));
    }
    default:
      throw new Error(`model.type: unsupported model "${type}" (supported: BPE, WordPiece, Unigram)`);
  }
}

/** Parse the text of a tokenizer.json; `name` labels the tokenizer (e.g. the file path). */
export function loadTokenizerJson(text: string, name: string): PipelineTokenizer {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new Error(`${name}: not valid JSON (${(e as Error).message})`); }
  try {
    const json = asObject(raw, 'tokenizer.json');
    const model = buildModel(asObject(json.model, 'model'));
    return new PipelineTokenizer({
      name,
      model,
      normalizer: json.normalizer ? buildNormalizer(asObject(json.normalizer, 'normalizer')) : undefined,
      preTokenizer: json.pre_tokenizer ? buildPreTokenizer(asObject(json.pre_tokenizer, 'pre_tokenizer')) : undefined,
      postProcessor: json.post_processor ? buildPostProcessor(asObject(json.post_processor, 'post_processor')) : undefined,
      decoder: json.decoder ? buildDecoder(asObject(json.decoder, 'decoder')) : undefined,
      addedTokens: json.added_tokens === undefined || json.added_tokens === null ? [] : parseAddedTokens(field(json, 'added_tokens', 'array', 'tokenizer.json')),
    });
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
}
