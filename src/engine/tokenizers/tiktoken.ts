/**
 * tiktoken-style byte-level BPE (GPT-2 `r50k_base`, `p50k_base`, `cl100k_base`,
 * `o200k_base`): split the text with the encoding's regex, UTF-8 encode each piece, then
 * merge byte symbols by rank, where a token's rank is its id (openai/tiktoken `lib.rs`).
 *
 * Speed (see bench/): a piece that is itself a token is found by one Map lookup on its
 * text, without encoding it; other pieces are merged once and cached by text. Merging
 * is linear-ish on long pieces (bpeMerge.ts). Rank maps are keyed by "binary strings"
 * (one char per byte), which V8 hashes and slices cheaply.
 */
import { bpeMerge, MergeTable, pairKeySpan } from './bpeMerge';
import { binaryToBytes, bytesToSymbols, byteToUtf16Spans, decodeUtf8, utf8Binary, wellFormed } from './byteLevel';
import { splitOnSpecialTokens } from './specialSplit';
import { referencePatternSource, stickyAlternatives, stickyMatchEnd } from './unicodePattern';
import type { EncodeOptions, EncodeTrace, PieceTrace, Token, Tokenizer } from './types';
import { NO_STAGE } from './types';

export interface TiktokenParams {
  name: string;
  /** The pre-tokenizer regex source (used with flags `gu`). */
  pattern: string;
  specialTokens: Record<string, number>;
}

/** Parse a `.tiktoken` rank file: one `base64(token bytes) rank` per line. */
export function parseTiktokenRanks(text: string, source = 'rank file'): string[] {
  const byRank: string[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.length === 0) continue;
    const space = line.indexOf(' ');
    const rank = Number(line.slice(space + 1));
    if (space <= 0 || !Number.isSafeInteger(rank) || rank < 0) {
      throw new Error(`${source}: line ${lineNo} is not "<base64> <rank>"`);
    }
    byRank[rank] = atob(line.slice(0, space));
  }
  return byRank;
}

/** Cached merges on top of the seeded whole tokens (≤ 200k tokens in o200k). */
const MAX_CACHE = 400_000;
const CACHE_PIECE_MAX = 256;
/** Longer pieces (in UTF-16 units) cannot be one token (the longest is ~128 bytes). */
const LONG_PIECE = 1024;
const encoder = new TextEncoder();
const MAX_PAIR_CACHE = 1_000_000;

/** tiktoken encodings have no sentence-pair template: a second text is an error, not silently dropped. */
function refusePair(name: string, options: EncodeOptions | undefined): void {
  if (options?.pair !== undefined) throw new RangeError(`${name} encodes one text at a time; sentence pairs need a tokenizer with a pair template (bert-base-uncased, or a tokenizer.json whose post-processor has one)`);
}

export class TiktokenTokenizer implements Tokenizer, MergeTable {
  readonly kind = 'byte-bpe' as const;
  readonly defaultSpecialTokens = 'plain' as const;
  readonly name: string;
  readonly vocabSize: number;
  /** The pattern as the encoding spells it (shown in traces); `regex` is it with explicit classes. */
  private readonly pattern: string;
  private readonly regex: RegExp;
  /** The same pattern, sticky, matched with test() so no match array is allocated (split by alternative past 19 KB). */
  private readonly stickyRegexes: RegExp[];
  /** rank → token bytes as a binary string (holes for unused ranks). */
  private readonly bytesByRank: string[];
  private readonly rankByBytes = new Map<string, number>();
  /** token text → rank, for tokens whose bytes are whole UTF-8 (the fast path). */
  private readonly rankByText = new Map<string, number>();
  private readonly specialByText: Map<string, number>;
  private readonly specialById: Map<number, string>;
  private readonly byteRank = new Int32Array(256);
  private readonly pairCache = new Map<number, number>();
  /** Pair keys are left · pairSpan + right, pairSpan = the number of ranks: collision-free (pairKeySpan). */
  private readonly pairSpan: number;
  /**
   * piece text → its ids: a number for a piece that is one token (seeded with every
   * token's text), an array once a piece has been merged. One lookup per piece.
   */
  private cache = new Map<string, number | number[]>();

