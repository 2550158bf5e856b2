/**
 * Arithmetic for the long-input overview (no DOM, so mocha tests it): each query row's
 * largest weight and its entropy, where the axis labels go, and which rows and keys the
 * focus window shows around the query. Legend: T tokens; a matrix is [T, T].
 */

export interface RowStats {
  /** [T] the largest weight in each query row */
  max: Float32Array;
  /** [T] the row's entropy over the keys it may see, ÷ log(that count): 0 = one key, 1 = even spread */
  entropy: Float32Array;
}

/**
 * Per query row: max weight and normalised entropy −Σ w·ln w / ln n, where n is the
 * number of keys the row may see (q + 1 under a causal mask, else T; a row that sees one
 * key has entropy 0). Row [0.5, 0.5, 0, 0] at q = 3, causal: max 0.5, entropy ln 2 / ln 4 = 0.5.
 */
export function rowStats(m: Float32Array, T: number, causal: boolean): RowStats {
  const max = new Float32Array(T), entropy = new Float32Array(T);
  for (let q = 0; q < T; q++) {
    const base = q * T, seen = causal ? q + 1 : T;
    let top = 0, h = 0;
    for (let k = 0; k < seen; k++) {
      const w = m[base + k];
      if (w > top) top = w;
      if (w > 0) h -= w * Math.log(w);
    }
    max[q] = top;
    entropy[q] = seen > 1 ? Math.min(1, Math.max(0, h / Math.log(seen))) : 0;
  }
  return { max, entropy };
}

/**
 * Token positions to label along an axis of `width` px holding T tokens: multiples of the
 * smallest 1 / 2 / 5 × 10ⁿ step that leaves `minGap` px from one label to the next.
 * T = 1,024 over 320 px, 48 px apart → step 200: 0, 200, 400, 600, 800, 1000.
 */
export function tickPositions(T: number, width: number, minGap: number): number[] {
  const perToken = width / T;
  let step = 1;
  for (let p = 1; ; p *= 10) {
    const found = [1, 2, 5].map((f) => f * p).find((s) => s * perToken >= minGap);
    if (found !== undefined) { step = found; break; }
    if (p > T) { step = T; break; }
  }
  const out: number[] = [];
  for (let i = 0; i < T; i += step) out.push(i);
  return out;
}

/**
 * The focus window: `size` consecutive positions (rows, and the same keys) with the query
 * in the middle, kept inside [0, T): returns [from, to). T = 1,024, query 1,023, size 24 → [1000, 1024).
 */
export function focusWindow(T: number, query: number, size: number): [number, number] {
  const n = Math.min(T, size);
  const from = Math.max(0, Math.min(T - n, query - Math.floor(n / 2)));
  return [from, from + n];
}

/** The [n, n] block of a [T, T] matrix at rows and keys [from, from + n). */
export function subMatrix(m: Float32Array, T: number, from: number, n: number): Float32Array {
  const out = new Float32Array(n * n); // [n, n]
  for (let q = 0; q < n; q++) out.set(m.subarray((from + q) * T + from, (from + q) * T + from + n), q * n);
  return out;
}
