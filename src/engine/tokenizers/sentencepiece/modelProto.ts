/**
 * A SentencePiece model file (`*.model`, Marian's `source.spm`/`target.spm`) read into
 * plain data: the fields of `ModelProto` (sentencepiece_model.proto, proto2) that
 * encoding and decoding need — the pieces with their scores and types, the trainer's
 * model type and special ids, and the normalizer (its precompiled character map and the
 * whitespace switches). Unknown fields are skipped, as protobuf readers do; a missing
 * optional field takes the .proto's default (add_dummy_prefix true, unk_id 0, …).
 * Reference: https://github.com/google/sentencepiece/blob/master/src/sentencepiece_model.proto
 */
import { WireFormatError, WireReader, WireType } from './protobufWire';
import { L10nError, phrase, type L10nText } from '../../../shared/l10nText';

/** ModelProto.SentencePiece.Type. */
export const enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }

export interface SentencePiece {
  piece: string;
  /** A log probability for Unigram models, stored as float32. */
  score: number;
  type: PieceType;
}

/** TrainerSpec.ModelType. */
export const enum ModelType { Unigram = 1, Bpe = 2, Word = 3, Char = 4 }

export interface TrainerSpec {
  modelType: ModelType;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
  byteFallback: boolean;
  treatWhitespaceAsSuffix: boolean;
  /** What decoding writes for an `<unk>` piece: " ⁇ " by default. */
  unkSurface: string;
}

