/**
 * Marian's tokenizer (the opus-mt layout: source.spm + target.spm + vocab.json, no
 * tokenizer.json), as transformers' `MarianTokenizer` (models/marian/tokenization_marian.py)
 * encodes and decodes:
 *   - special-token text (`</s>`, `<unk>`, `<pad>`) is matched first, leftmost-longest,
 *     and the text between is encoded on its own (PreTrainedTokenizer.tokenize);
 *   - a segment starting `>>xx<<` keeps that language code as one token;
 *   - the rest goes through the side's SentencePiece model (source.spm for inputs,
 *     target.spm for `text_target`), and each piece is looked up in vocab.json — a piece
 *     the vocabulary lacks is `<unk>` (the spm ids are NOT the model's ids);
 *   - `</s>` is appended.
 * Decoding maps ids back through vocab.json and joins runs of ordinary pieces with the
 * SOURCE model's decode_pieces (MarianTokenizer decodes with the source spm unless the
 * vocabularies are separate), special tokens written as they are plus a space, then
 * "▁" → " " and the ends trimmed (convert_tokens_to_string).
 */
import type { EncodeOptions, EncodeTrace, PieceTrace, Token, Tokenizer } from '../types';
import { NO_STAGE, SPECIALS_NOT_ADDED } from '../types';
import { wellFormed } from '../byteLevel';
import type { SentencePieceProcessor } from './sentencePieceProcessor';

export interface MarianParts {
  name: string;
  source: SentencePieceProcessor;
  target: SentencePieceProcessor;
  /** vocab.json: piece → model id (the source side, and the target side unless separate). */
  vocab: Map<string, number>;
  /** target_vocab.json when tokenizer_config.json says separate_vocabs. */
  targetVocab?: Map<string, number>;
  unkToken: string;
  eosToken: string;
  padToken: string;
  /** Pieces of each spm model that vocab.json lacks: they encode as <unk>. */
  missing: { source: string[]; target: string[] };
}

interface Segment { text: string; start: number; special: boolean }

const encoder = new TextEncoder();

export class MarianTokenizer implements Tokenizer {
  readonly kind = 'unigram' as const;
  readonly defaultSpecialTokens = 'match' as const;
  readonly name: string;
  readonly vocabSize: number;
  private readonly spm: SentencePieceProcessor;
  private readonly vocab: Map<string, number>;
  private readonly idToText: Map<number, string>;
  private readonly specials: string[];
  private readonly specialIds: Set<number>;
  private readonly unkId: number;
  private readonly eosId: number;

  constructor(readonly parts: MarianParts, readonly side: 'source' | 'target' = 'source') {
    this.spm = side === 'source' ? parts.source : parts.target;
    this.vocab = side === 'target' && parts.targetVocab ? parts.targetVocab : parts.vocab;
    this.name = side === 'source' ? parts.name : `${parts.name} (target side)`;
    this.vocabSize = parts.vocab.size;
    const decoderVocab = parts.targetVocab ?? parts.vocab;
    this.idToText = new Map([...decoderVocab].map(([t, id]) => [id, t]));
    this.specials = [parts.eosToken, parts.unkToken, parts.padToken];
    const id = (t: string) => this.vocab.get(t) ?? this.vocab.get(parts.unkToken)!;
    this.unkId = this.vocab.get(parts.unkToken)!;
    this.eosId = id(parts.eosToken);
    this.specialIds = new Set(this.specials.map(id));
  }

  /** The same tokenizer encoding `text_target` (target.spm); decoding is unchanged. */
  get target(): MarianTokenizer { return this.side === 'target' ? this : new MarianTokenizer(this.parts, 'target'); }

  /**
   * `text_target` ids: `text` on the target side (target.spm) with `</s>`, as
   * transformers' `tokenizer(text_target=…)` gives them; the seq2seq model path
   * (attentionJob's decoderInput) puts the decoder start token before them, as the
   * marian-tiny golden's decoder_input_ids do.
   */
  encodeTarget(text: string, options?: EncodeOptions): number[] {
    return this.target.encode(text, options);
  }

  encode(text: string, options?: EncodeOptions): number[] { return this.encodeTokens(text, options).map((t) => t.id); }
  encodeTokens(text: string, options?: EncodeOptions): Token[] { return this.run(text, options, undefined); }
  *tokenStream(text: string, options?: EncodeOptions): Iterable<Token> { yield* this.encodeTokens(text, options); }

  encodeWithTrace(text: string, options?: EncodeOptions): EncodeTrace {
    const pieces: PieceTrace[] = [];
    const tokens = this.run(text, options, pieces);
    const spec = this.spm.model.normalizer;
    const add = options?.addSpecialTokens ?? true;
    return {
      tokenizer: this.name,
      stages: [
        { stage: 'normalize', name: `SentencePiece(${[spec.name || 'identity', ...(['addDummyPrefix', 'removeExtraWhitespaces', 'escapeWhitespaces'] as const).filter((k) => spec[k])].join(', ')})` },
        { stage: 'pre-tokenize', ...NO_STAGE },
        { stage: 'model', name: `Unigram(${this.side === 'source' ? 'source.spm' : 'target.spm'}, ${this.spm.size}) → vocab.json(${this.vocab.size})` },
        { stage: 'post-process', name: `$A ${this.parts.eosToken}`, ...(add ? {} : SPECIALS_NOT_ADDED) },
      ],
      normalized: pieces.filter((p) => !p.special).map((p) => this.spm.normalize(p.text)).join(''),
      pieces,
      tokens,
    };
  }

