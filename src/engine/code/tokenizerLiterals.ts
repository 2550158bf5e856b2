/**
 * String literals that code sends to a tokenizer, with the tokenizer it names:
 *   tok = AutoTokenizer.from_pretrained("gpt2");  tok("Hello world")       → gpt2
 *   enc = tiktoken.get_encoding("cl100k_base");  enc.encode("Hello")     → cl100k_base
 *   tokenizer.encode("…") with `tokenizer` bound nowhere in the file        → the configured one
 *   system_prompt = """You are…"""  (a constant named like a prompt)        → the file's tokenizer
 * Not a tokenizer: `"abc".encode("utf-8")`, `base64.b64encode(…)`, `codec.encode(…)` on a
 * name the file does not bind to a tokenizer — no literal, so no hint.
 */
import type { Node } from 'web-tree-sitter';
import { type CallParts, span } from './calls';
import { argumentString, type Constants } from './references';
import { stringValue } from './stringLiterals';
import type { CodeReference, TokenizerLiteral } from './types';

/** Methods of a tokenizer object that take text first (HF tokenizers, tiktoken, transformers.js, js-tiktoken). */
const TEXT_METHODS = new Set(['encode', 'encode_ordinary', 'encode_plus', 'tokenize', 'batch_encode_plus', 'encode_batch', 'encode_ordinary_batch', '__call__', 'count_tokens']);
/** A name that is a tokenizer even when the file does not show where it came from (a parameter, an attribute). */
const TOKENIZER_NAME = /(^|[._])(tokenizer|hf_tokenizer|text_tokenizer)$/i;
const PROMPT_NAME = /(^|_)(prompt|system_prompt|user_prompt|prompt_template)$|Prompt$|^PROMPT$|_PROMPT$/i;

/**
 * Whether a call written `callee` (whitespace removed) can be a tokenizer call for
 * tokenizerOf below, from its text alone: a cheap filter before reading the call's parts.
 * It may say yes to calls tokenizerOf then refuses, never no to one it accepts.
 */
export function mayBeTokenizerCall(callee: string, boundNames: ReadonlySet<string>): boolean {
  const last = callee.slice(callee.lastIndexOf('.') + 1);
  return TEXT_METHODS.has(last) || TOKENIZER_NAME.test(callee) || boundNames.has(callee);
}

/** Bindings of names to what loads them: `tok` → AutoTokenizer.from_pretrained("gpt2"). */
export type Bindings = ReadonlyMap<string, CodeReference>;

function tokenizerOf(call: CallParts, bindings: Bindings): { tokenizer: CodeReference | undefined } | undefined {
  if (call.receiver === '' || !TEXT_METHODS.has(call.name)) {
    // the tokenizer called as a function: tok("…"), self.tokenizer("…")
    const bound = bindings.get(call.callee);
    if (bound) return { tokenizer: bound };
    return TOKENIZER_NAME.test(call.callee) ? { tokenizer: undefined } : undefined;
  }
  const bound = bindings.get(call.receiver);
  if (bound) return { tokenizer: bound };
  return TOKENIZER_NAME.test(call.receiver) ? { tokenizer: undefined } : undefined;
}

/** The text arguments of a tokenizer call: the first argument (or `text=`), a list's strings. */
function textArguments(call: CallParts): Node[] {
  const first = call.kwargs.get('text') ?? call.args[0];
  if (!first) return [];
  if (first.type === 'list' || first.type === 'array' || first.type === 'tuple') return first.namedChildren.filter((n): n is Node => !!n);
  return [first];
}

function literal(node: Node, value: string, via: TokenizerLiteral['via'], tokenizer: CodeReference | undefined): TokenizerLiteral {
  return { ...span(node), value, via, ...(tokenizer ? { tokenizerId: tokenizer.id, builtinTokenizer: tokenizer.builtinTokenizer } : {}) };
}

export function literalsOfCall(call: CallParts, bindings: Bindings, constants: Constants): TokenizerLiteral[] {
  const who = tokenizerOf(call, bindings);
  if (!who) return [];
  const out: TokenizerLiteral[] = [];
  for (const arg of textArguments(call)) {
    const s = argumentString(arg, constants);
    if (s && s.value.length > 0) out.push(literal(s.node, s.value, 'call', who.tokenizer));
  }
  return out;
}

/** `prompt = "…"`: counted with the file's tokenizer when it names exactly one. */
export function promptConstant(name: string, valueNode: Node, bindings: Bindings): TokenizerLiteral | undefined {
  if (!PROMPT_NAME.test(name)) return undefined;
  const value = stringValue(valueNode);
  if (value === undefined || value.length === 0) return undefined;
  const ids = new Map([...bindings.values()].filter((r) => r.kind !== 'model').map((r) => [r.id, r]));
  return literal(valueNode, value, 'constant', ids.size === 1 ? [...ids.values()][0] : undefined);
}