export interface NormalizerSpec {
  /** e.g. `nmt_nfkc`, `nfkc`, `identity`: the rule the charsmap was compiled from. */
  name: string;
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

export interface SentencePieceModel {
  pieces: SentencePiece[];
  trainer: TrainerSpec;
  normalizer: NormalizerSpec;
  /** Applied to decoded text; absent in almost every model. */
  denormalizer?: NormalizerSpec;
}

/** The file is not a SentencePiece model; the message names the file and what is wrong. */
export class SentencePieceModelError extends L10nError {
  override name = 'SentencePieceModelError';
}

const FIELD_NAMES = {
  model: { 1: 'pieces', 2: 'trainer_spec', 3: 'normalizer_spec', 5: 'denormalizer_spec' },
  piece: { 1: 'piece', 2: 'score', 3: 'type' },
} as const;

function expectType(f: { field: number; wireType: WireType; at: number }, want: WireType, name: string): void {
  if (f.wireType !== want) throw new WireFormatError(`field ${name} (${f.field}) has wire type ${f.wireType}, expected ${want}`, f.at);
}

function readPiece(r: WireReader): SentencePiece {
  const out: SentencePiece = { piece: '', score: 0, type: PieceType.Normal };
  let seenPiece = false;
  while (!r.done) {
    const f = r.nextField();
    if (f.field === 1) { expectType(f, WireType.LengthDelimited, FIELD_NAMES.piece[1]); out.piece = r.string(); seenPiece = true; }
    else if (f.field === 2) { expectType(f, WireType.Fixed32, FIELD_NAMES.piece[2]); out.score = r.float32(); }
    else if (f.field === 3) {
      expectType(f, WireType.Varint, FIELD_NAMES.piece[3]);
      const t = r.varint();
      if (t < 1 || t > 6) throw new WireFormatError(`piece type ${t} is not one of NORMAL..BYTE (1–6)`, f.at);
      out.type = t as PieceType;
    } else r.skip(f.wireType);
  }
  if (!seenPiece) throw new WireFormatError('a piece without its text (field 1)', r.offset);
  return out;
}

function readTrainer(r: WireReader): TrainerSpec {
  const t: TrainerSpec = { modelType: ModelType.Unigram, unkId: 0, bosId: 1, eosId: 2, padId: -1, byteFallback: false, treatWhitespaceAsSuffix: false, unkSurface: ' \u2047 ' };
  while (!r.done) {
    const f = r.nextField();
    const varint = (name: string) => { expectType(f, WireType.Varint, name); return r.int32(); };
    switch (f.field) {
      case 3: t.modelType = varint('model_type') as ModelType; break;
      case 24: t.treatWhitespaceAsSuffix = varint('treat_whitespace_as_suffix') !== 0; break;
      case 35: t.byteFallback = varint('byte_fallback') !== 0; break;
      case 40: t.unkId = varint('unk_id'); break;
      case 41: t.bosId = varint('bos_id'); break;
      case 42: t.eosId = varint('eos_id'); break;
      case 43: t.padId = varint('pad_id'); break;
      case 44: expectType(f, WireType.LengthDelimited, 'unk_surface'); t.unkSurface = r.string(); break;
      default: r.skip(f.wireType);
    }
  }
  return t;
}

function readNormalizer(r: WireReader): NormalizerSpec {
  const n: NormalizerSpec = { name: '', precompiledCharsmap: new Uint8Array(0), addDummyPrefix: true, removeExtraWhitespaces: true, escapeWhitespaces: true };
  while (!r.done) {
    const f = r.nextField();
    const flag = (name: string) => { expectType(f, WireType.Varint, name); return r.bool(); };
    switch (f.field) {
      case 1: expectType(f, WireType.LengthDelimited, 'name'); n.name = r.string(); break;
      case 2: expectType(f, WireType.LengthDelimited, 'precompiled_charsmap'); n.precompiledCharsmap = r.bytesValue(); break;
      case 3: n.addDummyPrefix = flag('add_dummy_prefix'); break;
      case 4: n.removeExtraWhitespaces = flag('remove_extra_whitespaces'); break;
      case 5: n.escapeWhitespaces = flag('escape_whitespaces'); break;
      default: r.skip(f.wireType);
    }
  }
  return n;
}

/**
 * Parses a serialized ModelProto. `label` names the file in errors, e.g.
 * `source.spm is not a SentencePiece model: a length of 4000 bytes runs past the end of the data at byte 12`.
 */
export function parseSentencePieceModel(bytes: Uint8Array, label: string): SentencePieceModel {
  const pieces: SentencePiece[] = [];
  let trainer: TrainerSpec | undefined;
  let normalizer: NormalizerSpec | undefined;
  let denormalizer: NormalizerSpec | undefined;
  try {
    const r = new WireReader(bytes);
    while (!r.done) {
      const f = r.nextField();
      const sub = (name: string) => { expectType(f, WireType.LengthDelimited, name); return r.message(); };
      if (f.field === 1) pieces.push(readPiece(sub(FIELD_NAMES.model[1])));
      else if (f.field === 2) trainer = readTrainer(sub(FIELD_NAMES.model[2]));
      else if (f.field === 3) normalizer = readNormalizer(sub(FIELD_NAMES.model[3]));
      else if (f.field === 5) denormalizer = readNormalizer(sub(FIELD_NAMES.model[5]));
      else r.skip(f.wireType);
    }
  } catch (e) {
    if (e instanceof WireFormatError) throw new SentencePieceModelError(phrase`${label} is not a SentencePiece model: ${e.message}`);
    throw e;
  }
  const fail = (why: L10nText) => new SentencePieceModelError(phrase`${label} is not a SentencePiece model: ${why}`);
  if (pieces.length === 0) throw fail(phrase`it has no pieces (ModelProto field 1)`);
  trainer ??= readTrainer(new WireReader(new Uint8Array(0)));
  normalizer ??= readNormalizer(new WireReader(new Uint8Array(0)));
  const unk = pieces[trainer.unkId];
  if (!unk || unk.type !== PieceType.Unknown) {
    throw fail(phrase`trainer_spec.unk_id ${trainer.unkId} is not an UNKNOWN piece (${pieces.length} pieces)`);
  }
  return { pieces, trainer, normalizer, ...(denormalizer && denormalizer.precompiledCharsmap.length > 0 ? { denormalizer } : {}) };
}
