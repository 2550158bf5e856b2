/**
 * The BPE merge loop shared by every BPE tokenizer in the engine: repeatedly merge the
 * adjacent pair with the lowest rank; among equal ranks the leftmost pair goes first
 * (tiktoken `byte_pair_merge`, Hugging Face `Word::merge_all`).
 *
 * Two strategies, chosen by length (the trade-off, as in tiktoken's `lib.rs`):
 * - short pieces (the common case, ≤ {@link SHORT_PIECE} symbols): rescan the array for
 *   the minimum after each merge. O(n²) but tiny n, no allocation beyond the array.
 * - long pieces (100 KB of `a`, a minified file): a binary min-heap of candidate pairs
 *   keyed by (rank, position) over a doubly linked list of symbols. Each merge removes
 *   one symbol and pushes at most two new candidates, so the whole piece costs
 *   O(n log n); stale heap entries are skipped by a per-position version number
 *   (lazy deletion) instead of being searched for.
 */

/** How two adjacent symbols merge. Symbols are integer ids. */
export interface MergeTable {
  /** Rank of merging `left` then `right`, lower merges first; -1 when they do not merge. */
  pairRank(left: number, right: number): number;
  /** The id of the symbol that merging `left`,`right` at `rank` produces. */
  mergedId(left: number, right: number, rank: number): number;
}

/** Called once per merge, in order, when a trace is wanted. */
export type MergeObserver = (left: number, right: number, merged: number, rank: number) => void;

/**
 * The multiplier of a collision-free numeric pair key `left · span + right` for ids below
 * `idCount`: the key is unique as long as right < span, and exact in a double while
 * span² ≤ 2^53. A fixed 2^21 (as before) made ids ≥ 2,097,152 collide: (0, 2^21) and
 * (1, 0) had the same key, so a vocabulary with id 2,097,152 merged the wrong pair.
 */
export function pairKeySpan(idCount: number, what: () => string): number {
  const span = Math.max(1, idCount);
  if (span * span > Number.MAX_SAFE_INTEGER) throw new RangeError(`${what()}: id ${idCount - 1} is not below ${MAX_PAIR_KEY_IDS}, the most ids BPE pair keys support`);
  return span;
}

/** ids below this fit {@link pairKeySpan}'s keys: ⌊√(2^53 − 1)⌋. */
export const MAX_PAIR_KEY_IDS = Math.floor(Math.sqrt(Number.MAX_SAFE_INTEGER));

export const SHORT_PIECE = 48;

/**
 * Merge `symbols` (modified in place for short pieces) and return the final ids.
 * Example with GPT-2 ranks: bytes of `" lower"` → `Ġ l o w e r` → … → `Ġlower` (one id).
 * When `starts` is given it receives, per final id, the index of its first initial symbol.
 */
export function bpeMerge(symbols: number[], table: MergeTable, observe?: MergeObserver, starts?: number[]): number[] {
  if (symbols.length < 2) { if (symbols.length === 1) starts?.push(0); return symbols; }
  return symbols.length <= SHORT_PIECE ? mergeByScan(symbols, table, observe, starts) : mergeByHeap(symbols, table, observe, starts);
}

function mergeByScan(parts: number[], table: MergeTable, observe?: MergeObserver, starts?: number[]): number[] {
  if (starts) for (let i = 0; i < parts.length; i++) starts.push(i);
  const ranks: number[] = new Array(parts.length - 1);
  for (let i = 0; i < parts.length - 1; i++) ranks[i] = table.pairRank(parts[i], parts[i + 1]);
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < ranks.length; i++) {
      const r = ranks[i];
      if (r >= 0 && r < bestRank) { bestRank = r; best = i; }
    }
    if (best < 0) return parts;
    const left = parts[best], right = parts[best + 1];
    const merged = table.mergedId(left, right, bestRank);
    observe?.(left, right, merged, bestRank);
    parts[best] = merged;
    parts.splice(best + 1, 1);
    starts?.splice(best + 1, 1);
    ranks.splice(best, 1);
    if (best > 0) ranks[best - 1] = table.pairRank(parts[best - 1], merged);
    if (best < parts.length - 1) ranks[best] = table.pairRank(merged, parts[best + 1]);
  }
}

/** Heap keys pack (rank, position) into one exact double: rank · 2^32 + position. */
const POSITION_SPAN = 2 ** 32;

function mergeByHeap(symbols: number[], table: MergeTable, observe?: MergeObserver, starts?: number[]): number[] {
  const n = symbols.length;
  const ids = Int32Array.from(symbols); // [n] current symbol at each live position
  const next = new Int32Array(n);       // [n] next live position, -1 at the end
  const prev = new Int32Array(n);       // [n] previous live position, -1 at the start
  const version = new Int32Array(n);    // [n] bumped whenever the pair starting here changes
  for (let i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; }
  const heap = new MinHeap(n);
  const push = (pos: number) => {
    const nx = next[pos];
    if (nx < 0) return;
    const r = table.pairRank(ids[pos], ids[nx]);
    if (r >= 0) heap.push(r * POSITION_SPAN + pos, version[pos]);
  };
  for (let i = 0; i < n - 1; i++) {
    const r = table.pairRank(ids[i], ids[i + 1]);
    if (r >= 0) heap.append(r * POSITION_SPAN + i, 0);
  }
  heap.heapify(); // O(n), instead of n pushes at O(log n) each
  while (heap.size > 0) {
    const key = heap.topKey(), ver = heap.topVersion();
    heap.pop();
    const pos = key % POSITION_SPAN;
    if (version[pos] !== ver || ids[pos] < 0) continue; // stale entry
    const rank = (key - pos) / POSITION_SPAN;
    const right = next[pos];
    const merged = table.mergedId(ids[pos], ids[right], rank);
    observe?.(ids[pos], ids[right], merged, rank);
    ids[pos] = merged;
    ids[right] = -1;
    const after = next[right];
    next[pos] = after;
    if (after >= 0) prev[after] = pos;
    version[pos]++;
    push(pos);
    const before = prev[pos];
    if (before >= 0) { version[before]++; push(before); }
  }
  const out: number[] = [];
  for (let p = 0; p >= 0; p = next[p]) { out.push(ids[p]); starts?.push(p); }
  return out;
}

/** A binary min-heap of (key, version) pairs in typed arrays; grows on demand. */
class MinHeap {
  private keys: Float64Array;
  private versions: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.versions = new Int32Array(this.keys.length);
  }

  topKey(): number { return this.keys[0]; }

  /** Add without ordering; call heapify() before the first pop. */
  append(key: number, ver: number): void {
    if (this.size === this.keys.length) this.grow();
    this.keys[this.size] = key; this.versions[this.size] = ver; this.size++;
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i, this.keys[i], this.versions[i], this.size);
  }
  topVersion(): number { return this.versions[0]; }

  push(key: number, ver: number): void {
    if (this.size === this.keys.length) this.grow();
    let i = this.size++;
    const keys = this.keys, vers = this.versions;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent]; vers[i] = vers[parent];
      i = parent;
    }
    keys[i] = key; vers[i] = ver;
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    this.siftDown(0, this.keys[last], this.versions[last], last);
  }

  private siftDown(start: number, key: number, ver: number, last: number): void {
    const keys = this.keys, vers = this.versions;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= key) break;
      keys[i] = keys[child]; vers[i] = vers[child];
      i = child;
    }
    keys[i] = key; vers[i] = ver;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const vers = new Int32Array(keys.length);
    vers.set(this.versions);
    this.keys = keys; this.versions = vers;
  }
}
