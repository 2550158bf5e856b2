/**
 * A tokenizer assembled from pipeline stages, as Hugging Face tokenizers are:
 * added tokens → normalizer → pre-tokenizer → model → post-processor (→ decoder).
 * Built from a `tokenizer.json` (loadTokenizerJson.ts) or in code (bertUncased.ts).
 */
import { UNICODE_TO_BYTE, wellFormed } from '../byteLevel';
import type { EncodeOptions, EncodeTrace, PieceTrace, StageTrace, Token, Tokenizer } from '../types';
import { NO_STAGE, SPECIALS_NOT_ADDED } from '../types';
import { AddedToken, splitOnAddedTokens } from './addedTokens';
import { byteSymbolText } from './byteSymbols';
import type { Decoder } from './decoders';
import type { Model } from './models';
import { NormalizedString } from './normalizedString';
import type { Normalizer } from './normalizers';
import type { PostProcessor } from './postProcessors';
import type { PreTokenizer } from './preTokenizers';
import { TokenColumns } from './tokenColumns';

export interface PipelineParts {
  name: string;
  normalizer?: Normalizer;
  preTokenizer?: PreTokenizer;
  model: Model;
  postProcessor?: PostProcessor;
  decoder?: Decoder;
  addedTokens: AddedToken[];
}

/** Characters per chunk when tokenStream encodes a long text piecewise. */
const STREAM_CHUNK = 1 << 14;

interface SequenceResult { tokens: Token[]; pieces: PieceTrace[]; normalized: string }

export class PipelineTokenizer implements Tokenizer {
  readonly name: string;
  readonly kind: Tokenizer['kind'];
  readonly vocabSize: number;
  readonly defaultSpecialTokens = 'match' as const;
  private readonly byteLevel: boolean;
  private readonly addedById: Map<number, AddedToken>;
  private readonly addedByText: Map<string, AddedToken>;
  private readonly addedIndex: Map<AddedToken, number>;

  constructor(readonly parts: PipelineParts) {
    this.name = parts.name;
    this.byteLevel = parts.preTokenizer?.byteLevel === true;
    this.kind = parts.model.kind === 'bpe' && this.byteLevel ? 'byte-bpe' : parts.model.kind;
    this.addedById = new Map(parts.addedTokens.map((t) => [t.id, t]));
    this.addedByText = new Map(parts.addedTokens.map((t) => [t.content, t]));
    this.addedIndex = new Map(parts.addedTokens.map((t, i) => [t, i]));
    let max = -1;
    for (const id of parts.model.vocab.values()) if (id > max) max = id;
    for (const t of parts.addedTokens) if (t.id > max) max = t.id;
    this.vocabSize = max + 1;
  }

  encode(text: string, options?: EncodeOptions): number[] {
    if (options?.pair !== undefined) return this.run(text, options, false).tokens.map((t) => t.id);
    const ids: number[] = [];
    for (const t of this.columnStream(wellFormed(text), options)) ids.push(t.id);
    return ids;
  }

  encodeTokens(text: string, options?: EncodeOptions): Token[] {
    return this.run(text, options, false).tokens;
  }

  encodeWithTrace(text: string, options?: EncodeOptions): EncodeTrace {
    return this.run(text, options, true);
  }

  /**
   * The tokens one at a time. Long single texts are encoded in chunks of about
   * STREAM_CHUNK characters, cut just after a whitespace character, when that cannot
   * change a token: the pre-tokenizer splits on whitespace (BERT, Whitespace,
   * WhitespaceSplit), the normalizer works character by character (BertNormalizer,
   * Lowercase, StripAccents, NFC/NFD/NFKC/NFKD), and no added token holds whitespace or
   * strips it. The post-processor's tokens come from running it on one stand-in token:
   * what it puts before and after, and the type id it gives. Anything else (byte-level
   * regexes that join whitespace runs, Metaspace's prefix, pairs) is encoded whole and
   * then handed out: a 5 MB file through bert-base-uncased peaks near 1.5 GB that way
   * and under 300 MB in chunks.
   */
  *tokenStream(text: string, options?: EncodeOptions, chunkSize = STREAM_CHUNK): Generator<Token> {
    if (options?.pair !== undefined) { yield* this.run(text, options, false).tokens; return; }
    if (text.length <= chunkSize || !this.chunkSafe()) { yield* this.columnStream(wellFormed(text), options); return; }
    const whole = wellFormed(text);
    const matchSpecial = (options?.specialTokens ?? this.defaultSpecialTokens) === 'match';
    const add = options?.addSpecialTokens ?? true;
    const standIn: Token = { id: -1, text: '', bytes: [], start: 0, end: 0, special: false };
    const template = this.parts.postProcessor ? this.parts.postProcessor.process([standIn], undefined, add, { a: '' }) : [standIn];
    const at = template.findIndex((t) => t.id === -1);
    const typeId = template[at].typeId;
    yield* template.slice(0, at);
    for (let from = 0; from < whole.length;) {
      let to = Math.min(whole.length, from + chunkSize);
      while (to < whole.length && !/\s/.test(whole[to - 1])) to++;
      for (const t of this.encodeSequence(whole.slice(from, to), matchSpecial, false).tokens) {
        yield { ...t, start: t.start + from, end: t.end + from, ...(typeId !== undefined ? { typeId } : {}) };
      }
      from = to;
    }
    yield* template.slice(at + 1);
  }

