/**
 * Model and tokenizer references in code, found on the parse tree (never in comments or
 * strings, which are not calls):
 *   AutoModelForCausalLM.from_pretrained("gpt2")        model
 *   AutoTokenizer.from_pretrained(model_id)             tokenizer (model_id = "…" in the file)
 *   pipeline("text-generation", model="gpt2")           pipeline
 *   tiktoken.get_encoding("cl100k_base")                tiktoken encoding
 *   tiktoken.encoding_for_model("gpt-4o")               tiktoken, through the model name
 *   await AutoTokenizer.from_pretrained('Xenova/gpt2')  transformers.js (TypeScript/JavaScript)
 *   await pipeline('sentiment-analysis', 'Xenova/…')
 */
import type { Node } from 'web-tree-sitter';
import { type CallParts, span } from './calls';
import { builtinForHubId, encodingByName, encodingForModel } from './knownTokenizers';
import { isStringNode, stringValue } from './stringLiterals';
import type { CodeReference, ReferenceKind } from './types';

/** Names bound to a fixed string in the file (`model_id = "gpt2"`), for ids passed by name. */
export type Constants = ReadonlyMap<string, Node>;

/** The string an argument stands for: a literal, or a name bound to one. */
export function argumentString(arg: Node | undefined, constants: Constants): { value: string; node: Node } | undefined {
  if (!arg) return undefined;
  if (isStringNode(arg)) {
    const value = stringValue(arg);
    return value === undefined ? undefined : { value, node: arg };
  }
  if (arg.type === 'identifier') {
    const bound = constants.get(arg.text);
    const value = stringValue(bound);
    return bound && value !== undefined ? { value, node: bound } : undefined;
  }
  return undefined;
}

/** The names of the calls referenceOf reads (a cheap filter before reading a call's parts). */
export const REFERENCE_CALL_NAMES: ReadonlySet<string> = new Set(['from_pretrained', 'pipeline', 'get_encoding', 'encoding_for_model', 'getEncoding', 'encodingForModel']);

function fromPretrainedKind(receiver: string): ReferenceKind {
  return /Tokenizer/.test(receiver) ? 'tokenizer' : 'model';
}

/** The reference a call makes, or undefined. */
export function referenceOf(call: CallParts, constants: Constants): CodeReference | undefined {
  let kind: ReferenceKind | undefined;
  let arg: Node | undefined;
  if (call.name === 'from_pretrained' && call.receiver) {
    kind = fromPretrainedKind(call.receiver);
    arg = call.kwargs.get('pretrained_model_name_or_path') ?? call.args[0];
  } else if (call.name === 'pipeline') {
    kind = 'pipeline';
    arg = call.kwargs.get('model') ?? call.args[1];
  } else if ((call.name === 'get_encoding' || call.name === 'encoding_for_model') && /(^|\.)tiktoken$/.test(call.receiver)) {
    kind = 'tiktoken';
    arg = call.kwargs.get(call.name === 'get_encoding' ? 'encoding_name' : 'model_name') ?? call.args[0];
  } else if ((call.name === 'get_encoding' || call.name === 'encoding_for_model') && call.receiver === '' ) {
    kind = 'tiktoken'; // from tiktoken import get_encoding; js-tiktoken's getEncoding is below
    arg = call.args[0];
  } else if ((call.name === 'getEncoding' || call.name === 'encodingForModel') && call.receiver === '') {
    kind = 'tiktoken';
    arg = call.args[0];
  }
  if (!kind) return undefined;
  const id = argumentString(arg, constants);
  if (!id || id.value.length === 0 || id.value.length > 200) return undefined;
  const byModel = call.name === 'encoding_for_model' || call.name === 'encodingForModel';
  const builtinTokenizer = kind === 'tiktoken' ? (byModel ? encodingForModel(id.value) : encodingByName(id.value)) : builtinForHubId(id.value);
  // the span is the literal where the id is written in the call, else the argument name
  const where = arg && isStringNode(arg) ? arg : arg ?? call.node;
  return { kind, id: id.value, callee: call.callee, call: span(call.node), ...span(where), builtinTokenizer };
}
