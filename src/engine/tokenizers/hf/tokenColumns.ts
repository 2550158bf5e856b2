/**
 * A pipeline's tokens as columns of int32 (id, start, end, which added token), 16 bytes a
 * token instead of a Token object each: 5 MB of text through Llama 2 is 1.5 M tokens,
 * about 100 MB as objects (and as many again as the model's own token objects). Tokens
 * are made from a row only when someone reads them (PipelineTokenizer.tokenStream).
 */
export class TokenColumns {
  ids = new Int32Array(1024);
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  /** Index into the tokenizer's added tokens when the row is an added token matched in the text, else -1. */
  added = new Int32Array(1024);
  length = 0;

  push(id: number, start: number, end: number, added: number): void {
    if (this.length === this.ids.length) this.grow();
    const i = this.length++;
    this.ids[i] = id; this.starts[i] = start; this.ends[i] = end; this.added[i] = added;
  }

  private grow(): void {
    const cap = this.ids.length * 2;
    const more = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
    this.ids = more(this.ids); this.starts = more(this.starts); this.ends = more(this.ends); this.added = more(this.added);
  }
}