  /**
   * One sequence encoded whole into TokenColumns, its tokens made one at a time as they are
   * read, with what the post-processor puts around them (from a stand-in token, as in the
   * chunked path) and does to each (type id, trimmed offsets: process() on that token alone,
   * adding nothing). A template that names the sequence more than once is run whole.
   */
  private *columnStream(text: string, options: EncodeOptions | undefined): Generator<Token> {
    const matchSpecial = (options?.specialTokens ?? this.defaultSpecialTokens) === 'match';
    const add = options?.addSpecialTokens ?? true;
    const post = this.parts.postProcessor;
    const standIn: Token = { id: -1, text: '', bytes: [], start: 0, end: 0, special: false };
    const template = post ? post.process([{ ...standIn }], undefined, add, { a: '' }) : [standIn];
    const at = template.findIndex((t) => t.id === -1);
    if (post && (at < 0 || template.filter((t) => t.id === -1).length !== 1 || post.process([{ ...standIn }], undefined, false, { a: '' }).length !== 1)) {
      yield* this.run(text, options, false).tokens;
      return;
    }
    const cols = this.encodeColumns(text, matchSpecial);
    yield* template.slice(0, at);
    const original = { a: text };
    for (let i = 0; i < cols.length; i++) {
      const t = this.rowToken(cols, i);
      yield post ? post.process([t], undefined, false, original)[0] : t;
    }
    yield* template.slice(at + 1);
  }

  /** Row `i` as the Token encodeSequence makes for it. */
  private rowToken(cols: TokenColumns, i: number): Token {
    const id = cols.ids[i], a = cols.addedAt(i);
    if (a >= 0) {
      const t = this.parts.addedTokens[a];
      return { id, text: t.content, bytes: [...new TextEncoder().encode(t.content)], start: cols.starts[i], end: cols.ends[i], special: t.special };
    }
    const value = this.parts.model.idToToken(id)!;
    return { id, text: value, bytes: this.tokenBytes(value), start: cols.starts[i], end: cols.ends[i], special: this.addedById.get(id)?.special ?? false };
  }

  /** encodeSequence's tokens, untraced, as columns: the model hands its tokens over one at a time. */
  private encodeColumns(text: string, matchSpecial: boolean): TokenColumns {
    const cols = new TokenColumns();
    for (const seg of splitOnAddedTokens(text, this.parts.addedTokens, matchSpecial)) {
      if (seg.added) { cols.push(seg.added.id, seg.start, seg.start + seg.text.length, this.addedIndex.get(seg.added)!); continue; }
      let ns = NormalizedString.from(seg.text, seg.start);
      if (this.parts.normalizer) ns = this.parts.normalizer.normalize(ns);
      if (this.byteLevelColumns(ns, cols)) continue;
      const split = this.parts.preTokenizer ? this.parts.preTokenizer.split([ns]) : [ns];
      ns = undefined as unknown as NormalizedString; // the pieces hold what they need
      for (let k = 0; k < split.length; k++) {
        const piece = split[k];
        split[k] = undefined as unknown as NormalizedString; // done with: let it go while the rest runs
        const n = piece.length;
        if (n === 0) continue;
        const starts = piece.starts, ends = piece.ends;
        // piece.originalSpan(from, to), without an array per token
        this.parts.model.tokenizeInto(piece.text, (id, from, to) => {
          if (to <= from) { const p = from < n ? starts[from] : ends[n - 1]; cols.push(id, p, p, -1); }
          else cols.push(id, starts[from], ends[to - 1], -1);
        });
      }
    }
    return cols;
  }

