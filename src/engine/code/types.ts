/**
 * What code analysis finds in a source file (src/engine/code/analyze.ts): model and
 * tokenizer references, string literals sent to a tokenizer, and attention steps.
 * Offsets are UTF-16 indices into the source (as VS Code's offsetAt), lines 0-based.
 */
import type { CodeStepKind } from '../../shared/stepFocus';

export interface Span {
  start: number;
  end: number;
  /** 0-based line of `start` */
  line: number;
}

/** What a reference loads: a model, a tokenizer, a pipeline (model + tokenizer), a tiktoken encoding. */
export type ReferenceKind = 'model' | 'tokenizer' | 'pipeline' | 'tiktoken';

export interface CodeReference extends Span {
  kind: ReferenceKind;
  /** The id the code names: `gpt2`, `Qwen/Qwen2.5-0.5B`, `cl100k_base`, `gpt-4o` */
  id: string;
  /** The callee as written: `AutoModelForCausalLM.from_pretrained`, `tiktoken.encoding_for_model` */
  callee: string;
  /** The whole call's span (the CodeLens sits on its line) */
  call: Span;
  /** The built-in tokenizer this id is known to use (`r50k_base`, `cl100k_base`, `bert-base-uncased`), if any */
  builtinTokenizer?: string;
}

export interface TokenizerLiteral extends Span {
  /** The string's value (escapes decoded) */
  value: string;
  /** How it reaches a tokenizer: an argument of a tokenizer call, or a constant named like a prompt */
  via: 'call' | 'constant';
  /** The tokenizer id the code names for it (`gpt2`, `cl100k_base`), when the file says */
  tokenizerId?: string;
  /** The built-in tokenizer for `tokenizerId`, when known */
  builtinTokenizer?: string;
}

/** The steps (src/shared/stepFocus.ts lists them once: the panel's step trace scrolls to each). */
export type AttentionStepKind = CodeStepKind;

export interface AttentionStep extends Span {
  kind: AttentionStepKind;
  /** The code of the node that matched (trimmed to 120 characters) */
  code: string;
  /** scaled_dot_product_attention(…, is_causal=True) */
  causal?: boolean;
}

export interface CodeAnalysis {
  references: CodeReference[];
  literals: TokenizerLiteral[];
  steps: AttentionStep[];
  /** Set when nothing was analysed: the file is too large, or the parse ran past its budget */
  skipped?: 'too-large' | 'over-budget';
  /** The parse tree had syntax errors (analysis still ran on what parsed) */
  hasErrors: boolean;
  parseMs: number;
  analyseMs: number;
}
