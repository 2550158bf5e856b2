/**
 * Code analysis in one call: parse (src/engine/code/parser.ts), then one pass over the
 * tree's calls, assignments, operators and definitions to find
 *   - model / tokenizer references (references.ts),
 *   - string literals sent to a tokenizer and prompt constants (tokenizerLiterals.ts),
 *   - attention steps (attentionSteps.ts).
 * No vscode import: the host's providers, the CLI and tests call the same function.
 * Cost: a 2,000-line Python file parses in ~20 ms and is walked in ~30 ms (every node
 * visit crosses into WebAssembly). An open document is analysed incrementally instead
 * (codeDocument.ts: the tree edited and reparsed, the attention steps of unchanged
 * top-level statements reused), through the same analyzeTree.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { findAttentionSteps, STEP_NODE_TYPES } from './attentionSteps';
import { CALL_TYPES, calleeText, callParts, unwrap } from './calls';
import { type CodeLanguage, DEFAULT_PARSE_BUDGET_MS, parseSource } from './parser';
import { REFERENCE_CALL_NAMES, referenceOf } from './references';
import { isStringNode } from './stringLiterals';
import { literalsOfCall, mayBeTokenizerCall, promptConstant } from './tokenizerLiterals';
import type { AttentionStep, CodeAnalysis, CodeReference, TokenizerLiteral } from './types';

export const ASSIGNMENT_TYPES = ['assignment', 'variable_declarator', 'assignment_expression'];

/** `x = …` in either grammar: the bound name's text and the value node. */
function assignmentParts(node: Node): { name: string; value: Node } | undefined {
  const left = node.childForFieldName(node.type === 'variable_declarator' ? 'name' : 'left');
  const value = node.childForFieldName(node.type === 'variable_declarator' ? 'value' : 'right');
  if (!left || !value) return undefined;
  if (!['identifier', 'attribute', 'member_expression'].includes(left.type)) return undefined;
  return { name: left.text.replace(/\s+/g, '').replace(/^this\./, 'this.'), value };
}

export const WALKED_TYPES = [...new Set([...CALL_TYPES, ...ASSIGNMENT_TYPES, ...STEP_NODE_TYPES])];

export async function analyzeCode(source: string, lang: CodeLanguage, budgetMs = DEFAULT_PARSE_BUDGET_MS): Promise<CodeAnalysis> {
  const parsed = await parseSource(source, lang, budgetMs);
  if (!parsed.tree) return { references: [], literals: [], steps: [], hasErrors: false, parseMs: parsed.ms, analyseMs: 0, skipped: parsed.skipped };
  try {
    return analyzeTree(parsed.tree, parsed.ms);
  } finally {
    parsed.tree.delete();
  }
}

/** What the analysis reads off the tree, in tree order: assignments, calls (the callee's text, the node on demand) and the steps. */
export interface Walked {
  assignments: Node[];
  calls: { callee: string; node: () => Node | undefined }[];
  steps: AttentionStep[];
}

/** Walk the whole tree (analyzeCode's path). */
export function walkTree(root: Node): Walked {
  const nodes = root.descendantsOfType(WALKED_TYPES).filter((n): n is Node => !!n);
  return {
    assignments: nodes.filter((n) => ASSIGNMENT_TYPES.includes(n.type)),
    // Most calls are neither a reference nor a tokenizer call: read only the callee's text
    // here (two WebAssembly crossings instead of a dozen), the call's parts when it may be.
    calls: nodes.filter((n) => CALL_TYPES.includes(n.type)).map((node) => ({ callee: calleeText(node), node: () => node })),
    steps: findAttentionSteps(nodes),
  };
}

/** Whether an assignment can matter to analyzeTree: a string constant, or a name bound to a possible reference call. */
export function assignmentMatters(node: Node): boolean {
  const a = assignmentParts(node);
  if (!a) return false;
  if (isStringNode(a.value)) return true;
  const value = unwrap(a.value);
  return !!value && CALL_TYPES.includes(value.type) && REFERENCE_CALL_NAMES.has(lastName(calleeText(value)));
}

const lastName = (callee: string) => callee.slice(callee.lastIndexOf('.') + 1);

/**
 * The analysis of a parsed tree (the caller keeps and deletes it). `walk`, when given,
 * reads the tree instead of walkTree (the incremental path, codeDocument.ts, reuses
 * unchanged statements' walks; it may leave out assignments that do not matter); it must
 * give the same answer.
 */
export function analyzeTree(tree: Tree, parseMs: number, walk: (root: Node) => Walked = walkTree): CodeAnalysis {
  const started = performance.now();
  const root = tree.rootNode;
  const walked = walk(root);
  const constants = new Map<string, Node>();
  const assignments: { name: string; value: Node }[] = [];
  for (const n of walked.assignments) {
    const a = assignmentParts(n);
    if (!a) continue;
    assignments.push(a);
    if (isStringNode(a.value) && !constants.has(a.name)) constants.set(a.name, a.value);
  }
  const references: CodeReference[] = [];
  const byCall = new Map<number, CodeReference>();
  for (const { node: nodeOf, callee } of walked.calls) {
    if (!REFERENCE_CALL_NAMES.has(lastName(callee))) continue;
    const node = nodeOf();
    const c = node && callParts(node);
    const ref = c && referenceOf(c, constants);
    if (ref) { references.push(ref); byCall.set(node!.id, ref); }
  }
  // names bound to a tokenizer (or a pipeline, or a tiktoken encoding)
  const bindings = new Map<string, CodeReference>();
  for (const a of assignments) {
    const value = unwrap(a.value);
    const ref = value && byCall.get(value.id);
    if (ref && ref.kind !== 'model') bindings.set(a.name, ref);
  }
  const bound = new Set(bindings.keys());
  const calls = walked.calls.filter((c) => mayBeTokenizerCall(c.callee, bound)).map((c) => c.node()).map((n) => n && callParts(n)).filter((c) => c !== undefined);
  const literals: TokenizerLiteral[] = [];
  const seen = new Set<number>();
  const add = (l: TokenizerLiteral | undefined) => { if (l && !seen.has(l.start)) { seen.add(l.start); literals.push(l); } };
  for (const c of calls) for (const l of literalsOfCall(c, bindings, constants)) add(l);
  for (const a of assignments) add(promptConstant(a.name.replace(/^(self|this)\./, ''), a.value, bindings));
  literals.sort((a, b) => a.start - b.start);
  return { references, literals, steps: walked.steps, hasErrors: root.hasError, parseMs, analyseMs: performance.now() - started };
}