  constructor(params: TiktokenParams, bytesByRank: string[]) {
    this.name = params.name;
    // tiktoken's classes (Rust regex tables), not the JavaScript runtime's: see unicodePattern.ts.
    const source = referencePatternSource(params.pattern, 'rust');
    this.pattern = params.pattern;
    this.regex = new RegExp(source, 'gu');
    this.stickyRegexes = stickyAlternatives(params.pattern, 'rust');
    this.bytesByRank = bytesByRank;
    this.pairSpan = pairKeySpan(bytesByRank.length, () => `${params.name}: rank file`);
    for (let rank = 0; rank < bytesByRank.length; rank++) {
      const bin = bytesByRank[rank];
      if (bin === undefined) continue;
      this.rankByBytes.set(bin, rank);
      const text = decodeUtf8(binaryToBytes(bin));
      if (!text.includes('\uFFFD') && utf8Binary(text) === bin) this.rankByText.set(text, rank);
    }
    this.cache = new Map(this.rankByText);
    this.byteRank.fill(-1);
    for (let b = 0; b < 256; b++) {
      const r = this.rankByBytes.get(String.fromCharCode(b));
      if (r === undefined) throw new Error(`${params.name}: rank file has no token for byte 0x${b.toString(16)}`);
      this.byteRank[b] = r;
    }
    this.specialByText = new Map(Object.entries(params.specialTokens));
    this.specialById = new Map([...this.specialByText].map(([t, id]) => [id, t]));
    let maxId = bytesByRank.length - 1;
    for (const id of this.specialById.keys()) if (id > maxId) maxId = id;
    this.vocabSize = maxId + 1;
  }

  /**
   * Rank of the token spelled by `left`'s bytes then `right`'s, or -1. Answers are kept
   * in a numeric-key Map: long pieces ask the same pairs again and again, and a number
   * key avoids building and hashing the concatenated byte string each time.
   */
  pairRank(left: number, right: number): number {
    const key = left * this.pairSpan + right;
    const hit = this.pairCache.get(key);
    if (hit !== undefined) return hit;
    const r = this.rankByBytes.get(this.bytesByRank[left] + this.bytesByRank[right]) ?? -1;
    if (this.pairCache.size >= MAX_PAIR_CACHE) this.pairCache.clear();
    this.pairCache.set(key, r);
    return r;
  }

  mergedId(_left: number, _right: number, rank: number): number {
    return rank;
  }

  encode(text: string, options?: EncodeOptions): number[] {
    refusePair(this.name, options);
    const out: number[] = [];
    for (const seg of this.segments(wellFormed(text), options)) {
      if (seg.special !== undefined) out.push(seg.special);
      else this.encodeOrdinaryInto(seg.text, out);
    }
    return out;
  }

  /**
   * The hot loop: regex pieces → one Map lookup (whole token or cached merge) → merge.
   * Every character belongs to some alternative of these patterns, so pieces are
   * contiguous and a sticky test() from the previous end finds the next one.
   */
  private encodeOrdinaryInto(text: string, out: number[]): void {
    let pos = 0;
    while (pos < text.length) {
      const end = this.pieceEnd(text, pos);
      const ids = this.pieceIds(text.slice(pos, end));
      pos = end;
      if (typeof ids === 'number') out.push(ids);
      else for (let i = 0; i < ids.length; i++) out.push(ids[i]);
    }
  }

  /** Where the regex piece starting at `pos` ends (a lone unmatched character is a piece). */
  private pieceEnd(text: string, pos: number): number {
    const end = stickyMatchEnd(this.stickyRegexes, text, pos);
    return end > pos ? end : pos + (text.codePointAt(pos)! > 0xffff ? 2 : 1);
  }

