/**
 * The Questions index's content (issue 24): the fourteen questions of the learners' notes
 * and, for each, the links that answer it — the tab path to open (the panel's tabs, then
 * the inspector's or the residual stream's), the element to scroll to, the explanation to
 * open, and which bundled model to load when the loaded kind of model cannot answer. Plain
 * data, no DOM: questionsView.ts draws it; test/panel/questions.test.ts checks every link
 * against the views' sources.
 */

/** What a link needs: the tab path (tab-set id, index, the tab's English title), the element, an explanation to open. */
export interface QuestionLink {
  path: { panels: 'views' | 'inspector' | 'residual'; tab: number; tabTitle: string }[];
  anchor: string;
  topic?: string;
  /** What to look at there (English; translated when drawn). */
  answer: string;
  /** Where the step trace's layer, head and token matter: the link says which ones. */
  step?: boolean;
  /** Load this bundled model first (the loaded one cannot answer). */
  load?: 'tiny-gpt' | 'tiny-bert' | 'tiny-translator';
}

export type ModelKind = 'causal' | 'encoder' | 'seq2seq';

export interface QuestionsContext {
  tokens?: readonly { text: string }[];
  /** What the last attention run said about the model (absent before one). */
  attention?: { model: string; causal: boolean; seq2seq?: unknown };
  state?: { layer: number; heads: readonly number[]; query: number };
  /** The model setting (init), for the kind before any run. */
  model: string;
}

/** The question, in English (zh-CN in the bundle), as the notes ask it. */
export const QUESTIONS: readonly string[] = [
  'Why do we need positional encoding? Sinusoidal, learned, relative and RoPE: how they developed, pros and cons',
  'An intuition for Q, K and V',
  'Why a dot product, not Euclidean distance or cosine similarity?',
  'Why divide by √d_k? The softmax formula, overflow and subtracting the max',
  'The main attention variants: MQA/GQA, sparse, sliding window, FlashAttention, ring attention',
  'Why several heads? What does W^O do?',
  'In the original Transformer, which two attentions need no mask, which one does, and how is the mask applied?',
  'What does the feed-forward layer do?',
  'How LayerNorm works and how it differs from BatchNorm; pre-LN vs post-LN',
  'BPE (</w>), byte-level BPE (好 → E5 A5 BD), WordPiece ##, [CLS] and [SEP]',
  'BERT\'s MLM (15%, 80/10/10) and NSP; temperature and top-p; the KV cache',
  'Embeddings: id → vector; static vs contextual; LLM vs retrieval embeddings',
  'Encoder–decoder translation and cross attention',
  'Training: cross-entropy loss, Adam, Noam learning-rate warm-up, teacher forcing',
];

const ATTENTION = { panels: 'views', tab: 3, tabTitle: 'Attention' } as const;
const RESIDUAL = { panels: 'views', tab: 5, tabTitle: 'Residual stream' } as const;
const inspector = (tab: number, tabTitle: string) => [ATTENTION, { panels: 'inspector' as const, tab, tabTitle }];
const STEP = inspector(2, 'Step trace');
const BUNDLED_KIND: Record<string, ModelKind> = { 'tiny-gpt': 'causal', 'tiny-bert': 'encoder', 'tiny-translator': 'seq2seq' };

/** The loaded model's kind: from the last run, else from the bundled model's name (undefined: not known yet). */
export function modelKind(ctx: QuestionsContext): ModelKind | undefined {
  const a = ctx.attention;
  if (a) return a.seq2seq ? 'seq2seq' : a.causal ? 'causal' : 'encoder';
  return BUNDLED_KIND[ctx.model];
}

