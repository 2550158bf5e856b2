/**
 * Reading the residual stream of a causal LM (the logit lens, nostalgebraist 2020), and how
 * surprised the model is by each token of a text (GLTR, Gehrmann et al. 2019):
 *
 *   lens:  after layer l, logits_l = head(N_f(x_l)) at every position   (l = L: the model's own output)
 *   loss:  nll_t = −log softmax(logits_{t−1})[token_t] in nats, rank_t = #{v : logit_v > logit_{token_t}}
 *          perplexity = exp(mean nll)
 *
 * Logits are computed a block of positions at a time and only the top-k (and the final
 * prediction's rank and probability) are kept, so a 250 k vocabulary stays bounded.
 */
import type { ModelConfig } from './config';
import { logitsRows } from './heads';
import { tsKernels, type Kernels } from './kernels';
import { modelError } from './modelError';
import { normalize, type ForwardResult } from './transformer';
import type { ModelWeights } from './weights';
import { withCode } from '../../shared/engineErrors';
import { phrase } from '../../shared/l10nText';

/** Logits held at once: 8 M floats (32 positions of Gemma's 262,144 tokens; every position of a small vocabulary). */
const BLOCK_FLOATS = 8 * 1024 * 1024;
const rowsPerBlock = (V: number) => Math.max(1, Math.min(1024, Math.floor(BLOCK_FLOATS / V)));

/**
 * The lens's last layer is the model's own output: when the whole [T, V] fits one block it is
 * kept here for tokenLoss on the same pass, which then needs no LM-head product of its own.
 */
const finalLogits = new WeakMap<ForwardResult, Float32Array>();

export interface LensCell {
  /** The k most likely ids at this layer and position, and their probabilities. */
  top: number[];
  probs: number[];
  /** Where the model's final prediction at this position ranks here (0 = top) and its probability. */
  finalRank: number;
  finalProb: number;
}

export interface LogitLens {
  /** [layer 1…L][position] */
  cells: LensCell[][];
  /** The model's own top-1 at each position (the lens at l = L). */
  finalIds: number[];
}

/** The analyses that need a causal LM, as the messages name them. */
const ANALYSES = { 'logit lens': phrase`logit lens`, 'per-token loss': phrase`per-token loss` };

export function checkLanguageModel(cfg: ModelConfig, w: ModelWeights, what: keyof typeof ANALYSES): void {
  if (cfg.head !== 'causal-lm') {
    throw withCode(modelError`the ${ANALYSES[what]} needs a causal language model; this is ${cfg.head === 'masked-lm' ? phrase`a masked language model (BERT-style: it predicts [MASK] tokens, not the next one — try predict or mask-demo)` : phrase`an encoder–decoder`}`,
      cfg.head === 'masked-lm' ? 'needs-causal-lm-masked' : 'needs-causal-lm-seq2seq', what);
  }
  if (!w.head) throw withCode(modelError`the ${ANALYSES[what]} needs the model's LM head; this checkpoint has none`, 'no-lm-head', what);
}

/** log Σ exp(logit − max), given the max; terms below e^−40 (under 1e-17 each) are skipped. */
function logSumExpFrom(row: Float32Array, at: number, V: number, max: number): number {
  let sum = 0;
  const floor = max - 40;
  for (let i = 0; i < V; i++) { const x = row[at + i]; if (x > floor) sum += Math.exp(x - max); }
  return Math.log(sum);
}

/** The k best ids of a row (best first) and, in the same pass, how many logits exceed `target` (NaN: none counted). */
function topAndRank(row: Float32Array, at: number, V: number, k: number, target: number): { top: number[]; above: number } {
  const best: number[] = [];
  let above = 0, kth = -Infinity;
  for (let i = 0; i < V; i++) {
    const v = row[at + i];
    if (v > target) above++;
    if (best.length === k && v <= kth) continue;
    if (best.length < k) best.push(i); else best[k - 1] = i;
    let j = best.length - 1;
    while (j > 0 && row[at + best[j - 1]] < v) { best[j] = best[j - 1]; j--; }
    best[j] = i;
    if (best.length === k) kth = row[at + best[k - 1]];
  }
  return { top: best, above };
}

