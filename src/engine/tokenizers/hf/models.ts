/**
 * The model stage: turn one pre-token into vocabulary tokens. Three kinds, as in Hugging
 * Face tokenizers `tokenizers/src/models/`: BPE (merges by rank), WordPiece (greedy
 * longest match first) and Unigram (Viterbi over piece log-probabilities).
 */
import { bpeMerge, MergeTable, pairKeySpan } from '../bpeMerge';
import { PairTable } from '../pairTable';
import type { PieceTrace } from '../types';

/** A model's output token; `from`/`to` are UTF-16 offsets inside the piece. */
export interface ModelToken {
  id: number;
  value: string;
  from: number;
  to: number;
}

/** Receives a model's tokens one at a time (offsets in UTF-16 units inside the piece), so a long piece's tokens are never objects. */
export type TokenSink = (id: number, from: number, to: number) => void;

export interface Model {
  readonly kind: 'bpe' | 'wordpiece' | 'unigram';
  readonly name: string;
  readonly vocab: ReadonlyMap<string, number>;
  /** Fill `trace` (merges, attempts, score) when given. */
  tokenize(piece: string, trace?: PieceTrace): ModelToken[];
  /** The tokens of tokenize(piece), untraced, handed to `sink` in order. */
  tokenizeInto(piece: string, sink: TokenSink): void;
  idToToken(id: number): string | undefined;
}

/** tokenizeInto for models whose pieces are words: the tokens of tokenize(), handed on. */
function emitAll(tokens: readonly ModelToken[], sink: TokenSink, offset = 0): void {
  for (const t of tokens) sink(t.id, t.from + offset, t.to + offset);
}

/** Pieces longer than this (UTF-16 units) are merged part by part where no token can span a cut (BpeModel.tokenizeInto). */
export const LONG_PIECE = 1 << 13;

/** Where a long piece may be cut: before a word-start mark (SentencePiece's ▁, a space) or a newline. */
const CUT_UNITS = [0x2581, 0x20, 0x0a];

function invert(vocab: ReadonlyMap<string, number>): string[] {
  const byId: string[] = [];
  for (const [t, id] of vocab) byId[id] = t;
  return byId;
}

export interface BpeOptions {
  unkToken?: string;
  continuingSubwordPrefix?: string;
  endOfWordSuffix?: string;
  fuseUnk?: boolean;
  byteFallback?: boolean;
  ignoreMerges?: boolean;
}

/** Merges given as `[a, b]` pairs (or `"a b"` strings), rank = position in the list. */
export class BpeModel implements Model, MergeTable {
  readonly kind = 'bpe' as const;
  readonly name: string;
  private readonly byId: string[];
  /** (left id, right id) → rank of their first merge. */
  private readonly pairRanks: PairTable;
  /** rank → merged id */
  private readonly mergeResult: number[] = [];
  /**
   * Untraced answers for pieces up to 256 units, cleared when it holds 200,000 pieces or
   * 300,000 tokens: Gemma 3 gives the model whole lines (no pre-tokenizer splits them), and
   * 100,000 distinct lines held 130 MB of tokens that were never asked for again.
   */
  private readonly cache = new Map<string, ModelToken[]>();
  private cachedTokens = 0;
  private readonly unkId: number | undefined;
  /** byte → id of its `<0xXX>` token, -1 where the vocabulary lacks it (byte_fallback only). */
  private readonly byteIds = new Int32Array(256).fill(-1);
  /** UTF-16 unit → id of that one-unit token: -1 none, -2 not looked up yet (allocated on first use). */
  private unitIds: Int32Array | undefined;