/** The links answering question `n` (1–14) for a model of this kind. */
export function questionLinks(n: number, kind: ModelKind | undefined): QuestionLink[] {
  const seq2seq = kind === 'seq2seq';
  switch (n) {
    case 1: return [{ path: inspector(4, 'Positions'), anchor: 'positions-view', topic: 'positions', answer: 'this model\'s position encodings drawn, with the pros and cons of sinusoidal, learned, relative and rotary positions' }];
    case 2: return [{ path: STEP, anchor: 'step-trace', step: true, answer: 'the query vector q of this head, its score against every key and the weighted sum of the values' }];
    case 3: return [{ path: STEP, anchor: 'step-similarity', step: true, answer: 'dot product, cosine and −‖q−k‖² for this query and every key: which key each ranks first' }];
    case 4: return [{ path: STEP, anchor: 'step-scale', topic: 'scale', step: true, answer: 'the variance of q·k before and after the scaling for this head, the softmax row and the same row × 100 with and without the max subtracted' }];
    case 5: return [{ path: inspector(1, 'Model'), anchor: 'variants-note', topic: 'variants', answer: 'a table of attention variants and which loaded models use which' }];
    case 6: return [
      { path: inspector(0, 'Heads'), anchor: 'head-view', answer: 'every head\'s own pattern for this layer' },
      { path: STEP, anchor: 'step-trace', topic: 'heads', step: true, answer: 'this head\'s output, the concatenation of all heads and W^O' },
    ];
    case 7: return [
      { path: inspector(3, 'Masks'), anchor: 'mask-view', topic: seq2seq ? 'seq2seq-masks' : 'mask', answer: seq2seq ? 'the encoder\'s, the decoder\'s and the cross attention\'s masks side by side' : 'this model\'s mask, added to the scores before the softmax' },
      ...(seq2seq ? [] : [{ path: inspector(3, 'Masks'), anchor: 'mask-view', topic: 'seq2seq-masks', load: 'tiny-translator' as const, answer: 'the three attentions of an encoder–decoder side by side: only the decoder\'s self attention is masked' }]),
    ];
    case 8: return [{ path: STEP, anchor: 'step-ffn', topic: 'ffn', step: true, answer: 'this token\'s vector before and after the activation and the FFN\'s output' }];
    case 9: return [{ path: STEP, anchor: 'step-norm-stats', step: true, answer: 'mean and std before and after the norm for this token, LayerNorm\'s and BatchNorm\'s axes on your tokens, pre-LN and post-LN' }];
    case 10: return [
      { path: [{ panels: 'views', tab: 0, tabTitle: 'Tokens' }], anchor: 'tokens-why', answer: 'your selection\'s tokens, with the explanations for this tokenizer' },
      { path: [{ panels: 'views', tab: 2, tabTitle: 'Train BPE' }], anchor: 'train-why', topic: 'bpe', answer: 'train BPE on your selection, and the low/lower/newest/widest example' },
    ];
    case 11: return [
      kind === 'causal'
        ? { path: inspector(5, 'Predictions'), anchor: 'predictions-view', topic: 'mlm', load: 'tiny-bert', answer: 'BERT\'s 15% masking, 80/10/10, on your selection' }
        : { path: inspector(5, 'Predictions'), anchor: 'mask-demo', topic: 'mlm', answer: 'BERT\'s 15% masking, 80/10/10, on your selection' },
      { path: inspector(5, 'Predictions'), anchor: 'predictions-view', topic: 'sampling', ...(kind === 'causal' || kind === undefined ? {} : { load: 'tiny-gpt' as const }), answer: 'the next token\'s probabilities under temperature, top-k and top-p' },
      { path: [{ panels: 'views', tab: 4, tabTitle: 'Generate' }], anchor: 'generate-kv', topic: 'generate-kvcache', answer: 'generate a few tokens: the KV cache growing, with and without it' },
    ];
    case 12: return [{ path: [RESIDUAL, { panels: 'residual', tab: 2, tabTitle: 'Embeddings' }], anchor: 'embeddings-view', topic: 'embedding', answer: 'the embedding row of a token, its nearest tokens, and how its vector changes layer by layer' }];
    case 13: return [seq2seq
      ? { path: inspector(6, 'Encoder–decoder'), anchor: 's2s-view', answer: 'the encoder\'s, the decoder\'s and the cross attention of a translation, with Translate' }
      : { path: inspector(6, 'Encoder–decoder'), anchor: 's2s-view', load: 'tiny-translator', answer: 'the encoder\'s, the decoder\'s and the cross attention of a translation, with Translate' }];
    case 14: return [
      { path: STEP, anchor: 'step-training', topic: 'crossentropy', step: true, answer: 'the Noam schedule for this model\'s d_model, and what one Adam step does to one weight' },
      { path: [RESIDUAL, { panels: 'residual', tab: 1, tabTitle: 'Token loss' }], anchor: 'loss-view', topic: 'loss', ...(kind === 'causal' || kind === undefined ? {} : { load: 'tiny-gpt' as const }), answer: 'the cross-entropy of each token of your selection under teacher forcing, and their sum' },
    ];
    default: return [];
  }
}