  private run(input: string, options: EncodeOptions | undefined, trace: PieceTrace[] | undefined): Token[] {
    const matchSpecial = (options?.specialTokens ?? this.defaultSpecialTokens) === 'match';
    const a = this.encodeSequence(wellFormed(input), matchSpecial, trace);
    const b = options?.pair !== undefined ? this.encodeSequence(wellFormed(options.pair), matchSpecial, trace) : undefined;
    if (b) {
      for (const t of a) t.sequence = 0;
      for (const t of b) t.sequence = 1;
    }
    const tokens = [...a, ...(b ?? [])];
    if (options?.addSpecialTokens ?? true) {
      const end = b ? options!.pair!.length : input.length;
      tokens.push({ id: this.eosId, text: this.parts.eosToken, bytes: [...encoder.encode(this.parts.eosToken)], start: end, end, special: true });
    }
    return tokens;
  }

  /** Special-token text matched leftmost-longest; the text between as plain segments. */
  private split(text: string, matchSpecial: boolean): Segment[] {
    if (!matchSpecial) return text ? [{ text, start: 0, special: false }] : [];
    const out: Segment[] = [];
    let from = 0;
    for (let i = 0; i < text.length;) {
      let hit = '';
      for (const s of this.specials) if (s.length > hit.length && text.startsWith(s, i)) hit = s;
      if (!hit) { i++; continue; }
      if (i > from) out.push({ text: text.slice(from, i), start: from, special: false });
      out.push({ text: hit, start: i, special: true });
      i += hit.length;
      from = i;
    }
    if (from < text.length) out.push({ text: text.slice(from), start: from, special: false });
    return out;
  }

  private token(text: string, id: number, start: number, end: number, special = false): Token {
    return { id, text: this.idToText.get(id) ?? text, bytes: [...encoder.encode(text)], start, end, special };
  }

  private encodeSequence(text: string, matchSpecial: boolean, trace: PieceTrace[] | undefined): Token[] {
    const tokens: Token[] = [];
    for (const seg of this.split(text, matchSpecial)) {
      const segEnd = seg.start + seg.text.length;
      if (seg.special) {
        const id = this.vocab.get(seg.text) ?? this.unkId;
        tokens.push(this.token(seg.text, id, seg.start, segEnd, true));
        trace?.push({ text: seg.text, start: seg.start, end: segEnd, special: true, tokenIds: [id] });
        continue;
      }
      let body = seg.text;
      let base = seg.start;
      // remove_language_code: ">>fr<< text" → the code as one token, then the text.
      const close = body.startsWith('>>') ? body.indexOf('<<') : -1;
      if (close !== -1) {
        const code = body.slice(0, close + 2);
        tokens.push(this.token(code, this.vocab.get(code) ?? this.unkId, base, base + code.length));
        body = body.slice(close + 2);
        base += code.length;
      }
      const ids: number[] = [];
      for (const p of this.spm.encode(body)) {
        const id = this.vocab.get(p.piece) ?? this.unkId;
        tokens.push(this.token(p.piece, id, base + p.start, base + p.end, false));
        ids.push(id);
      }
      trace?.push({ text: body, start: base, end: segEnd, score: this.spm.lastScore, tokenIds: ids });
    }
    return tokens;
  }

  /**
   * Ids → text as MarianTokenizer.decode: with `skipSpecialTokens` (skip_special_tokens=True)
   * `</s>`, `<pad>` and `<unk>` are dropped; otherwise each is written as it is, followed
   * by a space. Example: [52, 22, 0] → "I love</s>"; skipping specials → "I love".
   */
  decode(ids: readonly number[], skipSpecialTokens = false): string {
    const spm = this.parts.targetVocab ? this.parts.target : this.parts.source;
    let out = '';
    let run: string[] = [];
    for (const id of ids) {
      const tok = this.idToText.get(id) ?? spm.idToPiece(id);
      if (tok === undefined) throw new RangeError(`${this.name}: no token has id ${id}`);
      if (this.specialIds.has(id) || this.specials.includes(tok)) {
        if (skipSpecialTokens) continue;
        out += spm.decodePieces(run) + tok + ' ';
        run = [];
      } else run.push(tok);
    }
    out += spm.decodePieces(run);
    return out.replace(/\u2581/g, ' ').replace(/^\s+|\s+$/g, '');
  }

  idToToken(id: number): string | undefined { return this.idToText.get(id); }
  tokenToId(token: string): number | undefined { return this.vocab.get(token); }
}
