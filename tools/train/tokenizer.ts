/**
 * Trains the bundled models' byte-level BPE vocabulary on build/train/train.txt with our
 * own trainer (src/engine/training/bpeVocabularyTrainer.ts), writes it as Hugging Face
 * tokenizer.json files, and turns the corpus into token ids for tools/train/train.py:
 *
 *   media/models/tiny-gpt/tokenizer.json   BPE + `<|endoftext|>` (id VOCAB); with --bos the
 *                                          post-processor is `<|endoftext|> $A`, every text
 *                                          starting with it (for train.py --bos models)
 *   media/models/tiny-bert/tokenizer.json  BPE + [PAD] [CLS] [SEP] [MASK] (ids VOCAB…VOCAB+3),
 *                                          post-processor `[CLS] $A [SEP]`
 *   build/train/{train,heldout}.u16        BPE ids, little-endian uint16, each document
 *                                          followed by VOCAB (the document end)
 *   build/train/probes.json                fixed sentences, tokenized for both models
 *
 * Both files are read back through the engine's ordinary tokenizer.json loader to make the
 * ids, so what the models were trained on is exactly what the extension will feed them.
 *
 * Usage: tsx tools/train/tokenizer.ts [--bos]   (after tools/train/corpus.ts; `npm run train:data`
 * passes --bos, as the bundled tiny-gpt was trained with it)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { GPT2_SPLIT } from '../../src/engine/tokenizers/hf/preTokenizers';
import { loadTokenizerJson } from '../../src/engine/tokenizers/hf/loadTokenizerJson';
import { trainByteLevelVocabulary } from '../../src/engine/training/bpeVocabularyTrainer';
import { DOCUMENT_SEPARATOR } from './corpus';

/** BPE tokens (256 bytes + merges); the special tokens come after them. */
export const BPE_VOCAB = 6000;
export const PROBE_SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'A computer program does what you tell it to do, not what you want it to do.',
  'Love is the answer, but while you are waiting for the answer, sex raises some pretty good questions.',
];
export const BERT_PROBES = ['The capital of France is [MASK].', 'A bird in the hand is worth two in the [MASK].'];

/** `[MASK]` swallows the space before it (as RoBERTa's `<mask>` does), so it stands for a whole `Ġword` token. */
const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: content === '[MASK]', rstrip: false, normalized: false, special: true });

function tokenizerJson(vocab: string[], merges: [string, string][], specials: string[], postProcessor: object): string {
  const ids: Record<string, number> = {};
  vocab.forEach((t, i) => { ids[t] = i; });
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((t, i) => special(vocab.length + i, t)),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: postProcessor,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: ids, merges: merges.map(([a, b]) => `${a} ${b}`) },
  }, null, 1);
}

/** TemplateProcessing items: a special token, and the text (`A`, or `B` of a pair). */
const tok = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
const seq = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });

function bertPostProcessor(n: number): object {
  return {
    type: 'TemplateProcessing',
    single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
    pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
    special_tokens: { '[CLS]': { id: '[CLS]', ids: [n + 1], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [n + 2], tokens: ['[SEP]'] } },
  };
}

const BYTE_LEVEL_OFFSETS = { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true };

/** ByteLevel (offsets) then `<|endoftext|> $A`, the shape of Llama 3's begin-of-text processor. */
function gptPostProcessor(n: number): object {
  return {
    type: 'Sequence',
    processors: [
      BYTE_LEVEL_OFFSETS,
      {
        type: 'TemplateProcessing',
        single: [tok('<|endoftext|>', 0), seq('A', 0)],
        pair: [tok('<|endoftext|>', 0), seq('A', 0), tok('<|endoftext|>', 1), seq('B', 1)],
        special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [n], tokens: ['<|endoftext|>'] } },
      },
    ],
  };
}

function idsFile(docs: string[], encode: (t: string) => number[]): Uint16Array {
  const out: number[] = [];
  for (const d of docs) { for (const id of encode(d)) out.push(id); out.push(BPE_VOCAB); }
  return Uint16Array.from(out);
}

function main(): void {
  const train = readFileSync('build/train/train.txt', 'utf8').replace(/\n$/, '');
  const heldout = readFileSync('tools/train/data/heldout.txt', 'utf8').replace(/\n$/, '');
  const counts = new Map<string, number>();
  for (const w of train.match(GPT2_SPLIT) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  const started = Date.now();
  const { vocab, merges, stoppedBecause } = trainByteLevelVocabulary([...counts], BPE_VOCAB);
  if (vocab.length !== BPE_VOCAB) throw new Error(`the trainer stopped early: ${stoppedBecause}`);
  console.log(`trained ${merges.length} merges on ${counts.size} distinct words in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const gptJson = tokenizerJson(vocab, merges, ['<|endoftext|>'], process.argv.includes('--bos') ? gptPostProcessor(BPE_VOCAB) : BYTE_LEVEL_OFFSETS);
  const bertJson = tokenizerJson(vocab, merges, ['[PAD]', '[CLS]', '[SEP]', '[MASK]'], bertPostProcessor(BPE_VOCAB));
  for (const [name, json] of [['tiny-gpt', gptJson], ['tiny-bert', bertJson]]) {
    mkdirSync(`media/models/${name}`, { recursive: true });
    writeFileSync(`media/models/${name}/tokenizer.json`, json + '\n');
  }
  const gpt = loadTokenizerJson(gptJson, 'tiny-gpt');
  const bert = loadTokenizerJson(bertJson, 'tiny-bert');
  for (const [name, text] of [['train', train], ['heldout', heldout]]) {
    const ids = idsFile(text.split(DOCUMENT_SEPARATOR), (t) => gpt.encode(t, { specialTokens: 'plain', addSpecialTokens: false }));
    writeFileSync(`build/train/${name}.u16`, ids);
    console.log(`${name}: ${ids.length} tokens (${(text.length / ids.length).toFixed(2)} characters per token)`);
  }
  writeFileSync('build/train/probes.json', JSON.stringify({
    gpt: PROBE_SENTENCES.map((text) => ({ text, ids: gpt.encode(text) })),
    bert: [...PROBE_SENTENCES, ...BERT_PROBES].map((text) => ({ text, ids: bert.encode(text) })),
  }, null, 1));
}

if (require.main === module) main();
