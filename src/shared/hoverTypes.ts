/**
 * The hover's answer from the engine worker to the host: the token(s) under a cursor
 * position, computed on the whole line (`src/engine/tokenizers/hover.ts`). Offsets are
 * UTF-16 columns in the line.
 */
import type { Token } from './tokenTypes';

export interface HoverTokens {
  /** The tokens overlapping the position (several when a character spans tokens). */
  tokens: Token[];
  /** Index of the first of them in the line's tokens. */
  index: number;
  lineTokenCount: number;
}
