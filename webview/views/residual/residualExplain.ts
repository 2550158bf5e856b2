/**
 * The explanations of the Residual stream views, in the display language (English source
 * text; Simplified Chinese in l10n/bundle.l10n.zh-cn.json): what the logit lens reads, what
 * per-token loss and GLTR's buckets mean, static vs contextual embeddings, and why
 * attention scores with a dot product. Each renders as a <details> block.
 */
import { el } from '../../dom';
import { t } from '../../l10n';

function block(topic: string, title: string, ...paragraphs: string[]): HTMLElement {
  return el('details', { class: 'explain', 'data-topic': topic }, el('summary', {}, title), ...paragraphs.map((p) => el('p', {}, p)));
}

export const lensExplain = (): HTMLElement => block('lens', t('What is the logit lens?'),
  t('Every layer of a Transformer adds its output to one running vector per position, the residual stream. The logit lens (nostalgebraist, 2020) reads that vector after each layer as if it were the last: the model\'s final norm and its LM head turn it into a distribution over the vocabulary. After the last layer this is exactly the model\'s own prediction; earlier rows show what the stream already "says" halfway up. Often the final answer appears a few layers before the end and only sharpens after.'),
  t('Each cell is the top guess for the next token after that layer at that position, shaded by its probability. Hover a cell for its top five; click a column to follow the model\'s final prediction there through the layers: its rank (0 = top) and probability after each layer.'));

export const lossExplain = (): HTMLElement => block('loss', t('Per-token loss, perplexity and GLTR'),
  t('A causal language model gives, at each position, a probability for every possible next token. The loss of token t is −log p(token_t | the tokens before it), in nats (natural log): 0 when the model was sure, ln 2 ≈ 0.69 for a coin flip, large when it was surprised. Perplexity is exp of the mean loss: the number of equally likely choices the model was, on average, torn between. The first token has no loss here: nothing before it predicts it.'),
  t('GLTR (Gehrmann, Strobelt and Rush, 2019) colours each token by its rank in the model\'s prediction: green in the top 10, yellow in the top 100, red in the top 1000, violet beyond. Text a model wrote itself is mostly green; human text has more red and violet, because people choose words a model would not rank first.'));

export const embeddingExplain = (): HTMLElement => block('embedding', t('What is an embedding? Static vs contextual'),
  t('A token id selects one row of the embedding matrix: a vector of E numbers, drawn here as a strip of colours (blue negative, red positive). This row is static: the same for "bank" in every text. Tokens the model uses alike end up with rows pointing in similar directions, which is what the nearest tokens by cosine show.'),
  t('Each layer then mixes in the context through attention, so after layer 1, 2, … the vector at the same token differs from text to text: it is contextual. In "river bank" and "bank account" the word starts from one row and drifts apart; in Chinese, 银行 (a bank for money) and 河岸 (a river bank) are different words from the start, while English needs the context to tell the two banks apart. The cosine by layer shows how far apart the two readings have moved.'),
  t('Retrieval embeddings (sentence-transformers, OpenAI embeddings) are a different thing: a whole text pooled into one vector and trained so that similar meanings have a high cosine. The vectors here are the language model\'s own per-token states, trained only to predict tokens.'));

export const similarityExplain = (): HTMLElement => block('similarity', t('Why a dot product, not Euclidean distance or cosine?'),
  t('The dot product q·k = ‖q‖‖k‖cos θ grows with both the angle and the lengths. Cosine keeps only the angle, so every score lies in [−1, 1] and the softmax could never be sharp without a separate temperature; the model could not make a query confident by making it longer. −‖q − k‖² = 2q·k − ‖q‖² − ‖k‖²: the ‖q‖² term is the same for every key and cancels in the softmax, but −‖k‖² penalises long keys, so it prefers keys near q rather than keys pointing the same way. And QKᵀ is one matrix product for all pairs.'));

export const notCausalExplain = (): HTMLElement => block('not-causal', t('Why this model has no logit lens'),
  t('The logit lens and per-token loss read a next-token prediction at every position, which only a causal (decoder, GPT-style) language model makes. A masked language model such as BERT sees the whole text in both directions and predicts only [MASK] positions; its analogue of the loss is the pseudo-likelihood, masking each token in turn. Use the Attention tab\'s Predictions and masking demo for it, or pick a causal model such as tiny-gpt. The Embeddings view works with every model.'));