  /** A piece's ids: a number when it is one token (no array allocated), else its merge (cached). */
  private pieceIds(piece: string): number | readonly number[] {
    const hit = this.cache.get(piece);
    if (hit !== undefined) return hit;
    const ids = piece.length > LONG_PIECE ? this.mergeLongPiece(piece) : this.mergePiece(utf8Binary(piece));
    if (piece.length <= CACHE_PIECE_MAX) {
      if (this.cache.size >= MAX_CACHE) this.cache = new Map(this.rankByText);
      this.cache.set(piece, ids);
    }
    return ids;
  }

  /**
   * Pieces longer than any token skip the whole-token lookup and the binary string:
   * building a multi-megabyte string char by char is far slower than TextEncoder.
   */
  private mergeLongPiece(piece: string): number[] {
    const bytes = encoder.encode(piece);
    const symbols = new Array<number>(bytes.length);
    for (let i = 0; i < bytes.length; i++) symbols[i] = this.byteRank[bytes[i]];
    return bpeMerge(symbols, this);
  }

  private mergePiece(bin: string, observe?: (l: number, r: number, m: number, rank: number) => void): number[] {
    const whole = this.rankByBytes.get(bin);
    if (whole !== undefined && !observe) return [whole];
    const symbols = new Array<number>(bin.length);
    for (let i = 0; i < bin.length; i++) symbols[i] = this.byteRank[bin.charCodeAt(i)];
    return bpeMerge(symbols, this, observe);
  }

  private *segments(text: string, options?: EncodeOptions) {
    const mode = options?.specialTokens ?? this.defaultSpecialTokens;
    if (mode === 'plain' || this.specialByText.size === 0) {
      yield { text, start: 0, special: undefined as number | undefined };
      return;
    }
    yield* splitOnSpecialTokens(text, this.specialByText);
  }

  encodeTokens(text: string, options?: EncodeOptions): Token[] {
    return [...this.tokenStream(text, options)];
  }

  /**
   * The tokens one at a time, from encode()'s fast path (a piece that is a token is one
   * Map lookup, merges are cached) with offsets and bytes added; no merge trace is kept,
   * so a 5 MB file never holds its 1.6 M tokens or their traces at once.
   */
  *tokenStream(input: string, options?: EncodeOptions): Generator<Token> {
    refusePair(this.name, options);
    const text = wellFormed(input);
    for (const seg of this.segments(text, options)) {
      if (seg.special !== undefined) {
        yield { id: seg.special, text: seg.text, bytes: binaryToBytes(utf8Binary(seg.text)), start: seg.start, end: seg.start + seg.text.length, special: true };
        continue;
      }
      const t = seg.text;
      let pos = 0;
      while (pos < t.length) {
        const end = this.pieceEnd(t, pos);
        const piece = t.slice(pos, end);
        const start = seg.start + pos;
        pos = end;
        const ids = this.pieceIds(piece);
        if (typeof ids === 'number') { yield this.ordinaryToken(ids, start, start + piece.length); continue; }
        const spans = byteToUtf16Spans(piece);
        let b = 0;
        for (const id of ids) {
          const n = this.bytesByRank[id].length;
          yield this.ordinaryToken(id, start + spans.starts[b], start + spans.ends[b + n - 1]);
          b += n;
        }
      }
    }
  }

  private ordinaryToken(id: number, start: number, end: number): Token {
    const bytes = binaryToBytes(this.bytesByRank[id]);
    return { id, text: bytesToSymbols(bytes), bytes, rank: id, special: false, start, end };
  }

