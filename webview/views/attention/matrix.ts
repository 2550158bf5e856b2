/**
 * Pure arithmetic on attention matrices for the inspector (no DOM, so mocha tests it):
 * aggregating a set of heads, summing a span of query rows, re-masking a head's scores
 * (the mask comparator), the sinusoidal position table, and CSV export.
 * Legend: T tokens, H heads; a layer's weights are [H, T, T], a matrix is [T, T].
 */

export type Aggregate = 'mean' | 'max';

/** The selected heads of one layer combined cell by cell: mean or max. */
export function aggregateHeads(layer: Float32Array, T: number, heads: readonly number[], mode: Aggregate): Float32Array {
  const out = new Float32Array(T * T); // [T, T]
  if (heads.length === 0) return out;
  const n = T * T, share = 1 / heads.length;
  for (const h of heads) {
    const head = layer.subarray(h * n, (h + 1) * n);
    if (mode === 'max') for (let i = 0; i < n; i++) { if (head[i] > out[i]) out[i] = head[i]; }
    else for (let i = 0; i < n; i++) out[i] += head[i] * share;
  }
  return out;
}

/** Σ over query rows from…to (inclusive) of a [T, T] matrix: how much the span attends to each key. */
export function spanSum(m: Float32Array, T: number, from: number, to: number): Float32Array {
  const out = new Float32Array(T); // [T]
  const [a, b] = from <= to ? [from, to] : [to, from];
  for (let q = Math.max(0, a); q <= Math.min(T - 1, b); q++) for (let k = 0; k < T; k++) out[k] += m[q * T + k];
  return out;
}

export type MaskKind = 'bidirectional' | 'causal' | 'padding' | 'cross';

/**
 * The additive mask [T, T] (0 or −∞). `padding`: the model's own mask plus the last `pad`
 * positions treated as [PAD] keys, as in a batch where this sequence is the shorter one.
 * `cross`: decoder queries over encoder keys are never masked (all 0).
 */
export function maskMatrix(kind: MaskKind, T: number, causalModel: boolean, pad = Math.max(1, Math.floor(T / 4))): Float32Array {
  const m = new Float32Array(T * T);
  for (let q = 0; q < T; q++) {
    for (let k = 0; k < T; k++) {
      const future = k > q;
      let blocked = false;
      if (kind === 'causal') blocked = future;
      else if (kind === 'padding') blocked = (causalModel && future) || k >= T - pad;
      m[q * T + k] = blocked ? -Infinity : 0;
    }
  }
  return m;
}

/** Row-wise softmax of scores + mask, max subtracted; a fully masked row stays all zero. */
export function maskedSoftmax(scores: Float32Array, mask: Float32Array, T: number): Float32Array {
  const out = new Float32Array(T * T);
  for (let q = 0; q < T; q++) {
    let max = -Infinity;
    for (let k = 0; k < T; k++) max = Math.max(max, scores[q * T + k] + mask[q * T + k]);
    if (max === -Infinity) continue;
    let sum = 0;
    for (let k = 0; k < T; k++) {
      const e = Math.exp(scores[q * T + k] + mask[q * T + k] - max);
      out[q * T + k] = e;
      sum += e;
    }
    for (let k = 0; k < T; k++) out[q * T + k] /= sum;
  }
  return out;
}

/** PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)); [P, d]. */
export function sinusoidalTable(P: number, d: number): Float32Array {
  const out = new Float32Array(P * d);
  for (let pos = 0; pos < P; pos++) {
    for (let i = 0; 2 * i < d; i++) {
      const angle = pos / Math.pow(10000, (2 * i) / d);
      out[pos * d + 2 * i] = Math.sin(angle);
      if (2 * i + 1 < d) out[pos * d + 2 * i + 1] = Math.cos(angle);
    }
  }
  return out;
}

/** A CSV cell: quoted when it holds a comma, quote or line break; a leading =+-@ is defused. */
export function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A [T, T] matrix as CSV: header row of key tokens, one row per query token. */
export function matrixCsv(m: Float32Array, tokens: readonly string[]): string {
  const T = tokens.length;
  const lines = [['query \\ key', ...tokens.map((t, i) => `${i}:${t}`)].map(csvCell).join(',')];
  for (let q = 0; q < T; q++) {
    const cells = [csvCell(`${q}:${tokens[q]}`)];
    for (let k = 0; k < T; k++) cells.push(String(m[q * T + k]));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
