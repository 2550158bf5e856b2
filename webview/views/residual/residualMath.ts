/**
 * Pure helpers behind the Residual stream views (no DOM): the lens grid's cells and a
 * position's trajectory, GLTR bucket counts, a diverging colour scale for an embedding
 * row, the three query–key scores, and the CSV exports. Unit-tested in test/panel.
 * Legend: L layers, T tokens, k guesses per cell, E embedding width, HS head size.
 */
import type { PanelEmbedding, PanelLens, PanelLoss } from '../../../src/shared/residualProtocol';
import { rankBucket } from '../../../src/shared/rankBuckets';

export { rankBucket };

export interface LensGridCell {
  layer: number; // 1…L
  position: number;
  /** The top guess after this layer and its probability. */
  id: number;
  text: string;
  prob: number;
  /** The top guess equals the model's final prediction at this position. */
  isFinal: boolean;
}

/** The grid as the view draws it: rows are layers 1…L (layer L = the model's output), columns positions. */
export function lensGrid(lens: PanelLens): LensGridCell[][] {
  return lens.top.map((row, l) => row.map((ids, p) => ({
    layer: l + 1, position: p, id: ids[0], text: lens.vocab[ids[0]] ?? `#${ids[0]}`, prob: lens.probs[l][p][0], isFinal: ids[0] === lens.finalIds[p],
  })));
}

/** The top guesses of one cell, with text: what the hover card lists. */
export function lensCellGuesses(lens: PanelLens, layer: number, position: number, n = 5): { id: number; text: string; prob: number }[] {
  const l = layer - 1;
  return lens.top[l][position].slice(0, n).map((id, i) => ({ id, text: lens.vocab[id] ?? `#${id}`, prob: lens.probs[l][position][i] }));
}

/** How the model's final prediction at `position` rose through the layers: rank (0 = top) and probability after each. */
export function trajectory(lens: PanelLens, position: number): { layer: number; rank: number; prob: number }[] {
  return lens.finalRank.map((ranks, l) => ({ layer: l + 1, rank: ranks[position], prob: lens.finalProb[l][position] }));
}

/** The first layer from which the final prediction stays the top guess (L when only the output has it). */
export function settlesAt(lens: PanelLens, position: number): number {
  let layer = lens.layers;
  for (let l = lens.layers - 1; l >= 0 && lens.finalRank[l][position] === 0; l--) layer = l + 1;
  return layer;
}

/** Tokens in each GLTR bucket (positions 1…T−1: position 0 has no prediction). */
export function bucketCounts(loss: PanelLoss): [number, number, number, number] {
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  for (const r of loss.rank) if (r !== null) counts[rankBucket(r)]++;
  return counts;
}

/** Mean −log p over the predicted tokens (ln perplexity). */
export function meanNll(loss: PanelLoss): number {
  const v = loss.nll.filter((x): x is number => x !== null);
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/**
 * A diverging colour for value v in [−max, max]: blue (negative) → neutral grey → red
 * (positive), as [r, g, b] 0…255. `divergingColour(0, 1) = [128, 128, 128]`,
 * `divergingColour(1, 1) = [220, 50, 47]`, `divergingColour(−1, 1) = [38, 110, 220]`.
 */
export function divergingColour(v: number, max: number): [number, number, number] {
  const x = max > 0 ? Math.max(-1, Math.min(1, v / max)) : 0;
  const mid = [128, 128, 128], hi = x >= 0 ? [220, 50, 47] : [38, 110, 220];
  const a = Math.abs(x);
  return mid.map((m, i) => Math.round(m + (hi[i] - m) * a)) as [number, number, number];
}

export const maxAbs = (v: readonly number[]): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/** Dot product, cosine and −‖q − k‖² of one query–key pair, with the norms that tell them apart. */
export function scores(q: readonly number[], k: readonly number[]): { dot: number; cosine: number; negSquaredDistance: number; qNorm: number; kNorm: number } {
  let dot = 0, qq = 0, kk = 0, d2 = 0;
  for (let i = 0; i < q.length; i++) { dot += q[i] * k[i]; qq += q[i] * q[i]; kk += k[i] * k[i]; d2 += (q[i] - k[i]) ** 2; }
  const qNorm = Math.sqrt(qq), kNorm = Math.sqrt(kk);
  return { dot, cosine: qNorm === 0 || kNorm === 0 ? 0 : dot / (qNorm * kNorm), negSquaredDistance: -d2, qNorm, kNorm };
}

/** For each of the three scores, the key it ranks first among `allowed` keys. */
export function bestKeys(q: readonly number[], keys: readonly (readonly number[])[], allowed: readonly boolean[]): { dot: number; cosine: number; negSquaredDistance: number } {
  const best = { dot: -1, cosine: -1, negSquaredDistance: -1 };
  const top = { dot: -Infinity, cosine: -Infinity, negSquaredDistance: -Infinity };
  keys.forEach((k, i) => {
    if (!allowed[i]) return;
    const s = scores(q, k);
    for (const m of ['dot', 'cosine', 'negSquaredDistance'] as const) if (s[m] > top[m]) { top[m] = s[m]; best[m] = i; }
  });
  return best;
}

const csvCell = (s: string | number) => (typeof s === 'number' ? String(s) : /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/** One row per layer × position: the top guesses and the final prediction's rank and probability. */
export function lensCsv(lens: PanelLens): string {
  const head = ['layer', 'position', 'token', ...Array.from({ length: lens.k }, (_, i) => [`top${i + 1}`, `p${i + 1}`]).flat(), 'final_token', 'final_rank', 'final_prob'];
  const rows: (string | number)[][] = [head];
  lens.top.forEach((row, l) => row.forEach((ids, p) => rows.push([
    l + 1, p, lens.tokens[p].text, ...ids.flatMap((id, i) => [lens.vocab[id] ?? `#${id}`, lens.probs[l][p][i]]),
    lens.vocab[lens.finalIds[p]] ?? `#${lens.finalIds[p]}`, lens.finalRank[l][p], lens.finalProb[l][p],
  ])));
  return csv(rows);
}

export function lossCsv(loss: PanelLoss): string {
  const rows: (string | number)[][] = [['position', 'token', 'id', 'nll_nats', 'rank', 'bucket', 'top_guesses']];
  loss.tokens.forEach((t, i) => rows.push([i, t.text, t.id, loss.nll[i] ?? '', loss.rank[i] ?? '', loss.rank[i] === null ? '' : rankBucket(loss.rank[i]!),
    (loss.top[i] ?? []).map((g) => `${g.text} ${g.prob.toFixed(4)}`).join(' | ')]));
  return csv(rows);
}

/** The row (channel, value), then the layer-by-layer cosine. */
export function embeddingCsv(e: PanelEmbedding): string {
  return csv([['channel', 'value'], ...e.row.map((v, c) => [c, v])]) + '\n' + csv([['layer', 'cosine'], ...e.layers.map((l) => [l.layer, l.cosine])]);
}
