/**
 * A SentencePiece Unigram model as `sentencepiece.SentencePieceProcessor` runs it:
 * normalize (spmNormalizer.ts) → best path (unigramViterbi.ts) → pieces, where a run of
 * unknown pieces is merged into one (its text is the normalized characters themselves,
 * not "<unk>", and its id is unk_id), or, with byte_fallback, spelled as `<0xXX>` byte
 * pieces. `decodePieces` is the processor's `DecodePieces`. Reference:
 * sentencepiece_processor.cc (`PopulateSentencePieceText`, `Decode`).
 */
import { ModelType, PieceType, parseSentencePieceModel, SentencePieceModelError, type SentencePieceModel } from './modelProto';
import { ByteTrie } from './byteTrie';
import { CharsmapError } from './precompiledCharsmap';
import { SpmNormalizer } from './spmNormalizer';
import { UnigramViterbi } from './unigramViterbi';
import { phrase, type L10nText } from '../../../shared/l10nText';

/** One output piece; `start`/`end` are UTF-16 offsets into the encoded text. */
export interface SpmPiece { piece: string; id: number; start: number; end: number }

const utf8 = new TextDecoder();

export class SentencePieceProcessor {
  private readonly normalizer: SpmNormalizer;
  private readonly viterbi: UnigramViterbi;
  private readonly idByPiece = new Map<string, number>();
  /** The best path's score of the last encode, for traces. */
  lastScore = 0;

  constructor(readonly model: SentencePieceModel, readonly label: string) {
    const fail = (why: L10nText) => new SentencePieceModelError(phrase`${label}: ${why}`);
    if (model.trainer.modelType !== ModelType.Unigram) {
      const kind = ['', 'Unigram', 'BPE', 'word', 'char'][model.trainer.modelType] ?? `type ${model.trainer.modelType}`;
      throw fail(phrase`a ${kind} SentencePiece model; only Unigram models are read`);
    }
    const userDefined = new ByteTrie();
    const enc = new TextEncoder();
    model.pieces.forEach((p, id) => {
      if (!this.idByPiece.has(p.piece)) this.idByPiece.set(p.piece, id);
      if (p.type === PieceType.UserDefined) userDefined.insert(enc.encode(p.piece), id);
    });
    try {
      this.normalizer = new SpmNormalizer(model.normalizer, model.trainer.treatWhitespaceAsSuffix, userDefined);
    } catch (e) {
      if (e instanceof CharsmapError) throw fail(phrase`normalizer ${model.normalizer.name || '(unnamed)'}: ${e.message}`);
      throw e;
    }
    this.viterbi = new UnigramViterbi(model.pieces, model.trainer.unkId);
  }

  static fromBytes(bytes: Uint8Array, label: string): SentencePieceProcessor {
    return new SentencePieceProcessor(parseSentencePieceModel(bytes, label), label);
  }

  get size(): number { return this.model.pieces.length; }
  get unkId(): number { return this.model.trainer.unkId; }

  idToPiece(id: number): string | undefined { return this.model.pieces[id]?.piece; }
  /** A piece's id; anything not in the model is unk_id, as `PieceToId` answers. */
  pieceToId(piece: string): number { return this.idByPiece.get(piece) ?? this.unkId; }
  isUnknown(id: number): boolean { return this.model.pieces[id]?.type === PieceType.Unknown; }
  isControl(id: number): boolean { return this.model.pieces[id]?.type === PieceType.Control; }

  /** Normalized text as a string (▁ for spaces), e.g. "  I love" → "▁I▁love". */
  normalize(text: string): string { return utf8.decode(this.normalizer.normalize(text).bytes); }

  /** `encode(text, out_type=str)` with ids and offsets. Example: "I love you" → ▁I ▁love ▁ y ou. */
  encode(text: string): SpmPiece[] {
    const { bytes, origin } = this.normalizer.normalize(text);
    const { pieces, score } = this.viterbi.segment(bytes);
    this.lastScore = score;
    const out: SpmPiece[] = [];
    let prevUnk = false;
    for (const p of pieces) {
      const piece = utf8.decode(bytes.subarray(p.from, p.to));
      const start = origin[p.from], end = origin[p.to];
      const unk = this.isUnknown(p.id);
      if (unk && this.model.trainer.byteFallback) {
        const raw = bytes.subarray(p.from, p.to);
        raw.forEach((b, k) => {
          const name = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
          out.push({ piece: name, id: this.pieceToId(name), start, end: k === raw.length - 1 ? end : start });
        });
      } else if (unk && prevUnk) {
        const last = out[out.length - 1];
        last.piece += piece;
        last.end = end;
      } else {
        out.push({ piece, id: p.id, start, end });
      }
      prevUnk = unk;
    }
    return out;
  }

  /**
   * `decode_pieces`: control pieces vanish, the `<unk>` piece is unk_surface (" ⁇ "), any
   * other piece not in the model is copied as it is; "▁" becomes a space, and the first
   * piece's leading "▁" — the dummy prefix — is dropped (with remove_extra_whitespaces,
   * each leading piece's until some text is written). Byte pieces join into UTF-8.
   * Example: ▁I ▁love → "I love".
   */
  decodePieces(pieces: readonly string[]): string {
    const spec = this.model.normalizer;
    let text = '';
    let bosWs = true;
    let bosWsSeen = false;
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length) { text += utf8.decode(Uint8Array.from(bytes)); bytes = []; }
    };
    for (const w of pieces) {
      const id = this.pieceToId(w);
      const type = this.model.pieces[id].type;
      if (type === PieceType.Byte && this.idByPiece.has(w)) { bytes.push(parseInt(w.slice(3, 5), 16)); continue; }
      flush();
      if (bosWsSeen || text !== '') bosWs = false;
      bosWsSeen = false;
      if (type === PieceType.Control) continue;
      if (type === PieceType.Unknown) { text += w === this.idToPiece(id) ? this.model.trainer.unkSurface : w; continue; }
      let piece = w;
      if (bosWs && (spec.addDummyPrefix || spec.removeExtraWhitespaces) && piece.startsWith('\u2581')) {
        piece = piece.slice(1);
        bosWsSeen = !spec.removeExtraWhitespaces;
      }
      text += piece.replace(/\u2581/g, ' ');
    }
    flush();
    return text;
  }
}
