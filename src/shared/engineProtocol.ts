/**
 * Requests from the extension host to the engine worker thread and their answers.
 * Each request carries an id; the worker answers `{ id, ok, value | error }`.
 */
import type { TokenizeResult, TraceResult, TrainResultMessage } from './protocol';
import type { HoverTokens } from '../engine/tokenizers/hover';

export type SpecialMode = 'default' | 'match' | 'plain';

export type EngineRequest =
  | { kind: 'tokenize'; tokenizer: string; text: string; source: string; special: SpecialMode; limit: number }
  | { kind: 'count'; tokenizer: string; text: string; special: SpecialMode }
  | { kind: 'trace'; tokenizer: string; text: string; special: SpecialMode; tokenIndex: number }
  | { kind: 'train'; text: string; mode: 'classic' | 'byte-level'; merges: number; minFrequency: number }
  | { kind: 'hover'; tokenizer: string; line: string; column: number; special: SpecialMode };

export interface EngineAnswers {
  tokenize: TokenizeResult;
  count: number;
  trace: TraceResult;
  train: TrainResultMessage;
  hover: HoverTokens | undefined;
}

export type EngineResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Largest selection the engine accepts; larger ones get an error that names this limit. */
export const MAX_SELECTION_CHARS = 16 * 1024 * 1024;
