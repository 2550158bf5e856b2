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
   * Runs that `fn` leaves as they are are copied in one slice (most text, for lowercase or
   * Metaspace), and a text left wholly as it is comes back as the same object.
   */
  mapCodePoints(fn: (cp: string) => string): NormalizedString {
    const src = this.text, n = src.length;
    const out = new AlignedBuilder(this);
    let run = 0; // start of the run of unchanged units not yet copied
    for (let i = 0; i < n; ) {
      const c = src.charCodeAt(i);
      const w = c >= 0xd800 && c < 0xdc00 && i + 1 < n && (src.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      const cp = w === 1 ? src[i] : src.slice(i, i + 2);
      const rep = fn(cp);
      if (rep !== cp) {
        out.copy(run, i);
        out.add(rep, this.starts[i], this.ends[i + w - 1]);
        run = i + w;
      }
      i += w;
    }
    if (!out.changed) return this;
    out.copy(run, n);
    return out.build();
  }

  /**
   * Rewrite cluster by cluster (a base character and the combining marks after it), for
   * Unicode normalization forms where marks compose with their base: NFC of `e` + U+0301
   * → `é`, aligned to both original units. An ASCII character not followed by a mark
   * (U+0300 and up) is its own cluster and stable under every form: it is not matched or
   * normalized, only copied with its run.
   */
  mapClusters(fn: (cluster: string) => string): NormalizedString {
    const src = this.text, n = src.length;
    const cluster = /\P{M}\p{M}*|\p{M}+/suy; // sticky: matches at every position, tiling the text
    const out = new AlignedBuilder(this);
    let run = 0;
    for (let i = 0; i < n; ) {
      if (src.charCodeAt(i) < 0x80 && (i + 1 === n || src.charCodeAt(i + 1) < 0x300)) { i++; continue; }
      cluster.lastIndex = i;
      const m = cluster.exec(src)!;
      const to = i + m[0].length;
      const rep = fn(m[0]);
      if (rep !== m[0]) {
        out.copy(run, i);
        out.add(rep, this.starts[i], this.ends[to - 1]);
        run = to;
      }
      i = to;
    }
    if (!out.changed) return this;
    out.copy(run, n);
    return out.build();
  }

  /** The part [from, to) in normalized units, alignments kept. */
  slice(from: number, to: number): NormalizedString {
    // Views, not copies: pieces are read, never written, and a copy per piece was much of the garbage.
    return new NormalizedString(this.text.slice(from, to), this.starts.subarray(from, to), this.ends.subarray(from, to));
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

/**
 * Builds a rewritten NormalizedString: its text from slices of the source and
 * replacements (joined once), its alignments in typed arrays that grow by doubling.
 */
class AlignedBuilder {
  private readonly parts: string[] = [];
  private starts: Int32Array;
  private ends: Int32Array;
  private size = 0;
  changed = false;

  constructor(private readonly source: NormalizedString) {
    this.starts = this.ends = new Int32Array(0); // allocated at the first change
  }

  private reserve(extra: number): void {
    if (this.size + extra <= this.starts.length) return;
    const cap = Math.max(this.size + extra, this.starts.length * 2, this.source.length, 16);
    const s = new Int32Array(cap); s.set(this.starts.subarray(0, this.size)); this.starts = s;
    const e = new Int32Array(cap); e.set(this.ends.subarray(0, this.size)); this.ends = e;
  }

  /** Source units [from, to) as they are. */
  copy(from: number, to: number): void {
    if (to <= from) return;
    this.reserve(to - from);
    this.parts.push(this.source.text.slice(from, to));
    this.starts.set(this.source.starts.subarray(from, to), this.size);
    this.ends.set(this.source.ends.subarray(from, to), this.size);
    this.size += to - from;
  }

  /** `text`, every unit aligned to the original span [start, end). */
  add(text: string, start: number, end: number): void {
    this.changed = true;
    if (text.length === 0) return;
    this.reserve(text.length);
    this.parts.push(text);
    this.starts.fill(start, this.size, this.size + text.length);
    this.ends.fill(end, this.size, this.size + text.length);
    this.size += text.length;
  }

  build(): NormalizedString {
    // a view when little is unused: copying the alignments of a 5 MB text at the end was a third of its peak
    const view = this.size * 4 >= this.starts.length * 3;
    const cut = (a: Int32Array) => (view ? a.subarray(0, this.size) : a.slice(0, this.size));
    return new NormalizedString(this.parts.join(''), cut(this.starts), cut(this.ends));
  }
}
