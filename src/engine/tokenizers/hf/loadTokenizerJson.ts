/**
 * Load a Hugging Face `tokenizer.json` (the `tokenizers` library's serialization) into a
 * PipelineTokenizer. Models: BPE (byte-level or not), WordPiece, Unigram; the
 * normalizers, pre-tokenizers, post-processors and decoders Hub files use. Every error
 * names the field at fault, e.g. `model.merges[12]: expected "a b" or ["a", "b"]`.
 */
import { collectGarbage } from '../../collectGarbage';
import { AddedToken, parseAddedTokens } from './addedTokens';
import { buildDecoder } from './decoders';
import { asObject, field, JsonObject, optionalBool, optionalString } from './json';
import { BpeModel, Model, UnigramModel, WordPieceModel } from './models';
import { buildNormalizer } from './normalizers';
import { IdsFastPipelineTokenizer } from './idsOnlyPath';
import type { PipelineTokenizer } from './pipelineTokenizer';
import { buildPostProcessor } from './postProcessors';
import { buildPreTokenizer } from './preTokenizers';
import { checkIdsBelow, postProcessorIds } from './tokenIds';

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

/**
 * The merges as pairs, checked and rewritten in place in the parsed list (Gemma 3's
 * 514,906 `["a", "b"]` entries are used as they are): a second list of pairs was a tenth
 * of a large file's peak memory while loading.
 */
function readMerges(list: unknown[], path: string): [string, string][] {
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (typeof m === 'string') {
      const space = m.indexOf(' ', 1);
      if (space < 0) throw new Error(`${path}[${i}]: expected "a b" or ["a", "b"], got ${JSON.stringify(m)}`);
      list[i] = [m.slice(0, space), m.slice(space + 1)];
    } else if (!(Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string')) {
      throw new Error(`${path}[${i}]: expected "a b" or ["a", "b"]`);
    }
  }
  return list as [string, string][];
}

/** The largest |score| a Unigram piece may have: real ones are log-probabilities around −30 … 0. */
export const MAX_UNIGRAM_SCORE = 1e9;

/**
 * Ids may leave holes (GPT-4o's file has 200,000 entries and ids up to 200,018) but stay
 * below twice the number of tokens plus 1,000, so no id stands for a vocabulary far larger
 * than the file (tables indexed by id stay the size of the file).
 */
function checkIdRange(model: Model, added: readonly AddedToken[], postProcessor: JsonObject | undefined): void {
  const limit = 2 * (model.vocab.size + added.length) + 1000;
  for (const [token, id] of model.vocab) {
    if (id >= limit) throw new Error(`model.vocab[${JSON.stringify(token)}]: id ${id} is not below ${limit} (twice the ${model.vocab.size} vocabulary entries and ${added.length} added tokens, plus 1000)`);
  }
  added.forEach((t, i) => {
    if (t.id >= limit) throw new Error(`added_tokens[${i}].id: id ${t.id} is not below ${limit} (twice the ${model.vocab.size} vocabulary entries and ${added.length} added tokens, plus 1000)`);
  });
  if (postProcessor) {
    let vocabSize = 0;
    for (const id of model.vocab.values()) if (id + 1 > vocabSize) vocabSize = id + 1;
    for (const t of added) if (t.id + 1 > vocabSize) vocabSize = t.id + 1;
    checkIdsBelow(postProcessorIds(postProcessor), vocabSize);
  }
}

