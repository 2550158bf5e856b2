/**
 * A tokenizer assembled from pipeline stages, as Hugging Face tokenizers are:
 * added tokens → normalizer → pre-tokenizer → model → post-processor (→ decoder).
 * Built from a `tokenizer.json` (loadTokenizerJson.ts) or in code (bertUncased.ts).
 */
import { UNICODE_TO_BYTE, wellFormed } from '../byteLevel';
import type { EncodeOptions, EncodeTrace, PieceTrace, StageTrace, Token, Tokenizer } from '../types';
import { AddedToken, splitOnAddedTokens } from './addedTokens';
import type { Decoder } from './decoders';
import type { Model } from './models';
import { NormalizedString } from './normalizedString';
import type { Normalizer } from './normalizers';
import type { PostProcessor } from './postProcessors';
import type { PreTokenizer } from './preTokenizers';

export interface PipelineParts {
  name: string;
  normalizer?: Normalizer;
  preTokenizer?: PreTokenizer;
  model: Model;
  postProcessor?: PostProcessor;
  decoder?: Decoder;
  addedTokens: AddedToken[];
}

interface SequenceResult { tokens: Token[]; pieces: PieceTrace[]; normalized: string }

export class PipelineTokenizer implements Tokenizer {
  readonly name: string;
  readonly kind: Tokenizer['kind'];
  readonly vocabSize: number;
  readonly defaultSpecialTokens = 'match' as const;
  private readonly byteLevel: boolean;
  private readonly addedById: Map<number, AddedToken>;
  private readonly addedByText: Map<string, AddedToken>;

  constructor(readonly parts: PipelineParts) {
    this.name = parts.name;
    this.byteLevel = parts.preTokenizer?.byteLevel === true;
    this.kind = parts.model.kind === 'bpe' && this.byteLevel ? 'byte-bpe' : parts.model.kind;
    this.addedById = new Map(parts.addedTokens.map((t) => [t.id, t]));
    this.addedByText = new Map(parts.addedTokens.map((t) => [t.content, t]));
    let max = -1;
    for (const id of parts.model.vocab.values()) if (id > max) max = id;
    for (const t of parts.addedTokens) if (t.id > max) max = t.id;
    this.vocabSize = max + 1;
  }

  encode(text: string, options?: EncodeOptions): number[] {
    return this.run(text, options, false).tokens.map((t) => t.id);
  }

  encodeTokens(text: string, options?: EncodeOptions): Token[] {
    return this.run(text, options, false).tokens;
  }

  encodeWithTrace(text: string, options?: EncodeOptions): EncodeTrace {
    return this.run(text, options, true);
  }

  /**
   * Not incremental: the normalizer, pre-tokenizer and post-processor see the whole text
   * (offsets, templates), so the tokens are built first and then handed out one by one.
   */
  *tokenStream(text: string, options?: EncodeOptions): Generator<Token> {
    yield* this.run(text, options, false).tokens;
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
      { stage: 'normalize', name: this.parts.normalizer?.name ?? 'none' },
      { stage: 'pre-tokenize', name: this.parts.preTokenizer?.name ?? 'none' },
      { stage: 'model', name: this.parts.model.name },
      { stage: 'post-process', name: this.parts.postProcessor?.name ?? 'none', detail: add ? undefined : 'special tokens not added' },
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

  private tokenBytes(value: string): number[] {
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
