/**
 * Code analysis in one call: parse (src/engine/code/parser.ts), then one pass over the
 * tree's calls, assignments, operators and definitions to find
 *   - model / tokenizer references (references.ts),
 *   - string literals sent to a tokenizer and prompt constants (tokenizerLiterals.ts),
 *   - attention steps (attentionSteps.ts).
 * No vscode import: the host's providers, the CLI and tests call the same function.
 * Cost: a 2,000-line Python file parses in ~10–20 ms and is walked in a few ms.
 */
import type { Node } from 'web-tree-sitter';
import { findAttentionSteps, STEP_NODE_TYPES } from './attentionSteps';
import { CALL_TYPES, callParts, unwrap } from './calls';
import { type CodeLanguage, DEFAULT_PARSE_BUDGET_MS, parseSource } from './parser';
import { referenceOf } from './references';
import { isStringNode } from './stringLiterals';
import { literalsOfCall, promptConstant } from './tokenizerLiterals';
import type { CodeAnalysis, CodeReference, TokenizerLiteral } from './types';

const ASSIGNMENT_TYPES = ['assignment', 'variable_declarator', 'assignment_expression'];

/** `x = …` in either grammar: the bound name's text and the value node. */
function assignmentParts(node: Node): { name: string; value: Node } | undefined {
  const left = node.childForFieldName(node.type === 'variable_declarator' ? 'name' : 'left');
  const value = node.childForFieldName(node.type === 'variable_declarator' ? 'value' : 'right');
  if (!left || !value) return undefined;
  if (!['identifier', 'attribute', 'member_expression'].includes(left.type)) return undefined;
  return { name: left.text.replace(/\s+/g, '').replace(/^this\./, 'this.'), value };
}

export async function analyzeCode(source: string, lang: CodeLanguage, budgetMs = DEFAULT_PARSE_BUDGET_MS): Promise<CodeAnalysis> {
  const parsed = await parseSource(source, lang, budgetMs);
  const empty: CodeAnalysis = { references: [], literals: [], steps: [], hasErrors: false, parseMs: parsed.ms, analyseMs: 0 };
  if (!parsed.tree) return { ...empty, skipped: parsed.skipped };
  const started = performance.now();
  try {
    const root = parsed.tree.rootNode;
    const nodes = root.descendantsOfType([...new Set([...CALL_TYPES, ...ASSIGNMENT_TYPES, ...STEP_NODE_TYPES])]).filter((n): n is Node => !!n);
    const constants = new Map<string, Node>();
    const assignments: { name: string; value: Node }[] = [];
    for (const n of nodes) {
      if (!ASSIGNMENT_TYPES.includes(n.type)) continue;
      const a = assignmentParts(n);
      if (!a) continue;
      assignments.push(a);
      if (isStringNode(a.value) && !constants.has(a.name)) constants.set(a.name, a.value);
    }
    const calls = nodes.filter((n) => CALL_TYPES.includes(n.type)).map(callParts).filter((c) => c !== undefined);
    const references: CodeReference[] = [];
    const byCall = new Map<number, CodeReference>();
    for (const c of calls) {
      const ref = referenceOf(c, constants);
      if (ref) { references.push(ref); byCall.set(c.node.id, ref); }
    }
    // names bound to a tokenizer (or a pipeline, or a tiktoken encoding)
    const bindings = new Map<string, CodeReference>();
    for (const a of assignments) {
      const value = unwrap(a.value);
      const ref = value && byCall.get(value.id);
      if (ref && ref.kind !== 'model') bindings.set(a.name, ref);
    }
    const literals: TokenizerLiteral[] = [];
    const seen = new Set<number>();
    const add = (l: TokenizerLiteral | undefined) => { if (l && !seen.has(l.start)) { seen.add(l.start); literals.push(l); } };
    for (const c of calls) for (const l of literalsOfCall(c, bindings, constants)) add(l);
    for (const a of assignments) add(promptConstant(a.name.replace(/^(self|this)\./, ''), a.value, bindings));
    literals.sort((a, b) => a.start - b.start);
    const steps = findAttentionSteps(nodes);
    return { references, literals, steps, hasErrors: root.hasError, parseMs: parsed.ms, analyseMs: performance.now() - started };
  } finally {
    parsed.tree.delete();
  }
}
