/**
 * The Generate view's explanations, rendered as the attention views' are (a <details
 * class="explain"> per topic, explain.ts) in the display language: the KV cache in
 * generation, autoregressive decoding and teacher forcing, greedy vs sampling, and why the
 * sampling settings change how varied the text is. Each string is a t('…') literal so the
 * l10n scan finds it; zh-CN in l10n/bundle.l10n.zh-cn.json.
 */
import { el } from '../../dom';
import { t } from '../../l10n';

export type GenerateTopic = 'generate-kvcache' | 'autoregressive' | 'greedy' | 'diversity';

const TOPICS: Record<GenerateTopic, () => [string, string]> = {
  'generate-kvcache': () => [t('Why generation can cache K and V'),
    t('To write an answer the model produces one token, appends it, and runs again, so step t sees tokens 0 … t. With the causal mask no earlier position ever attends to a later one, so the keys and values of tokens 0 … t − 1 come out exactly as they did in the step before: they are kept in the KV cache, and each step computes q, k and v for the one new token, one attention row per head over the cached keys, and the FFN for that token only. The cost of a step grows with the keys it reads, not with the whole prefix re-run through every layer. The price is memory: 2 × layers × key/value heads × head size numbers per token, which is why grouped-query attention shares K/V heads.')],
  autoregressive: () => [t('Autoregressive decoding; teacher forcing vs generation'),
    t('A decoder models p(x_t | x_<t): one token at a time, each conditioned on everything before it. In training the whole correct text is given and every position predicts its next token in one parallel pass, the causal mask hiding the future (teacher forcing: the model always sees the true prefix). In generation there is no true prefix: the model\'s own choice is appended and fed back, so an early mistake stays in the context of every later step, and the steps cannot run in parallel. The attention rows shown here are the generation case: each query row is one new position reading the prompt and what the model has written so far.')],
  greedy: () => [t('Greedy decoding vs sampling'),
    t('Greedy decoding takes the most likely token at every step: the same prompt always gives the same text, but it often repeats itself and can miss a better sentence whose first token was only second best (beam search keeps several candidates to soften that). Sampling draws the next token at random from the model\'s distribution, so lower-probability tokens are chosen in proportion to their probability; a seed fixes the random numbers, so a sampled run can be replayed exactly.')],
  diversity: () => [t('Why the sampling settings change diversity'),
    t('Temperature divides the logits before the softmax: below 1 the gaps between tokens grow and the probability mass gathers on the top few, so the draws agree more often (toward greedy); above 1 it spreads over the long tail and different seeds give different texts. Top-k and top-p cut that tail: only the k most likely tokens, or the smallest set reaching probability p, can be drawn. Fewer candidates mean fewer distinct continuations and fewer odd ones; more candidates mean more variety and more mistakes. Change a setting and generate again with the same seed to see where the texts part.')],
};

export function generateExplanation(topic: GenerateTopic): HTMLElement {
  const [title, body] = TOPICS[topic]();
  return el('details', { class: 'explain', 'data-topic': topic }, el('summary', {}, title), el('p', {}, body));
}

export const GENERATE_TOPICS = Object.keys(TOPICS) as GenerateTopic[];
