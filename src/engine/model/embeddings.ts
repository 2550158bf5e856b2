/**
 * What an embedding is, with the model's own numbers: a token id picks a row of the
 * embedding matrix (a static vector, the same in every text); its nearest rows by cosine are
 * the tokens the model placed nearby; and after each layer the same token in two texts has
 * two different hidden states (contextual vectors), compared here by cosine layer by layer.
 * Also the three ways to score a query against a key: dot product (what attention uses),
 * cosine (ignores length) and −‖q − k‖² (ignores the angle's sign convention, penalizes length).
 */
import type { LoadedModel } from './loadModel';
import { runModel } from './loadModel';
import { modelError } from './modelError';
import { phrase } from '../../shared/l10nText';

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = Math.sqrt(dot(a, a)), nb = Math.sqrt(dot(b, b));
  return na === 0 || nb === 0 ? 0 : dot(a, b) / (na * nb);
}

/** dot, cosine and −‖q − k‖² side by side, with the norms that explain how they differ. */
export function similarities(q: ArrayLike<number>, k: ArrayLike<number>): { dot: number; cosine: number; negSquaredDistance: number; qNorm: number; kNorm: number } {
  let d2 = 0;
  for (let i = 0; i < q.length; i++) d2 += (q[i] - k[i]) ** 2;
  return { dot: dot(q, k), cosine: cosine(q, k), negSquaredDistance: -d2, qNorm: Math.sqrt(dot(q, q)), kNorm: Math.sqrt(dot(k, k)) };
}

/** Row `id` of the (E- or C-wide) token embedding matrix. */
export function tokenVector(model: LoadedModel, id: number): Float32Array {
  const V = model.config.vocabSize, E = model.weights.tokEmb.length / V;
  if (!Number.isInteger(id) || id < 0 || id >= V) throw modelError`token id ${id} is outside the model's vocabulary (0–${V - 1})`;
  return model.weights.tokEmb.slice(id * E, (id + 1) * E);
}

/** The k tokens whose embedding rows are closest to `id`'s by cosine (itself excluded), best first. */
export function nearestTokens(model: LoadedModel, id: number, k = 10): { id: number; cosine: number }[] {
  const v = tokenVector(model, id);
  const V = model.config.vocabSize, E = v.length, emb = model.weights.tokEmb;
  const nv = Math.sqrt(dot(v, v));
  const best: { id: number; cosine: number }[] = [];
  for (let t = 0; t < V; t++) {
    if (t === id) continue;
    let s = 0, n = 0;
    for (let c = 0; c < E; c++) { const x = emb[t * E + c]; s += x * v[c]; n += x * x; }
    const cos = n === 0 || nv === 0 ? 0 : s / (Math.sqrt(n) * nv);
    if (best.length < k || cos > best[best.length - 1].cosine) {
      best.push({ id: t, cosine: cos });
      best.sort((a, b) => b.cosine - a.cosine);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

/**
 * The hidden state of token `posA` in `idsA` and of `posB` in `idsB` after the embeddings
 * (layer 0) and after each layer, compared by cosine: 1 at layer 0 for the same token id
 * in a model without position vectors (static), drifting apart as context mixes in.
 */
export function contextualSimilarity(model: LoadedModel, idsA: readonly number[], posA: number, idsB: readonly number[], posB: number): { layer: number; cosine: number }[] {
  if (model.config.head === 'seq2seq') throw modelError`compare contexts on one stack: pick a decoder-only or encoder model`;
  for (const [ids, pos, which] of [[idsA, posA, phrase`the first text`], [idsB, posB, phrase`the second text`]] as const) {
    if (!Number.isInteger(pos) || pos < 0 || pos >= ids.length) throw modelError`${which} has no token ${pos} (it has ${ids.length})`;
  }
  const C = model.config.hidden;
  const a = runModel(model, { ids: idsA }, { record: 'none', keepResiduals: true });
  const b = runModel(model, { ids: idsB }, { record: 'none', keepResiduals: true });
  const row = (x: Float32Array, p: number) => x.subarray(p * C, (p + 1) * C);
  const out = [{ layer: 0, cosine: cosine(row(a.embeddings, posA), row(b.embeddings, posB)) }];
  a.residuals!.forEach((x, l) => out.push({ layer: l + 1, cosine: cosine(row(x, posA), row(b.residuals![l], posB)) }));
  return out;
}
