/**
 * How a decoder turns its last logits into a choice, step by step, as Hugging Face
 * `generate` applies its warpers (temperature, then top-k, then top-p):
 *   p = softmax(logits)                   before anything
 *   p_T = softmax(logits / T)             temperature: T < 1 sharpens, T > 1 flattens
 *   top-k: keep the k most likely tokens, renormalise
 *   top-p: keep the smallest most-likely set whose probability reaches p, renormalise
 *          (a token stays when the tokens ranked above it sum to less than p)
 * Pure and allocation-light, shared by the CLI and the webview. Legend: V vocab.
 */

export interface SamplingSettings {
  /** > 0; 1 leaves the distribution as it is */
  temperature: number;
  /** 0 = off */
  topK: number;
  /** in (0, 1]; 1 = off */
  topP: number;
}

export const DEFAULT_SAMPLING: SamplingSettings = { temperature: 1, topK: 50, topP: 1 };

export interface SamplingStage {
  /** `softmax`: the model's own distribution, softmax(logits), before any warper. */
  name: 'softmax' | 'temperature' | 'top-k' | 'top-p';
  /** Probability of each listed token after this stage (0 when removed). */
  probs: number[];
  /** Tokens with probability > 0 after this stage. */
  kept: number;
}

export interface SamplingSteps {
  /** The listed tokens: the most likely under the raw logits, best first. */
  ids: number[];
  stages: SamplingStage[];
}

export function checkSampling(s: SamplingSettings): string | undefined {
  if (!(s.temperature > 0) || !Number.isFinite(s.temperature)) return `temperature must be a number above 0, got ${s.temperature}`;
  if (!Number.isInteger(s.topK) || s.topK < 0) return `top-k must be a whole number ≥ 0 (0 = off), got ${s.topK}`;
  if (!(s.topP > 0 && s.topP <= 1)) return `top-p must be in (0, 1] (1 = off), got ${s.topP}`;
  return undefined;
}

/** softmax(logits / temperature) over the whole vocabulary, in float64. */
export function softmaxAt(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const V = logits.length;
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i] > max) max = logits[i];
  const p = new Float64Array(V);
  let sum = 0;
  for (let i = 0; i < V; i++) { p[i] = Math.exp((logits[i] - max) / temperature); sum += p[i]; }
  for (let i = 0; i < V; i++) p[i] /= sum;
  return p;
}

/**
 * Token ids by logit, best first (ties: lower id first). One ranking serves every stage:
 * temperature keeps the order (it divides every logit by the same T > 0) and top-k keeps
 * a prefix of it, so the vocabulary is sorted once per call, not once per warper.
 */
function ranked(logits: ArrayLike<number>): number[] {
  return Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
}

interface Warped { temperature: Float64Array; topK: Float64Array; keptK: number; topP: Float64Array; keptP: number }

/** Each warper's output over the whole vocabulary; `order` is ranked(logits). */
function warp(logits: ArrayLike<number>, s: SamplingSettings, order: readonly number[]): Warped {
  const problem = checkSampling(s);
  if (problem) throw new RangeError(problem);
  const temperature = softmaxAt(logits, s.temperature);
  let topK = temperature;
  let keptK = temperature.length;
  if (s.topK > 0 && s.topK < temperature.length) {
    topK = new Float64Array(temperature.length);
    for (const i of order.slice(0, s.topK)) topK[i] = temperature[i];
    normalise(topK);
    keptK = s.topK;
  }
  let topP = topK;
  let keptP = keptK;
  if (s.topP < 1) {
    topP = new Float64Array(topK.length);
    let above = 0;
    keptP = 0;
    for (const i of order) {
      if (topK[i] === 0 || above >= s.topP) break;
      topP[i] = topK[i];
      above += topK[i];
      keptP++;
    }
    normalise(topP);
  }
  return { temperature, topK, keptK, topP, keptP };
}

function normalise(q: Float64Array): void {
  let sum = 0;
  for (const v of q) sum += v;
  for (let i = 0; i < q.length; i++) q[i] /= sum;
}

/** The distribution after each warper, for the `show` most likely tokens under the raw logits. */
export function samplingSteps(logits: ArrayLike<number>, s: SamplingSettings, show = 10): SamplingSteps {
  const order = ranked(logits);
  const w = warp(logits, s, order);
  const raw = softmaxAt(logits);
  const ids = order.slice(0, Math.min(show, raw.length));
  const at = (p: Float64Array) => ids.map((i) => p[i]);
  return {
    ids,
    stages: [
      { name: 'softmax', probs: at(raw), kept: raw.length },
      { name: 'temperature', probs: at(w.temperature), kept: raw.length },
      { name: 'top-k', probs: at(w.topK), kept: w.keptK },
      { name: 'top-p', probs: at(w.topP), kept: w.keptP },
    ],
  };
}

/** The final distribution (after every warper) over the whole vocabulary. */
export function warpedDistribution(logits: ArrayLike<number>, s: SamplingSettings): Float64Array {
  return warp(logits, s, ranked(logits)).topP;
}

/** A seeded draw from `p` (mulberry32), so a shown sample can be reproduced. */
export function sampleToken(p: Float64Array, seed: number): number {
  let r = mulberry32(seed)();
  for (let i = 0; i < p.length; i++) {
    r -= p[i];
    if (r < 0) return i;
  }
  for (let i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i;
  return 0;
}

/** A small, well-known 32-bit PRNG: the same numbers in Node and every browser. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