  constructor(readonly vocab: ReadonlyMap<string, number>, merges: [string, string][], readonly options: BpeOptions = {}) {
    this.byId = invert(vocab);
    pairKeySpan(this.byId.length, () => `model.vocab[${JSON.stringify(this.byId[this.byId.length - 1])}]`); // the id range check
    this.pairRanks = new PairTable(merges.length);
    const prefixLen = options.continuingSubwordPrefix?.length ?? 0;
    merges.forEach(([a, b], rank) => {
      const left = vocab.get(a), right = vocab.get(b);
      const merged = vocab.get(a + b.slice(prefixLen));
      if (left === undefined || right === undefined || merged === undefined) {
        throw new Error(`model.merges[${rank}]: "${a} ${b}" uses a token missing from model.vocab`);
      }
      this.pairRanks.setIfAbsent(left, right, rank);
      this.mergeResult[rank] = merged;
    });
    this.unkId = options.unkToken !== undefined ? vocab.get(options.unkToken) : undefined;
    if (options.byteFallback) {
      for (let b = 0; b < 256; b++) this.byteIds[b] = vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`) ?? -1;
    }
    this.name = `BPE(${vocab.size} tokens, ${merges.length} merges)`;
  }

  pairRank(left: number, right: number): number { return this.pairRanks.get(left, right); }

  /**
   * For each cut unit (CUT_UNITS), the units that some vocabulary token has just before it,
   * -1 where the model cannot be cut at all: built on the first long piece. Llama 2 and
   * Gemma 3 give the model the whole text as one piece; BPE only merges into vocabulary
   * tokens, so where no token holds the two units on either side of a cut (Llama 2: no
   * token has `x▁` but for runs of ▁; Gemma 3 adds `>▁</`), no merge crosses it and the
   * parts merge exactly as the whole does.
   */
  private cutTable: Map<number, Set<number>> | undefined;

  private cuts(): Map<number, Set<number>> {
    if (this.cutTable) return this.cutTable;
    const table = new Map<number, Set<number>>();
    // Prefixes and suffixes belong to the whole piece, fused unknowns could join across a
    // cut unit the vocabulary lacks, and ignore_merges looks the whole piece up.
    const o = this.options;
    if (!o.continuingSubwordPrefix && !o.endOfWordSuffix && !o.ignoreMerges) {
      for (const unit of CUT_UNITS) if (this.unitId(unit) >= 0) table.set(unit, new Set());
      for (const token of this.vocab.keys()) {
        for (let i = 1; i < token.length; i++) table.get(token.charCodeAt(i))?.add(token.charCodeAt(i - 1));
      }
    }
    return this.cutTable = table;
  }

  /** Cut points of `piece` about LONG_PIECE apart where no token spans them (see cuts()); [0, …, piece.length]. */
  private cutPoints(piece: string): number[] {
    const table = this.cuts();
    const points = [0];
    if (table.size === 0) { points.push(piece.length); return points; }
    for (let at = LONG_PIECE; at < piece.length; at++) {
      const before = table.get(piece.charCodeAt(at));
      const x = piece.charCodeAt(at - 1);
      // x must be its own token: a byte-fallback or unknown symbol is not the unit the table saw
      if (before && !before.has(x) && (x & 0xf800) !== 0xd800 && this.unitId(x) >= 0) { points.push(at); at += LONG_PIECE - 1; }
    }
    points.push(piece.length);
    return points;
  }

  tokenizeInto(piece: string, sink: TokenSink): void {
    if (piece.length <= LONG_PIECE) { emitAll(this.tokenize(piece), sink); return; }
    const points = this.cutPoints(piece);
    for (let k = 0; k + 1 < points.length; k++) emitAll(this.tokenize(piece.slice(points[k], points[k + 1])), sink, points[k]);
  }

  mergedId(_l: number, _r: number, rank: number): number { return this.mergeResult[rank]; }

  idToToken(id: number): string | undefined { return this.byId[id]; }

  tokenize(piece: string, trace?: PieceTrace): ModelToken[] {
    if (!trace) {
      const hit = this.cache.get(piece);
      if (hit) return hit;
    }
    const suffix = this.options.endOfWordSuffix ?? '';
    if (this.options.ignoreMerges) {
      const whole = this.vocab.get(piece + suffix);
      if (whole !== undefined) return [{ id: whole, value: piece + suffix, from: 0, to: piece.length }];
    }
    const ids: number[] = [];   // initial symbol ids
    const symFrom: number[] = []; // UTF-16 start of each symbol in the piece
    const symTo: number[] = [];   // and its end
    this.initialSymbols(piece, ids, symFrom, symTo);
    if (trace) { trace.initial = ids.map((id) => this.byId[id]); trace.merges = []; }
    const observe = trace ? (l: number, r: number, m: number, rank: number) => trace.merges!.push({ left: this.byId[l], right: this.byId[r], merged: this.byId[m], rank }) : undefined;
    const firstSymbol: number[] = [];
    const symbolCount = ids.length; // bpeMerge merges short arrays in place
    const finalIds = bpeMerge(ids, this, observe, firstSymbol);
    const out: ModelToken[] = new Array(finalIds.length);
    for (let i = 0; i < finalIds.length; i++) {
      const id = finalIds[i];
      out[i] = { id, value: this.byId[id], from: symFrom[firstSymbol[i]], to: symTo[i + 1 < finalIds.length ? firstSymbol[i + 1] - 1 : symbolCount - 1] };
    }
    if (!trace && piece.length <= 256) {
      if (this.cache.size >= 200_000 || this.cachedTokens + out.length > 300_000) { this.cache.clear(); this.cachedTokens = 0; }
      this.cache.set(piece, out);
      this.cachedTokens += out.length;
    }
    return out;
  }

  /**
   * Initial symbols: one per code point; unknown ones become <0xXX> bytes or [UNK]
   * (Hugging Face drops a character silently when the model has neither), consecutive
   * unknowns fused into one [UNK] with fuse_unk. A loop without closures or a spread of
   * the piece: Llama 2 and Gemma 3 hand the whole text to the model as one piece.
   */
  private initialSymbols(piece: string, ids: number[], symFrom: number[], symTo: number[]): void {
    const prefix = this.options.continuingSubwordPrefix ?? '';
    const suffix = this.options.endOfWordSuffix ?? '';
    const unk = this.unkId, fuse = this.options.fuseUnk === true, fallback = this.options.byteFallback === true;
    const n = piece.length;
    const bytes = [0, 0, 0, 0];
    for (let at = 0; at < n; ) {
      let c = piece.charCodeAt(at);
      const w = (c & 0xfc00) === 0xd800 && at + 1 < n && (piece.charCodeAt(at + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      const from = at;
      at += w;
      const first = from === 0, last = at === n;
      const id = w === 1 && (first || prefix === '') && (last || suffix === '')
        ? this.unitId(c)
        : this.vocab.get((first ? '' : prefix) + piece.slice(from, at) + (last ? suffix : '')) ?? -1;
      if (id >= 0) { ids.push(id); symFrom.push(from); symTo.push(at); continue; }
      if (fallback) {
        if (w === 2) c = 0x10000 + ((c - 0xd800) << 10) + (piece.charCodeAt(from + 1) - 0xdc00);
        else if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate, as TextEncoder writes it
        const count = utf8Bytes(c, bytes);
        let known = true;
        for (let k = 0; k < count; k++) if (this.byteIds[bytes[k]] < 0) known = false;
        if (known) {
          for (let k = 0; k < count; k++) { ids.push(this.byteIds[bytes[k]]); symFrom.push(from); symTo.push(at); }
          continue;
        }
      }
      if (unk === undefined) continue;
      if (fuse && ids.length > 0 && ids[ids.length - 1] === unk && symTo[symTo.length - 1] === from) { symTo[symTo.length - 1] = at; continue; }
      ids.push(unk); symFrom.push(from); symTo.push(at);
    }
  }

  private unitId(unit: number): number {
    const table = this.unitIds ??= new Int32Array(65536).fill(-2);
    let id = table[unit];
    if (id === -2) table[unit] = id = this.vocab.get(String.fromCharCode(unit)) ?? -1;
    return id;
  }
}

/** UTF-8 of code point `cp` into `out`; returns the byte count. */
function utf8Bytes(cp: number, out: number[]): number {
  if (cp < 0x80) { out[0] = cp; return 1; }
  if (cp < 0x800) { out[0] = 0xc0 | (cp >> 6); out[1] = 0x80 | (cp & 63); return 2; }
  if (cp < 0x10000) { out[0] = 0xe0 | (cp >> 12); out[1] = 0x80 | ((cp >> 6) & 63); out[2] = 0x80 | (cp & 63); return 3; }
  out[0] = 0xf0 | (cp >> 18); out[1] = 0x80 | ((cp >> 12) & 63); out[2] = 0x80 | ((cp >> 6) & 63); out[3] = 0x80 | (cp & 63);
  return 4;
}

/**
 * WordPiece (BERT): greedy longest-match-first. For `unaffable`: `unaffable`? no …
 * `un` yes; then `##affable`? no … `##aff` yes; `##able` yes → `un ##aff ##able`.
 * A word longer than `maxInputCharsPerWord` characters, or with any part that matches
 * nothing, becomes the single `[UNK]` token.
 */
export class WordPieceModel implements Model {
  readonly kind = 'wordpiece' as const;
  readonly name: string;
  private readonly byId: string[];
  /** Attempts recorded per piece at most, so a trace of a pathological word stays small. */
  static readonly MAX_TRACED_ATTEMPTS = 2_000;

  constructor(readonly vocab: ReadonlyMap<string, number>, readonly unkToken = '[UNK]', readonly prefix = '##', readonly maxInputCharsPerWord = 100) {
    if (!vocab.has(unkToken)) throw new Error(`model.unk_token: "${unkToken}" is not in model.vocab`);
    this.byId = invert(vocab);
    this.name = `WordPiece(${vocab.size} tokens, ${prefix} continuation, [UNK] over ${maxInputCharsPerWord} chars)`;
  }

  idToToken(id: number): string | undefined { return this.byId[id]; }

  tokenizeInto(piece: string, sink: TokenSink): void { emitAll(this.tokenize(piece), sink); }

  /** Untraced answers for short pieces: a large input repeats its words (5 MB of `!` is 5 M one-character pieces). */
  private readonly cache = new Map<string, ModelToken[]>();

  tokenize(piece: string, trace?: PieceTrace): ModelToken[] {
    if (trace || piece.length > 64) return this.tokenizeUncached(piece, trace);
    let hit = this.cache.get(piece);
    if (!hit) {
      hit = this.tokenizeUncached(piece);
      if (this.cache.size >= 200_000) this.cache.clear();
      this.cache.set(piece, hit);
    }
    return hit;
  }

  private tokenizeUncached(piece: string, trace?: PieceTrace): ModelToken[] {
    const unk = [{ id: this.vocab.get(this.unkToken)!, value: this.unkToken, from: 0, to: piece.length }];
    const chars = [...piece];
    if (trace) trace.attempts = [];
    if (chars.length > this.maxInputCharsPerWord) return unk;
    // UTF-16 offset of each code point boundary
    const at: number[] = [0];
    for (const c of chars) at.push(at[at.length - 1] + c.length);
    const out: ModelToken[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: ModelToken | undefined;
      while (start < end) {
        const candidate = (start > 0 ? this.prefix : '') + piece.slice(at[start], at[end]);
        const id = this.vocab.get(candidate);
        if (trace && trace.attempts!.length < WordPieceModel.MAX_TRACED_ATTEMPTS) trace.attempts!.push({ candidate, found: id !== undefined });
        if (id !== undefined) { found = { id, value: candidate, from: at[start], to: at[end] }; break; }
        end--;
      }
      if (!found) return unk;
      out.push(found);
      start = end;
    }
    return out;
  }
}

/**
 * Unigram (SentencePiece): the segmentation with the highest total log-probability, by
 * Viterbi over every vocabulary piece that matches at each position. Characters no piece
 * covers become `unk` with a score below every piece (Hugging Face: min score − 10).
 */
export class UnigramModel implements Model {
  readonly kind = 'unigram' as const;
  readonly name: string;
  readonly vocab: Map<string, number>;
  private readonly scores: number[];
  private readonly pieces: string[];
  private readonly maxPieceLength: number;
  private readonly unkScore: number;

  constructor(entries: [string, number][], readonly unkId: number | undefined, readonly byteFallback = false) {
    this.pieces = entries.map((e) => e[0]);
    this.scores = entries.map((e) => e[1]);
    this.vocab = new Map(this.pieces.map((p, i) => [p, i]));
    // Loops, not Math.max(...array): spreading 250k pieces (XLM-R, mT5) overflows the stack.
    let maxLength = 1, minScore = 0;
    for (const p of this.pieces) if (p.length > maxLength) maxLength = p.length;
    for (const sc of this.scores) if (sc < minScore) minScore = sc;
    this.maxPieceLength = maxLength;
    this.unkScore = minScore - 10;
    this.name = `Unigram(${entries.length} pieces)`;
  }

  idToToken(id: number): string | undefined { return this.pieces[id]; }

  tokenizeInto(piece: string, sink: TokenSink): void { emitAll(this.tokenize(piece), sink); }

  tokenize(piece: string, trace?: PieceTrace): ModelToken[] {
    const n = piece.length;
    const best = new Float64Array(n + 1).fill(-Infinity); // [n+1] best score of piece[0:i]
    const from = new Int32Array(n + 1).fill(-1);           // [n+1] where the last token starts
    const idAt = new Int32Array(n + 1).fill(-1);           // [n+1] its id (-1: unk)
    best[0] = 0;
    for (let i = 0; i < n; i++) {
      if (best[i] === -Infinity) continue;
      const cpLen = piece.codePointAt(i)! > 0xffff ? 2 : 1;
      let covered = false;
      for (let len = 1; len <= this.maxPieceLength && i + len <= n; len++) {
        const id = this.vocab.get(piece.slice(i, i + len));
        if (id === undefined) continue;
        if (len === cpLen) covered = true;
        const score = best[i] + this.scores[id];
        if (score > best[i + len]) { best[i + len] = score; from[i + len] = i; idAt[i + len] = id; }
      }
      if (!covered && best[i] + this.unkScore > best[i + cpLen]) {
        best[i + cpLen] = best[i] + this.unkScore; from[i + cpLen] = i; idAt[i + cpLen] = -1;
      }
    }
    const out: ModelToken[] = [];
    for (let end = n; end > 0; end = from[end]) {
      const start = from[end];
      const id = idAt[end];
      if (id >= 0) out.push({ id, value: this.pieces[id], from: start, to: end });
      else if (this.unkId !== undefined) {
        const prev = out[out.length - 1];
        if (prev && prev.id === this.unkId && prev.from === end) prev.from = start; // fuse unknowns
        else out.push({ id: this.unkId, value: this.pieces[this.unkId], from: start, to: end });
      } else throw new Error(`Unigram: "${piece.slice(start, end)}" is not covered and the model has no unk_id`);
    }
    out.reverse();
    if (trace) trace.score = best[n];
    return out;
  }
}
