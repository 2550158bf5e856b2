/**
 * The explanations shown beside each step: the classic questions about attention, in
 * the display language (English source text here; Simplified Chinese in
 * l10n/bundle.l10n.zh-cn.json). Each topic renders as a <details> block.
 */
import { el } from '../../dom';
import { t } from '../../l10n';

export type Topic =
  | 'positions' | 'relative' | 'dot' | 'scale' | 'softmax' | 'heads' | 'mask' | 'ffn' | 'layernorm' | 'prepost' | 'mlm' | 'gqa' | 'kvcache' | 'sampling'
  | 'rope' | 'rmsnorm' | 'swiglu' | 'sliding';

/** Title and body in English; t() translates both. */
const TOPICS: Record<Topic, [string, string]> = {
  positions: ['Why positional encoding?',
    'Attention by itself is order-blind: shuffle the tokens and every query sees the same set of keys and values. Adding a position vector to each token embedding makes "dog bites man" differ from "man bites dog". The original Transformer adds fixed sinusoids, PE(pos, 2i) = sin(pos / 10000^(2i/d)) and PE(pos, 2i+1) = cos(…), whose wavelengths form a geometric series, so a fixed offset is a linear map of the encoding; GPT-2 and BERT learn one vector per position instead.'],
  relative: ['Relative positions and RoPE',
    'Absolute encodings tag each token with where it is; relative schemes let the score depend on how far apart query and key are. Shaw et al. and T5 add a learned bias per distance to q·k. RoPE (rotary embeddings, used by LLaMA and most recent models) rotates each pair of q and k channels by an angle proportional to the position, so q·k depends only on the difference of positions; nothing is added to the embeddings.'],
  dot: ['Why a dot product, not Euclidean distance or cosine?',
    'q·k is one matrix product for all pairs (QKᵀ), cheap and fast on hardware. It measures alignment and lets the model use magnitude: a confident query can have a large norm and a sharp softmax. Cosine similarity throws the norm away, fixing every score to [−1, 1], so the softmax could never be sharp without a separate temperature; negative squared Euclidean distance, −|q−k|², equals 2q·k − |q|² − |k|², the dot product plus terms that favour short keys.'],
  scale: ['Why divide by √d_k?',
    'If the d_k components of q and k are independent with mean 0 and variance 1, q·k has variance d_k. Large scores push softmax into saturation, where one weight is ≈1, the rest ≈0 and the gradients vanish. Dividing by √d_k brings the variance back to 1 whatever the head size.'],
  softmax: ['Softmax overflow and subtracting the max',
    'exp(x) overflows float32 above x ≈ 88.7, and a row of large scores would give ∞/∞ = NaN. softmax(x) = softmax(x − c) for any constant c, so subtracting the row maximum changes nothing mathematically, makes the largest exponent e⁰ = 1 and every other one ≤ 1: no overflow, and the sum is at least 1. Masked entries are −∞, and exp(−∞) = 0 exactly.'],
  heads: ['Why several heads?',
    'One softmax gives one weighted average per token: it can attend sharply to one place or blur over many, but not both. Splitting d_model into h heads of d_k = d_model/h lets each head learn its own projection and pattern — the previous token, the first token, a matching bracket, the subject of a verb — at the cost of one head of full width. W^O mixes the heads\' outputs back together.'],
  mask: ['Why is the decoder\'s self-attention masked, and how?',
    'A decoder is trained to predict token t+1 from tokens ≤ t, for every t in parallel; if position t could see t+1 the task would be copying. The causal mask adds −∞ to every score of a future key before the softmax, so those weights are exactly 0 and the other weights still sum to 1 (adding −∞ after the softmax, or zeroing weights, would break that). The encoder reads a whole given input, so it attends both ways; cross attention reads the encoder\'s finished output, so nothing there is in the future. Padding masks use the same −∞ trick to hide [PAD] keys.'],
  ffn: ['What does the feed-forward network do?',
    'After attention has moved information between positions, the FFN processes each position on its own: h → act(h W₁ + b₁) W₂ + b₂, widening to 4·d_model and back. It holds most of a layer\'s parameters; studies read its rows as key–value memories that recognise patterns and write associated facts or next-token preferences into the residual stream.'],
  layernorm: ['LayerNorm, not BatchNorm',
    'LayerNorm normalises each token\'s vector over its own channels (mean 0, variance 1, then a learned scale and shift), so it does not depend on the batch, on padding, on sequence length, or on whether you are training or generating one token at a time. BatchNorm averages each channel over the batch, which is noisy with variable-length text and behaves differently at inference.'],
  prepost: ['Pre-LN vs post-LN',
    'Post-LN (the original Transformer, BERT) normalises after adding the sublayer: x = LN(x + F(x)). Pre-LN (GPT-2 and most later models) normalises the sublayer\'s input and leaves the residual path untouched: x = x + F(LN(x)), plus one final LayerNorm. Pre-LN keeps gradients well-scaled through deep stacks and trains without careful warm-up; post-LN can reach slightly better results but is harder to train deep.'],
  mlm: ['BERT\'s masking: 15%, then 80 / 10 / 10',
    'BERT picks 15% of the input positions to predict. Of those, 80% are replaced by [MASK], 10% by a random token and 10% are left unchanged. If every chosen token became [MASK], the model would learn nothing useful for real text, which never contains [MASK]; the random and unchanged cases force it to keep a good representation of every token, since any might be a target.'],
  gqa: ['Grouped-query attention (GQA)',
    'In multi-head attention every head has its own keys and values. GQA lets groups of query heads share one key/value head (multi-query attention is the extreme: one K/V head for all). The outputs change little, but the key/value cache shrinks by the group factor, which is what limits long-context generation.'],
  sampling: ['Temperature, top-k and top-p',
    'A decoder gives a logit for every token of its vocabulary; the softmax turns them into probabilities. Temperature divides the logits first: below 1 the distribution sharpens toward the most likely token (close to 0 it becomes greedy decoding), above 1 it flattens. Top-k then keeps the k most likely tokens; top-p (nucleus sampling) keeps the smallest set of most likely tokens whose probabilities reach p. Each renormalises, so what is kept sums to 1 again, and the next token is drawn from it. Lower temperature, k or p: more predictable text; higher: more varied and more often wrong.'],
  kvcache: ['The KV cache',
    'When a decoder generates token t+1, the keys and values of tokens ≤ t are the same as in the previous step (the causal mask guarantees earlier positions never see later ones). So they are kept in a cache and only the new token\'s q, k and v are computed: each step costs O(t) instead of recomputing O(t²). The cache grows as layers × 2 × tokens × d_model numbers.'],
  rope: ['How RoPE rotates q and k',
    'RoPE splits each head\'s q and k into pairs of channels (here channel i with channel i + d/2) and turns pair i by the angle m·θ_i, where m is the token\'s position and θ_i = 1/θ^(2i/d): the first pairs turn fast, the last ones barely move, like the hands of a clock. A rotation keeps lengths, and rotating q by m·θ_i and k by n·θ_i leaves their dot product depending on the angle between them, (m − n)·θ_i: the score sees how far apart the tokens are, not where they are. Values are not rotated, and nothing is added to the embeddings.'],
  rmsnorm: ['RMSNorm vs LayerNorm',
    'LayerNorm subtracts the mean of the vector, divides by its standard deviation, then multiplies by a learned gain γ and adds a learned bias β. RMSNorm (Zhang & Sennrich 2019; Llama, Mistral, Qwen) skips the centring: it divides by the root mean square √(mean(x²) + ε) and multiplies by γ, with no mean subtracted and no bias. It is cheaper, and models trained with it do as well, which suggests the rescaling, not the centring, is what matters.'],
  swiglu: ['Gated FFN (SwiGLU)',
    'A gated FFN computes two projections of the same input, a gate and an up projection, and multiplies them element by element after the gate\'s activation: down(act(x·W_gate) ⊙ x·W_up). With SiLU (x·sigmoid(x)) as the activation this is SwiGLU (Shazeer 2020), the FFN of Llama, Mistral and Qwen. The gate lets each hidden unit decide how much of the up projection passes; to keep the parameter count of a 4·d_model MLP, the inner width is usually about 8/3·d_model.'],
  sliding: ['Sliding-window attention',
    'With a sliding window of W, each query sees only the last W keys (itself included) instead of every earlier one, so a layer\'s cost and its KV cache stop growing with the input beyond W tokens. Information from further back still arrives, passed forward layer by layer: after L sliding layers a token can depend on about L × W earlier ones. Mistral 7B slides every layer (W = 4096); Gemma and some Qwen models alternate sliding and full layers.'],
};

export function explanation(topic: Topic, open = false): HTMLElement {
  const [title, body] = TOPICS[topic];
  const d = el('details', { class: 'explain', 'data-topic': topic }, el('summary', {}, t(title)), el('p', {}, t(body)));
  if (open) d.setAttribute('open', '');
  return d;
}

export const ALL_TOPICS = Object.keys(TOPICS) as Topic[];
export const TOPIC_TEXT = TOPICS;
