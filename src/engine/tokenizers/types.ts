/**
 * Shared types of the tokenizer engine: the tokens an encoder returns and the trace
 * of how they were made (normalize → pre-tokenize → model → post-process), as shown
 * by the panel, the hover and the CLI. Plain data only, so a trace crosses a worker
 * boundary or a webview message unchanged.
 */

import type { Token } from '../../shared/tokenTypes';
import type { StageDetailCode, StageNameCode } from '../../shared/stageCodes';

/** One output token (declared in `src/shared/tokenTypes.ts`: the hover sends tokens to the host). */
export type { Token };

/** One BPE merge step inside a pre-token: `left` + `right` → `merged`, at `rank`. */
export interface MergeStep {
  left: string;
  right: string;
  merged: string;
  rank: number;
}

/** One greedy longest-match attempt of WordPiece: the candidate and whether it is in the vocabulary. */
export interface WordPieceAttempt {
  candidate: string;
  found: boolean;
}

/** A pre-token (a piece the model sees on its own) and what the model did with it. */
export interface PieceTrace {
  text: string;
  start: number;
  end: number;
  /** Byte-level models: the bytes and their printable stand-ins (`Ġ` for 0x20). */
  bytes?: number[];
  byteSymbols?: string[];
  /** BPE: the symbols before any merge. */
  initial?: string[];
  merges?: MergeStep[];
  attempts?: WordPieceAttempt[];
  /** Unigram: the best segmentation's score (sum of log probabilities). */
  score?: number;
  /** Set when the piece was a special/added token matched before the model ran. */
  special?: boolean;
  tokenIds: number[];
}

export interface StageTrace {
  stage: 'normalize' | 'pre-tokenize' | 'model' | 'post-process';
  /** What ran, e.g. `BertNormalizer(lowercase, strip accents)`. */
  name: string;
  /** Set when `name` is prose (the English the CLI prints), for the panel to translate. */
  nameCode?: StageNameCode;
  detail?: string;
  detailCode?: StageDetailCode;
}

/** A stage that is not there. */
export const NO_STAGE = { name: 'none', nameCode: 'none' } as const;
/** The post-processor ran without adding its special tokens. */
export const SPECIALS_NOT_ADDED = { detail: 'special tokens not added', detailCode: 'special-tokens-not-added' } as const;

export interface EncodeTrace {
  tokenizer: string;
  stages: StageTrace[];
  normalized: string;
  pieces: PieceTrace[];
  tokens: Token[];
}

export interface EncodeOptions {
  /** Match special/added tokens in the text (HF default) or treat them as plain text (tiktoken default). */
  specialTokens?: 'match' | 'plain';
  /** Add the post-processor's tokens (`[CLS]`/`[SEP]`); default true where the tokenizer has them. */
  addSpecialTokens?: boolean;
  /** Second sequence for sentence-pair inputs (BERT). */
  pair?: string;
}

/** What every tokenizer in the engine offers. */
export interface Tokenizer {
  readonly name: string;
  readonly kind: 'byte-bpe' | 'bpe' | 'wordpiece' | 'unigram';
  readonly vocabSize: number;
  /** Default handling of special-token text, following the reference library. */
  readonly defaultSpecialTokens: 'match' | 'plain';
  encode(text: string, options?: EncodeOptions): number[];
  encodeTokens(text: string, options?: EncodeOptions): Token[];
  /** The same tokens as encodeTokens, one at a time, for inputs too large to hold as Token objects (the CLI's `--file`). */
  tokenStream(text: string, options?: EncodeOptions): Iterable<Token>;
  encodeWithTrace(text: string, options?: EncodeOptions): EncodeTrace;
  decode(ids: readonly number[]): string;
  idToToken(id: number): string | undefined;
  tokenToId(token: string): number | undefined;
}
