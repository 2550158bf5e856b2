/**
 * bert-base-uncased as a pipeline: BertNormalizer (clean text, pad CJK, strip accents,
 * lowercase) → BertPreTokenizer (whitespace, punctuation) → WordPiece (`##`, [UNK] over
 * 100 characters) → `[CLS] A [SEP] (B [SEP])` with token_type_ids. The same stages that
 * google-research/bert `tokenization.py` and Hugging Face's BertWordPieceTokenizer run.
 */
import { parseAddedTokens } from './hf/addedTokens';
import { buildDecoder } from './hf/decoders';
import { WordPieceModel } from './hf/models';
import { BertNormalizer } from './hf/normalizers';
import { PipelineTokenizer } from './hf/pipelineTokenizer';
import { buildPostProcessor } from './hf/postProcessors';
import { buildPreTokenizer } from './hf/preTokenizers';

export const BERT_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** `lines` is vocab.txt: one token per line, the id is the line number. */
export function createBertUncased(lines: string[]): PipelineTokenizer {
  const vocab = new Map<string, number>();
  lines.forEach((t, id) => { if (!vocab.has(t)) vocab.set(t, id); });
  const idOf = (t: string) => {
    const id = vocab.get(t);
    if (id === undefined) throw new Error(`bert-base-uncased vocabulary lacks ${t}`);
    return id;
  };
  return new PipelineTokenizer({
    name: 'bert-base-uncased',
    normalizer: new BertNormalizer(true, true, null, true),
    preTokenizer: buildPreTokenizer({ type: 'BertPreTokenizer' }),
    model: new WordPieceModel(vocab, '[UNK]', '##', 100),
    postProcessor: buildPostProcessor({ type: 'BertProcessing', cls: ['[CLS]', idOf('[CLS]')], sep: ['[SEP]', idOf('[SEP]')] }),
    decoder: buildDecoder({ type: 'WordPiece', prefix: '##', cleanup: true }),
    addedTokens: parseAddedTokens(BERT_SPECIAL_TOKENS.map((content) => ({ id: idOf(content), content, special: true }))),
  });
}
