/**
 * The Unigram model's best segmentation (sentencepiece unigram_model.cc,
 * `Model::EncodeOptimized`): over the normalized UTF-8 bytes, for each character
 * position keep the best-scoring path that ends there; a piece starting at `i` and
 * ending at `j` offers score(path to i) + score(piece). A character no piece covers on
 * its own becomes one unknown node scored min(NORMAL scores) − 10 (kUnkPenalty) — Hugging
 * Face tokenizers' Unigram uses the same penalty. User-defined pieces score
 * length × max score − 0.1, so they always win; UNUSED pieces are never chosen.
 * Scores add in float32 (C++ `float`), so near-ties break as sentencepiece's do; a tie
 * keeps the candidate found first (pieces are tried shortest first from the earliest
 * start).
 */
import { ByteTrie } from './byteTrie';
import { PieceType, type SentencePiece } from './modelProto';

const UNK_PENALTY = 10;

/** One piece of the best path: bytes [from, to) of the normalized text. */
export interface LatticePiece { from: number; to: number; id: number }

/** Bytes of the UTF-8 character whose lead byte is at `pos` (sentencepiece `OneCharLen`), clipped to `end`. */
function oneCharLen(bytes: Uint8Array, pos: number, end: number): number {
  const n = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4][bytes[pos] >> 4];
  return Math.min(n, end - pos);
}

export class UnigramViterbi {
  readonly trie = new ByteTrie();
  private readonly scores: Float32Array;
  private readonly userDefined: Uint8Array;
  private readonly unkScore: number;
  private readonly maxScore: number;

  constructor(pieces: readonly SentencePiece[], readonly unkId: number) {
    const enc = new TextEncoder();
    this.scores = Float32Array.from(pieces.map((p) => p.score));
    this.userDefined = Uint8Array.from(pieces.map((p) => (p.type === PieceType.UserDefined ? 1 : 0)));
    let min = Infinity, max = -Infinity;
    pieces.forEach((p, id) => {
      if (p.type === PieceType.Normal) { min = Math.min(min, p.score); max = Math.max(max, p.score); }
      if (p.type === PieceType.Normal || p.type === PieceType.UserDefined) this.trie.insert(enc.encode(p.piece), id);
    });
    if (min === Infinity) { min = 0; max = 0; }
    this.unkScore = Math.fround(min - UNK_PENALTY);
    this.maxScore = max;
  }

  /** The best path over `bytes`, left to right, and its total score. */
  segment(bytes: Uint8Array): { pieces: LatticePiece[]; score: number } {
    const size = bytes.length;
    const bestScore = new Float32Array(size + 1);
    const startsAt = new Int32Array(size + 1).fill(-1);
    const bestId = new Int32Array(size + 1).fill(-1);
    const offer = (from: number, to: number, id: number, score: number) => {
      const candidate = Math.fround(bestScore[from] + score);
      if (startsAt[to] === -1 || candidate > bestScore[to]) { bestScore[to] = candidate; startsAt[to] = from; bestId[to] = id; }
    };
    for (let from = 0; from < size;) {
      const mblen = oneCharLen(bytes, from, size);
      let hasSingle = false;
      this.trie.prefixes(bytes, from, size, (length, id) => {
        const score = this.userDefined[id] ? Math.fround(length * this.maxScore - 0.1) : this.scores[id];
        offer(from, from + length, id, score);
        if (length === mblen) hasSingle = true;
      });
      if (!hasSingle) offer(from, from + mblen, this.unkId, this.unkScore);
      from += mblen;
    }
    const pieces: LatticePiece[] = [];
    for (let to = size; to > 0; to = startsAt[to]) {
      if (startsAt[to] < 0) throw new Error(`Unigram lattice has no path to byte ${to}`);
      pieces.push({ from: startsAt[to], to, id: bestId[to] });
    }
    pieces.reverse();
    return { pieces, score: bestScore[size] };
  }
}
