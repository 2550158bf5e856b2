/**
 * A hash table from a pair of non-negative int32 ids (left, right) to an int32 value, in
 * typed arrays with open addressing (linear probing): BPE's merge ranks. A `Map` keyed by
 * `left · span + right` hashes a double once the key passes 2^30 (Gemma 3's 262k ids
 * squared does), which made rank lookups most of a long piece's merge time; this table
 * compares the two ids directly and never allocates after it is built.
 */
export class PairTable {
  private readonly lefts: Int32Array;  // [capacity] left id, -1 where the slot is empty
  private readonly rights: Int32Array; // [capacity] right id
  private readonly values: Int32Array; // [capacity] the value stored for the pair
  private readonly mask: number;
  private count = 0;

  /** Room for `expected` pairs at a load factor of at most ½. */
  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.lefts = new Int32Array(capacity).fill(-1);
    this.rights = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number { return this.count; }

  private slot(left: number, right: number): number {
    let h = Math.imul(left, 0x9e3779b1) ^ Math.imul(right ^ 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The value of (left, right), or -1. */
  get(left: number, right: number): number {
    const lefts = this.lefts, mask = this.mask;
    for (let i = this.slot(left, right); ; i = (i + 1) & mask) {
      const l = lefts[i];
      if (l === -1) return -1;
      if (l === left && this.rights[i] === right) return this.values[i];
    }
  }

  /** Store `value` unless the pair is there already (the first merge of a pair wins). */
  setIfAbsent(left: number, right: number, value: number): void {
    if ((this.count + 1) * 2 > this.lefts.length) throw new RangeError(`PairTable: more than ${this.lefts.length / 2} pairs`);
    const mask = this.mask;
    for (let i = this.slot(left, right); ; i = (i + 1) & mask) {
      const l = this.lefts[i];
      if (l === -1) { this.lefts[i] = left; this.rights[i] = right; this.values[i] = value; this.count++; return; }
      if (l === left && this.rights[i] === right) return;
    }
  }
}
