/**
 * A string that remembers, for every UTF-16 unit, which span of the original text it
 * came from — the engine's version of Hugging Face tokenizers' `NormalizedString`. Every
 * normalizer and pre-tokenizer rewrites text through it, so final token offsets always
 * point into the user's original text, whatever lowercasing, accent stripping or
 * byte-level mapping happened on the way.
 */

export class NormalizedString {
  /**
   * @param text the current (normalized) text
   * @param starts [text.length] original start offset of each unit
   * @param ends   [text.length] original end offset of each unit
   */
  constructor(readonly text: string, readonly starts: Int32Array, readonly ends: Int32Array) {}

  /** Identity alignment, shifted by `base` (the segment's offset in the full input). */
  static from(text: string, base = 0): NormalizedString {
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const pair = c >= 0xd800 && c < 0xdc00 && i + 1 < text.length;
      starts[i] = base + i; ends[i] = base + i + (pair ? 2 : 1);
      if (pair) { starts[i + 1] = base + i; ends[i + 1] = base + i + 2; i++; }
    }
    return new NormalizedString(text, starts, ends);
  }

  get length(): number { return this.text.length; }

  /**
   * Rewrite code point by code point: `fn` returns the replacement (possibly empty or
   * several characters); every replacement unit keeps the original span of its source.
   * Example: lowercase `"Ab"` → `"ab"`, CJK padding `"好"` → `" 好 "`.
   */
  mapCodePoints(fn: (cp: string) => string): NormalizedString {
    let text = '';
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < this.text.length; ) {
      const cp = String.fromCodePoint(this.text.codePointAt(i)!);
      const s = this.starts[i], e = this.ends[i + cp.length - 1];
      const rep = fn(cp);
      text += rep;
      for (let k = 0; k < rep.length; k++) { starts.push(s); ends.push(e); }
      i += cp.length;
    }
    return new NormalizedString(text, Int32Array.from(starts), Int32Array.from(ends));
  }

  /**
   * Rewrite cluster by cluster (a base character and the combining marks after it), for
   * Unicode normalization forms where marks compose with their base: NFC of `e` + U+0301
   * → `é`, aligned to both original units.
   */
  mapClusters(fn: (cluster: string) => string): NormalizedString {
    let text = '';
    const starts: number[] = [];
    const ends: number[] = [];
    for (const m of this.text.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) {
      const from = m.index!, to = from + m[0].length;
      const rep = fn(m[0]);
      text += rep;
      for (let k = 0; k < rep.length; k++) { starts.push(this.starts[from]); ends.push(this.ends[to - 1]); }
    }
    return new NormalizedString(text, Int32Array.from(starts), Int32Array.from(ends));
  }

  /** The part [from, to) in normalized units, alignments kept. */
  slice(from: number, to: number): NormalizedString {
    return new NormalizedString(this.text.slice(from, to), this.starts.slice(from, to), this.ends.slice(from, to));
  }

  concat(other: NormalizedString): NormalizedString {
    const starts = new Int32Array(this.length + other.length);
    starts.set(this.starts); starts.set(other.starts, this.length);
    const ends = new Int32Array(this.length + other.length);
    ends.set(this.ends); ends.set(other.ends, this.length);
    return new NormalizedString(this.text + other.text, starts, ends);
  }

  /** Prepend `s`, aligned to the first unit (or to `fallback` when empty). */
  prepend(s: string, fallback = 0): NormalizedString {
    const at = this.length > 0 ? this.starts[0] : fallback;
    const atEnd = this.length > 0 ? this.ends[0] : fallback;
    const head = new NormalizedString(s, new Int32Array(s.length).fill(at), new Int32Array(s.length).fill(atEnd));
    return head.concat(this);
  }

  /** Original span of normalized units [from, to); empty spans collapse onto `from`. */
  originalSpan(from: number, to: number): [number, number] {
    if (this.length === 0) return [0, 0];
    if (to <= from) { const p = from < this.length ? this.starts[from] : this.ends[this.length - 1]; return [p, p]; }
    return [this.starts[from], this.ends[to - 1]];
  }
}