/** The lens over every layer's output; needs a pass run with `keepResiduals`. */
export function logitLens(cfg: ModelConfig, w: ModelWeights, r: ForwardResult, k = 5, kernels: Kernels = tsKernels): LogitLens {
  checkLanguageModel(cfg, w, 'logit lens');
  if (!r.residuals) throw modelError`the logit lens needs a forward pass that kept each layer's residual stream`;
  const { T } = r, C = cfg.hidden, V = cfg.vocabSize;
  const perLayer: { top: number[]; probs: number[]; logits: (id: number) => number; lse: number; max: number }[][] = [];
  const cells: LensCell[][] = r.residuals.map(() => []);
  const finalIds: number[] = new Array<number>(T).fill(0);
  // the last layer first: its top-1 at each position is what the others are ranked against
  const order = [...r.residuals.keys()].reverse();
  const block = rowsPerBlock(V);
  const normed = new Float32Array(Math.min(T, block) * C);
  for (const l of order) {
    perLayer[l] = [];
    for (let from = 0; from < T; from += block) {
      const n = Math.min(block, T - from);
      const x = r.residuals[l].subarray(from * C, (from + n) * C);
      const view = normed.subarray(0, n * C);
      if (w.finalLnW) normalize(cfg, view, x, w.finalLnW, w.finalLnB, n, C);
      else view.set(x);
      const logits = logitsRows(cfg, w, view, 0, n, kernels); // [n, V]
      if (l === order[0] && n === T) finalLogits.set(r, logits);
      for (let i = 0; i < n; i++) {
        const at = i * V, pos = from + i;
        // one pass for the top-k (its first is the max) and the final prediction's rank, one for Σ exp
        const last = l === order[0];
        const known = last ? NaN : logits[at + finalIds[pos]];
        const { top, above } = topAndRank(logits, at, V, k, known);
        if (last) finalIds[pos] = top[0];
        const max = logits[at + top[0]];
        const lse = logSumExpFrom(logits, at, V, max);
        const target = logits[at + finalIds[pos]];
        const rank = last ? 0 : above;
        cells[l][pos] = {
          top, probs: top.map((id) => Math.exp(logits[at + id] - max - lse)),
          finalRank: rank, finalProb: Math.exp(target - max - lse),
        };
      }
    }
  }
  void perLayer;
  return { cells, finalIds };
}

export interface TokenLoss {
  /** Per position: −log p(token_t | tokens before it) in nats; null at position 0 (nothing predicts it). */
  nll: (number | null)[];
  /** Per position: how many tokens the model ranked above the real one (0 = its top guess); null at 0. */
  rank: (number | null)[];
  /** Per position: the model's top guesses for that position, with probabilities (null at 0). */
  top: ({ id: number; prob: number }[] | null)[];
  /** exp(mean nll) over positions 1…T−1 */
  perplexity: number;
}

export function tokenLoss(cfg: ModelConfig, w: ModelWeights, r: ForwardResult, ids: readonly number[], k = 5, kernels: Kernels = tsKernels): TokenLoss {
  checkLanguageModel(cfg, w, 'per-token loss');
  const T = r.T, V = cfg.vocabSize;
  if (ids.length !== T) throw modelError`${ids.length} ids for a pass over ${T} tokens`;
  if (T < 2) throw withCode(modelError`one token has no loss to show: the first token has nothing before it to predict it from`, 'one-token-no-loss');
  const nll: (number | null)[] = [null], rank: (number | null)[] = [null], top: TokenLoss['top'] = [null];
  const cached = finalLogits.get(r); // [T, V] from the lens on this pass
  const block = rowsPerBlock(V);
  for (let from = 0; from < T - 1; from += block) {
    const n = Math.min(block, T - 1 - from);
    const logits = cached ?? logitsRows(cfg, w, r.hidden, from, n, kernels); // position p predicts token p + 1
    const base = cached ? from : 0;
    for (let i = 0; i < n; i++) {
      const at = (base + i) * V, target = ids[from + i + 1];
      const t = logits[at + target];
      const best = topAndRank(logits, at, V, k, t);
      const max = logits[at + best.top[0]];
      const lse = logSumExpFrom(logits, at, V, max);
      nll.push(-(t - max - lse));
      rank.push(best.above);
      top.push(best.top.map((id) => ({ id, prob: Math.exp(logits[at + id] - max - lse) })));
    }
  }
  const mean = (nll.slice(1) as number[]).reduce((a, b) => a + b, 0) / (T - 1);
  return { nll, rank, top, perplexity: Math.exp(mean) };
}