function buildModel(json: JsonObject): Model {
  const path = 'model';
  const type = optionalString(json, 'type', path) ?? (json.merges ? 'BPE' : json.vocab && Array.isArray(json.vocab) ? 'Unigram' : 'WordPiece');
  switch (type) {
    case 'BPE': {
      const unkToken = optionalString(json, 'unk_token', path);
      const vocab = readVocab(json.vocab, `${path}.vocab`);
      if (unkToken !== undefined && !vocab.has(unkToken)) throw new Error(`${path}.unk_token: "${unkToken}" is not in model.vocab`);
      return new BpeModel(vocab, readMerges(field(json, 'merges', 'array', path), `${path}.merges`), {
        unkToken, continuingSubwordPrefix: optionalString(json, 'continuing_subword_prefix', path),
        endOfWordSuffix: optionalString(json, 'end_of_word_suffix', path), fuseUnk: optionalBool(json, 'fuse_unk', false, path),
        byteFallback: optionalBool(json, 'byte_fallback', false, path), ignoreMerges: optionalBool(json, 'ignore_merges', false, path),
      });
    }
    case 'WordPiece': {
      const max = json.max_input_chars_per_word;
      if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0)) throw new Error(`${path}.max_input_chars_per_word: expected a non-negative integer, got ${JSON.stringify(max)}`);
      return new WordPieceModel(readVocab(json.vocab, `${path}.vocab`), optionalString(json, 'unk_token', path) ?? '[UNK]',
        optionalString(json, 'continuing_subword_prefix', path) ?? '##', typeof max === 'number' ? max : 100);
    }
    case 'Unigram': {
      const entries = field(json, 'vocab', 'array', path).map((e, i): [string, number] => {
        if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') throw new Error(`${path}.vocab[${i}]: expected ["piece", score]`);
        // Scores are log-probabilities; a huge one makes the Viterbi sums overflow to ±Infinity.
        if (!(Math.abs(e[1]) <= MAX_UNIGRAM_SCORE)) throw new Error(`${path}.vocab[${i}]: score ${e[1]} of ${JSON.stringify(e[0])} is not a log-probability between -${MAX_UNIGRAM_SCORE} and ${MAX_UNIGRAM_SCORE}`);
        return [e[0], e[1]];
      });
      if (entries.length === 0) throw new Error(`${path}.vocab: a Unigram model needs at least one piece, got an empty list`);
      const unk = json.unk_id;
      if (unk !== undefined && unk !== null && (typeof unk !== 'number' || !Number.isSafeInteger(unk) || unk < 0 || unk >= entries.length)) {
        throw new Error(`${path}.unk_id: expected the index of a piece (0 to ${entries.length - 1}), got ${JSON.stringify(unk)}`);
      }
      return new UnigramModel(entries, typeof unk === 'number' ? unk : undefined, optionalBool(json, 'byte_fallback', false, path));
    }
    default:
      throw new Error(`model.type: unsupported model "${type}" (supported: BPE, WordPiece, Unigram)`);
  }
}

/** Parse the text of a tokenizer.json; `name` labels the tokenizer (e.g. the file path). */
export function loadTokenizerJson(text: string, name: string): PipelineTokenizer {
  return buildTokenizer(parseJson(() => text, name).raw, name);
}

/**
 * loadTokenizerJson on the text `read` returns (a file's), read and parsed in a frame of
 * its own: the text (for Gemma 3's 33 MB file, a 62 MB string) is garbage before the
 * tokenizer is built, instead of living as long as the call that was handed it, and a
 * large one is collected then (Gemma 3's load peaked at 300 MB, now 260 MB).
 */
export function loadTokenizerJsonFrom(read: () => string, name: string): PipelineTokenizer {
  const { raw, large } = parseJson(read, name);
  // the text is garbage once parsed: free it (and the file's bytes) before the tokenizer is built beside the parsed tree
  if (large) collectGarbage();
  return buildTokenizer(raw, name);
}

function parseJson(read: () => string, name: string): { raw: unknown; large: boolean } {
  const text = read();
  try { return { raw: JSON.parse(text), large: text.length >= LARGE_TEXT }; } catch (e) { throw new Error(`${name}: not valid JSON (${(e as Error).message})`); }
}

/** Characters from which a tokenizer.json's text counts as large (parseJson). */
const LARGE_TEXT = 4 << 20;

function buildTokenizer(raw: unknown, name: string): PipelineTokenizer {
  try {
    const json = asObject(raw, 'tokenizer.json');
    const model = buildModel(asObject(json.model, 'model'));
    json.model = null; // the parsed vocabulary and merges (most of the file) can go while the rest is built
    const addedTokens = json.added_tokens === undefined || json.added_tokens === null ? [] : parseAddedTokens(field(json, 'added_tokens', 'array', 'tokenizer.json'));
    const postProcessorJson = json.post_processor ? asObject(json.post_processor, 'post_processor') : undefined;
    checkIdRange(model, addedTokens, postProcessorJson);
    return new IdsFastPipelineTokenizer({ // encode() on the ids-only path where the stages allow (idsOnlyPath.ts)
      name,
      model,
      addedTokens,
      normalizer: json.normalizer ? buildNormalizer(asObject(json.normalizer, 'normalizer')) : undefined,
      preTokenizer: json.pre_tokenizer ? buildPreTokenizer(asObject(json.pre_tokenizer, 'pre_tokenizer')) : undefined,
      postProcessor: postProcessorJson ? buildPostProcessor(postProcessorJson) : undefined,
      decoder: json.decoder ? buildDecoder(asObject(json.decoder, 'decoder')) : undefined,
    });
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
}
