/**
 * A pipeline's tokens as columns of int32 (id, start, end), 12 bytes a token instead of
 * a Token object each: 5 MB of text through Llama 2 is 2 M tokens, well over 100 MB as
 * objects (and as many again as the model's own token objects). The few rows that are
 * added tokens matched in the text keep which one in a map. Tokens are made from a row
 * only when someone reads them (PipelineTokenizer.tokenStream).
 */
export class TokenColumns {
  ids = new Int32Array(1024);
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  /** Row → index into the tokenizer's added tokens, for rows that are an added token matched in the text. */
  readonly added = new Map<number, number>();
  length = 0;

  /** `added`: the index of the added token the row is, or -1 for a model token. */
  push(id: number, start: number, end: number, added: number): void {
    if (this.length === this.ids.length) this.grow();
    const i = this.length++;
    this.ids[i] = id; this.starts[i] = start; this.ends[i] = end;
    if (added >= 0) this.added.set(i, added);
  }

  /** The added token index of row `i`, or -1. */
  addedAt(i: number): number { return this.added.get(i) ?? -1; }

  /** By half again, not double: the last growth of 2 M rows holds both copies at once. */
  private grow(): void {
    const cap = Math.ceil(this.ids.length * 1.5);
    const more = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
    this.ids = more(this.ids); this.starts = more(this.starts); this.ends = more(this.ends);
  }
}