  /**
   * encodeColumns' pieces for a byte-level pre-tokenizer that can cut text alone (splitText,
   * as the ids-only path uses): each piece's byte symbols and their offsets made as the model
   * reads it, not a NormalizedString with two alignment arrays per piece for all the pieces
   * at once (Llama 3 on 5 MB: 1.3 M pieces, over 1 GB). The stages' cuts (splitBounds) where
   * they give them, so only one piece's text exists at a time; else the piece texts, where they
   * tile the normalized text, checked first (ByteLevel's added prefix space does not): false,
   * and nothing added, otherwise.
   */
  private byteLevelColumns(ns: NormalizedString, cols: TokenColumns): boolean {
    const pre = this.parts.preTokenizer;
    if (!this.byteLevel || !pre?.splitText) return false;
    // the cuts alone where the stages give them (the pieces sliced one at a time), else the piece texts
    const bounds = pre.splitBounds?.(ns.text);
    const texts = bounds ? undefined : pre.splitText([ns.text]);
    let pos = 0;
    if (bounds) { if ((bounds.length ? bounds[bounds.length - 1] : 0) !== ns.length) return false; }
    else {
      for (const t of texts!) { if (!ns.text.startsWith(t, pos)) return false; pos += t.length; }
      if (pos !== ns.length) return false;
    }
    const starts = ns.starts, ends = ns.ends;
    let symStart = new Int32Array(64), symEnd = new Int32Array(64); // [symbols] unit span in the piece of each byte symbol's code point
    pos = 0;
    const count = bounds ? bounds.length : texts!.length;
    for (let k = 0; k < count; k++) {
      const t = bounds ? ns.text.slice(pos, bounds[k]) : texts![k];
      const n = t.length, at = pos;
      pos += n;
      if (n === 0) continue;
      const symbols = byteSymbolText(t);
      if (symbols === t) { // printable ASCII: a symbol per unit, as toByteSymbols leaves it
        this.parts.model.tokenizeInto(t, (id, from, to) => {
          if (to <= from) { const p = from < n ? starts[at + from] : ends[at + n - 1]; cols.push(id, p, p, -1); }
          else cols.push(id, starts[at + from], ends[at + to - 1], -1);
        });
        continue;
      }
      if (symStart.length < symbols.length) { symStart = new Int32Array(symbols.length * 2); symEnd = new Int32Array(symbols.length * 2); }
      // toByteSymbols' alignment: every byte of a code point spans the code point's units
      for (let i = 0, o = 0; i < n;) {
        const c = t.charCodeAt(i);
        const w = c >= 0xd800 && c < 0xdc00 && i + 1 < n && (t.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
        const bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : w === 2 ? 4 : 3;
        for (let k = 0; k < bytes; k++, o++) { symStart[o] = i; symEnd[o] = i + w; }
        i += w;
      }
      const m = symbols.length, ss = symStart, se = symEnd;
      this.parts.model.tokenizeInto(symbols, (id, from, to) => {
        if (to <= from) { const p = from < m ? starts[at + ss[from]] : ends[at + se[m - 1] - 1]; cols.push(id, p, p, -1); }
        else cols.push(id, starts[at + ss[from]], ends[at + se[to - 1] - 1], -1);
      });
    }
    return true;
  }

  /** Whether cutting the text after whitespace leaves every token as it is (see tokenStream). */
  private chunkSafe(): boolean {
    const pre = this.parts.preTokenizer?.name ?? '';
    const norm = this.parts.normalizer?.name;
    return /^(BertPreTokenizer\(|Whitespace$|WhitespaceSplit$)/.test(pre)
      && (norm === undefined || norm.split(' → ').every((n) => /^(BertNormalizer\(.*\)|Lowercase|StripAccents|NFC|NFD|NFKC|NFKD)$/.test(n)))
      && this.parts.addedTokens.every((t) => !t.lstrip && !t.rstrip && !/\s/.test(t.content));
  }

  private run(input: string, options: EncodeOptions | undefined, withTrace: boolean): EncodeTrace {
    const text = wellFormed(input);
    const matchSpecial = (options?.specialTokens ?? this.defaultSpecialTokens) === 'match';
    const a = this.encodeSequence(text, matchSpecial, withTrace);
    const pairText = options?.pair !== undefined ? wellFormed(options.pair) : undefined;
    const b = pairText !== undefined ? this.encodeSequence(pairText, matchSpecial, withTrace) : undefined;
    if (b) { // offsets of b point into the pair text: say so on every token of both
      for (const t of a.tokens) t.sequence = 0;
      for (const t of b.tokens) t.sequence = 1;
    }
    const add = options?.addSpecialTokens ?? true;
    const tokens = this.parts.postProcessor
      ? this.parts.postProcessor.process(a.tokens, b?.tokens, add, { a: text, b: pairText })
      : [...a.tokens, ...(b?.tokens ?? []).map((t) => ({ ...t, typeId: 1 }))];
    const stages: StageTrace[] = [
      { stage: 'normalize', ...(this.parts.normalizer ? { name: this.parts.normalizer.name } : NO_STAGE) },
      { stage: 'pre-tokenize', ...(this.parts.preTokenizer ? { name: this.parts.preTokenizer.name } : NO_STAGE) },
      { stage: 'model', name: this.parts.model.name },
      { stage: 'post-process', ...(this.parts.postProcessor ? { name: this.parts.postProcessor.name } : NO_STAGE), ...(add ? {} : SPECIALS_NOT_ADDED) },
    ];
    return { tokenizer: this.name, stages, normalized: a.normalized, pieces: [...a.pieces, ...(b?.pieces ?? [])], tokens };
  }

  private encodeSequence(text: string, matchSpecial: boolean, withTrace: boolean): SequenceResult {
    const tokens: Token[] = [];
    const pieces: PieceTrace[] = [];
    let normalized = '';
    for (const seg of splitOnAddedTokens(text, this.parts.addedTokens, matchSpecial)) {
      if (seg.added) {
        const t = seg.added;
        tokens.push({ id: t.id, text: t.content, bytes: [...new TextEncoder().encode(t.content)], start: seg.start, end: seg.start + seg.text.length, special: t.special });
        if (withTrace) pieces.push({ text: seg.text, start: seg.start, end: seg.start + seg.text.length, special: true, tokenIds: [t.id] });
        normalized += t.content;
        continue;
      }
      let ns = NormalizedString.from(seg.text, seg.start);
      if (this.parts.normalizer) ns = this.parts.normalizer.normalize(ns);
      normalized += ns.text;
      const split = this.parts.preTokenizer ? this.parts.preTokenizer.split([ns]) : [ns];
      for (const piece of split) {
        if (piece.length === 0) continue;
        const [start, end] = piece.originalSpan(0, piece.length);
        const trace: PieceTrace | undefined = withTrace ? { text: piece.text, start, end, tokenIds: [] } : undefined;
        if (trace && this.byteLevel) {
          trace.byteSymbols = [...piece.text];
          trace.bytes = trace.byteSymbols.map((c) => UNICODE_TO_BYTE.get(c) ?? 0);
          trace.text = text.slice(start, end);
        }
        for (const mt of this.parts.model.tokenize(piece.text, trace)) {
          const [s, e] = piece.originalSpan(mt.from, mt.to);
          tokens.push({ id: mt.id, text: mt.value, bytes: this.tokenBytes(mt.value), start: s, end: e, special: this.addedById.get(mt.id)?.special ?? false });
          trace?.tokenIds.push(mt.id);
        }
        if (trace) pieces.push(trace);
      }
    }
    return { tokens, pieces, normalized };
  }

  /** Token value → its bytes, shared by every token with that value (one TextEncoder call per value, not per token). */
  private readonly bytesByValue = new Map<string, number[]>();

  private tokenBytes(value: string): number[] {
    let bytes = this.bytesByValue.get(value);
    if (bytes === undefined) {
      bytes = this.computeTokenBytes(value);
      if (this.bytesByValue.size < 500_000) this.bytesByValue.set(value, bytes);
    }
    return bytes;
  }

  private computeTokenBytes(value: string): number[] {
    if (this.byteLevel) {
      const out: number[] = [];
      for (const ch of value) { const b = UNICODE_TO_BYTE.get(ch); if (b === undefined) return [...new TextEncoder().encode(value)]; out.push(b); }
      return out;
    }
    return [...new TextEncoder().encode(value)];
  }

  decode(ids: readonly number[], skipSpecialTokens = false): string {
    const strings: string[] = [];
    for (const id of ids) {
      const added = this.addedById.get(id);
      if (added?.special && skipSpecialTokens) continue;
      const s = added?.content ?? this.parts.model.idToToken(id);
      if (s === undefined) throw new RangeError(`${this.name}: no token has id ${id}`);
      strings.push(s);
    }
    return this.parts.decoder ? this.parts.decoder(strings).join('') : strings.join('');
  }

  idToToken(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.parts.model.idToToken(id);
  }

  tokenToId(token: string): number | undefined {
    return this.addedByText.get(token)?.id ?? this.parts.model.vocab.get(token);
  }
}
