/**
 * One output token as plain data: what an encoder returns and what crosses the worker
 * and webview boundaries unchanged (the hover, the panel, the CLI). Declared here, not in
 * the engine, so `src/shared` imports nothing from `src/engine`; the engine re-exports it
 * from `src/engine/tokenizers/types.ts`.
 */

/** One output token. Offsets are UTF-16 indices into the caller's original text. */
export interface Token {
  id: number;
  /** The token as its vocabulary spells it (`Ġquick`, `##ing`, `[CLS]`). */
  text: string;
  /** The raw UTF-8 bytes it stands for (byte-level BPE); for others the UTF-8 of its text. */
  bytes: number[];
  start: number;
  end: number;
  special: boolean;
  /** BPE only: the merge rank that produced it (the id itself for tiktoken ranks). */
  rank?: number;
  /** Sentence-pair inputs: 0 for the first sequence, 1 for the second. */
  typeId?: number;
  /**
   * Sentence-pair inputs: which text `start`/`end` point into, 0 the first, 1 the pair
   * (Hugging Face `sequence_ids`); unset on tokens the post-processor adds. Not the same
   * as `typeId`: RoBERTa gives both sequences type 0.
   */
  sequence?: 0 | 1;
}
