/**
 * The tokenizer that belongs to a model folder, in the forms Hugging Face saves:
 *   tokenizer.json                      (the fast tokenizer: read as is)
 *   vocab.json + merges.txt             (GPT-2's slow tokenizer: byte-level BPE)
 *   vocab.txt (+ tokenizer_config.json) (BERT's slow tokenizer: WordPiece, [CLS]/[SEP])
 *   source.spm + target.spm + vocab.json (Marian / opus-mt: SentencePiece Unigram, tokenizers/sentencepiece)
 * The slow forms are turned into the tokenizer.json they stand for, so one pipeline runs
 * them all. A folder with weights only (like the test fixtures) falls back to the
 * architecture's standard vocabulary when the sizes agree, and says so.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuiltinTokenizer } from '../tokenizers/builtin';
import { loadTokenizerJson } from '../tokenizers/hf/loadTokenizerJson';
import { MAX_TOKENIZER_JSON_BYTES, resolveTokenizer } from '../tokenizers/resolve';
import { isMarianFolder, loadMarianTokenizer, MarianFolderError } from '../tokenizers/sentencepiece/loadMarian';
import { SentencePieceModelError } from '../tokenizers/sentencepiece/modelProto';
import type { Tokenizer } from '../tokenizers/types';
import { architectureModule, type ModelConfig } from './config';
import { ModelError, modelError } from './modelError';
import { NotAFileError, readRegularTextFile } from '../regularFile';
import { phrase } from '../../shared/l10nText';

export interface ModelTokenizer {
  tokenizer: Tokenizer;
  /** Where it came from, e.g. `tokenizer.json` or `built-in gpt2 (the folder has no tokenizer)`. */
  source: string;
}

function readSmall(path: string): string {
  try {
    return readRegularTextFile(path, MAX_TOKENIZER_JSON_BYTES, phrase`vocabulary file`);
  } catch (e) {
    throw e instanceof NotAFileError ? new ModelError(e.l10n) : e;
  }
}

/** GPT-2's vocab.json + merges.txt as the equivalent tokenizer.json. */
export function gpt2SlowToJson(vocabJson: string, mergesTxt: string): string {
  const vocab = JSON.parse(vocabJson) as Record<string, number>;
  const merges = mergesTxt.split('\n').filter((l, i) => l.trim() !== '' && !(i === 0 && l.startsWith('#version')));
  const eot = vocab['<|endoftext|>'];
  return JSON.stringify({
    version: '1.0',
    added_tokens: eot === undefined ? [] : [{ id: eot, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  });
}

/** BERT's vocab.txt as the tokenizer.json BertTokenizerFast would write. */
export function bertSlowToJson(vocabTxt: string, lowercase: boolean): string {
  const lines = vocabTxt.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const vocab: Record<string, number> = Object.create(null) as Record<string, number>;
  lines.forEach((tok, i) => { vocab[tok.replace(/\r$/, '')] = i; });
  const id = (t: string) => {
    if (vocab[t] === undefined) throw modelError`vocab.txt has no ${t} token`;
    return vocab[t];
  };
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter((t) => vocab[t] !== undefined);
  return JSON.stringify({
    version: '1.0',
    added_tokens: specials.map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', id('[SEP]')], cls: ['[CLS]', id('[CLS]')] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  });
}

export function modelTokenizer(folder: string, cfg: ModelConfig): ModelTokenizer {
  const f = (name: string) => join(folder, name);
  if (existsSync(f('tokenizer.json'))) return { tokenizer: resolveTokenizer(f('tokenizer.json')), source: 'tokenizer.json' };
  if (existsSync(f('vocab.json')) && existsSync(f('merges.txt'))) {
    return { tokenizer: loadTokenizerJson(gpt2SlowToJson(readSmall(f('vocab.json')), readSmall(f('merges.txt'))), `${folder} (vocab.json + merges.txt)`), source: 'vocab.json + merges.txt' };
  }
  if (existsSync(f('vocab.txt'))) {
    let lowercase = true;
    if (existsSync(f('tokenizer_config.json'))) {
      try {
        lowercase = (JSON.parse(readSmall(f('tokenizer_config.json'))) as { do_lower_case?: boolean }).do_lower_case !== false;
      } catch { /* a broken tokenizer_config.json keeps the default */ }
    }
    return { tokenizer: loadTokenizerJson(bertSlowToJson(readSmall(f('vocab.txt')), lowercase), `${folder} (vocab.txt)`), source: 'vocab.txt' };
  }
  if (isMarianFolder(folder)) {
    try {
      return { tokenizer: loadMarianTokenizer(folder), source: 'source.spm + target.spm + vocab.json' };
    } catch (e) {
      throw e instanceof MarianFolderError || e instanceof SentencePieceModelError ? new ModelError(e.l10n) : e;
    }
  }
  const standard = architectureModule(cfg).standardTokenizer;
  if (standard && cfg.vocabSize === standard.size) {
    return { tokenizer: loadBuiltinTokenizer(standard.name), source: `built-in ${standard.name} (the folder has no tokenizer files; the vocabulary size matches)` };
  }
  throw modelError`${folder} has no tokenizer (tokenizer.json, vocab.json + merges.txt, vocab.txt, or source.spm + target.spm + vocab.json); give token ids instead`;
}
