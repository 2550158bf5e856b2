/**
 * Stable codes for the tokenizer pipeline's stage names and notes that are prose rather
 * than component names ("none", "special tokens not added", …). The engine sets them
 * beside its English text (which the CLI prints); the panel shows the translation.
 */
export type StageNameCode = 'none' | 'regex-split' | 'byte-level-bpe';
export type StageDetailCode = 'special-tokens-not-added' | 'tiktoken-no-normalize' | 'tiktoken-rank-is-id';