  encodeWithTrace(input: string, options?: EncodeOptions): EncodeTrace {
    refusePair(this.name, options);
    const text = wellFormed(input);
    const pieces: PieceTrace[] = [];
    const tokens: Token[] = [];
    for (const seg of this.segments(text, options)) {
      if (seg.special !== undefined) {
        const end = seg.start + seg.text.length;
        pieces.push({ text: seg.text, start: seg.start, end, special: true, tokenIds: [seg.special] });
        tokens.push({ id: seg.special, text: seg.text, bytes: binaryToBytes(utf8Binary(seg.text)), start: seg.start, end, special: true });
        continue;
      }
      const re = new RegExp(this.regex.source, 'gu');
      let m: RegExpExecArray | null;
      while ((m = re.exec(seg.text)) !== null) {
        const trace = this.tracePiece(m[0], seg.start + m.index);
        pieces.push(trace.piece);
        for (const t of trace.tokens) tokens.push(t); // not push(...): a 1 MB piece has 250k tokens
      }
    }
    return {
      tokenizer: this.name,
      stages: [
        { stage: 'normalize', ...NO_STAGE, detail: 'tiktoken encodings do not normalize', detailCode: 'tiktoken-no-normalize' },
        { stage: 'pre-tokenize', name: 'regex split', nameCode: 'regex-split', detail: this.pattern },
        { stage: 'model', name: 'byte-level BPE', nameCode: 'byte-level-bpe', detail: 'UTF-8 bytes merged by rank; a token id is its rank', detailCode: 'tiktoken-rank-is-id' },
        { stage: 'post-process', ...NO_STAGE },
      ],
      normalized: text,
      pieces,
      tokens,
    };
  }

  private tracePiece(piece: string, start: number): { piece: PieceTrace; tokens: Token[] } {
    const bin = utf8Binary(piece);
    const bytes = binaryToBytes(bin);
    const merges: PieceTrace['merges'] = [];
    const ids = this.mergePiece(bin, (l, r, merged, rank) => merges.push({
      left: bytesToSymbols(binaryToBytes(this.bytesByRank[l])),
      right: bytesToSymbols(binaryToBytes(this.bytesByRank[r])),
      merged: bytesToSymbols(binaryToBytes(this.bytesByRank[merged])),
      rank,
    }));
    const spans = byteToUtf16Spans(piece);
    const tokens: Token[] = [];
    let b = 0;
    for (const id of ids) {
      const tb = binaryToBytes(this.bytesByRank[id]);
      tokens.push({
        id, text: bytesToSymbols(tb), bytes: tb, rank: id, special: false,
        start: start + spans.starts[b], end: start + spans.ends[b + tb.length - 1],
      });
      b += tb.length;
    }
    return {
      piece: {
        text: piece, start, end: start + piece.length, bytes,
        byteSymbols: bytes.map((x) => bytesToSymbols([x])),
        initial: bytes.map((x) => bytesToSymbols([x])),
        merges, tokenIds: ids,
      },
      tokens,
    };
  }

  decode(ids: readonly number[]): string {
    return decodeUtf8(this.decodeBytes(ids));
  }

  decodeBytes(ids: readonly number[]): number[] {
    const out: number[] = [];
    for (const id of ids) {
      const bin = this.bytesByRank[id];
      if (bin !== undefined) { for (let i = 0; i < bin.length; i++) out.push(bin.charCodeAt(i)); continue; }
      const special = this.specialById.get(id);
      if (special === undefined) throw new RangeError(`${this.name}: no token has id ${id}`);
      const bin2 = utf8Binary(special);
      for (let i = 0; i < bin2.length; i++) out.push(bin2.charCodeAt(i));
    }
    return out;
  }

  idToToken(id: number): string | undefined {
    const bin = this.bytesByRank[id];
    return bin !== undefined ? bytesToSymbols(binaryToBytes(bin)) : this.specialById.get(id);
  }

  tokenToId(token: string): number | undefined {
    return this.specialByText.get(token) ?? this.rankByText.get(token);
  }

  isSpecial(id: number): boolean {
    return this.specialById.has(id);
  }
}
