/**
 * One open document's analysis, kept up to date incrementally as the user types:
 *   - the parse tree is kept between versions; each edit (the editor's content changes,
 *     UTF-16 offsets into the text before that edit) is applied with `tree.edit`, and the
 *     new text is parsed with the old tree, so tree-sitter reuses every unchanged subtree
 *     (a keystroke in a 2,000-line file reparses in ~1–3 ms instead of ~15–20);
 *   - what the walk reads off each top-level statement (its attention steps, the
 *     assignments that can matter, every call's callee text) is kept by the statement's
 *     text, offsets relative to its start, so typing inside one statement walks only that
 *     one. References and literals depend on names bound anywhere in the file
 *     (`tok = AutoTokenizer…`, `MODEL_ID = "gpt2"`): they are resolved over the whole file
 *     each time, from those kept facts, reading only the few calls whose callee can matter.
 * The answer equals analyzeCode's fresh full parse of the same text (test/engine/code/
 * incremental.test.ts checks it after sequences of edits, syntax errors included).
 * Budgets as parser.ts: a text over MAX_PARSE_CHARS is not parsed (and no tree is kept),
 * a parse past its budget answers `skipped` and the next update parses from scratch.
 * The caller calls dispose() when the document closes (the tree lives in WebAssembly memory).
 */
import type { Edit, Node, Point, Tree } from 'web-tree-sitter';
import { ASSIGNMENT_TYPES, analyzeTree, assignmentMatters, walkTree, type Walked } from './analyze';
import { CALL_TYPES } from './calls';
import { type CodeLanguage, DEFAULT_PARSE_BUDGET_MS, loadParser, MAX_PARSE_CHARS } from './parser';
import type { AttentionStep, CodeAnalysis } from './types';

/** Replace source[start, oldEnd) by text; offsets are UTF-16 indices into the text before this edit. */
export interface SourceEdit {
  start: number;
  oldEnd: number;
  text: string;
}

/** Row and UTF-16 column of `offset` in `text` (tree-sitter's web binding counts UTF-16 units). */
export function pointAt(text: string, offset: number): Point {
  let row = 0, lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { row++; lineStart = i + 1; }
  return { row, column: offset - lineStart };
}

/** The point after inserting `inserted` at `from`: its end within itself (pointAt), moved to `from`. */
function pointAfter(from: Point, inserted: string): Point {
  const end = pointAt(inserted, inserted.length);
  return end.row === 0 ? { row: from.row, column: from.column + end.column } : { row: from.row + end.row, column: end.column };
}

/** The tree-sitter edit for one SourceEdit on `before`, and the text after it. */
export function treeEdit(before: string, e: SourceEdit): { edit: Edit; after: string } {
  const startPosition = pointAt(before, e.start);
  const oldEndPosition = pointAt(before, e.oldEnd);
  const edit: Edit = {
    startIndex: e.start, oldEndIndex: e.oldEnd, newEndIndex: e.start + e.text.length,
    startPosition, oldEndPosition, newEndPosition: pointAfter(startPosition, e.text),
  };
  return { edit, after: before.slice(0, e.start) + e.text + before.slice(e.oldEnd) };
}

/** What one top-level statement gave the walk, offsets and lines relative to its start. */
interface ChunkWalk {
  steps: AttentionStep[];
  assignments: (readonly [number, number])[];
  calls: { callee: string; at: readonly [number, number] }[];
}

export class CodeDocument {
  private tree: Tree | undefined;
  private text = '';
  private chunks = new Map<string, ChunkWalk>();
  private missed = false;
  /** How the last update parsed: 'incremental' (edits applied to the kept tree), 'full', or not at all. */
  lastParse: 'incremental' | 'full' | 'skipped' = 'skipped';
  /** How the last update walked: statement by statement (unchanged ones reused), or the whole tree again after a node was not found. */
  lastWalk: 'by-statement' | 'full' = 'full';
  /** Top-level statements whose walk the last update reused. */
  reused = 0;

  constructor(readonly lang: CodeLanguage, private readonly budgetMs = DEFAULT_PARSE_BUDGET_MS) {}

  /**
   * Analyse `source`. `edits`, when given, are the changes from the text of the previous
   * update to `source`, in the order they apply; if they do not lead to `source` (a missed
   * event) the text is parsed from scratch.
   */
  async update(source: string, edits?: readonly SourceEdit[]): Promise<CodeAnalysis> {
    const started = performance.now();
    if (source.length > MAX_PARSE_CHARS) {
      this.drop();
      return { references: [], literals: [], steps: [], hasErrors: false, parseMs: 0, analyseMs: 0, skipped: 'too-large' };
    }
    const parser = await loadParser(this.lang);
    let old = this.tree;
    if (old && edits) {
      let text = this.text;
      for (const e of edits) {
        if (e.start < 0 || e.oldEnd < e.start || e.oldEnd > text.length) { text = ''; break; }
        const { edit, after } = treeEdit(text, e);
        old.edit(edit);
        text = after;
      }
      if (text !== source) { this.drop(); old = undefined; }
    } else if (old && source !== this.text) {
      this.drop(); old = undefined;
    }
    const deadline = performance.now() + this.budgetMs;
    const tree = parser.parse(source, old ?? null, { progressCallback: () => performance.now() > deadline }) ?? undefined;
    this.drop();
    const parseMs = performance.now() - started;
    if (!tree) {
      parser.reset();
      this.lastParse = 'skipped';
      return { references: [], literals: [], steps: [], hasErrors: false, parseMs, analyseMs: 0, skipped: 'over-budget' };
    }
    this.lastParse = old ? 'incremental' : 'full';
    this.tree = tree;
    this.text = source;
    this.missed = false;
    const analysis = analyzeTree(tree, parseMs, (root) => this.walk(root));
    this.lastWalk = this.missed ? 'full' : 'by-statement';
    if (!this.missed) return analysis;
    this.chunks.clear();
    return analyzeTree(tree, parseMs);
  }

  /** Free the kept tree (the document closed). */
  dispose(): void {
    this.drop();
    this.chunks.clear();
  }

  private drop(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.text = '';
  }

  /**
   * The walk, statement by statement: a top-level statement whose text was seen in the last
   * update reuses its steps, its assignments that matter and its calls' callee texts
   * (offsets relative to its start); the nodes analyzeTree then asks for are found again in
   * the new tree by their range. Steps of one kind on one line are kept once
   * (findAttentionSteps' rule), across statements too (`a = softmax(x); b = softmax(y)`).
   */
  private walk(root: Node): Walked {
    const next = new Map<string, ChunkWalk>();
    const out: Walked = { assignments: [], calls: [], steps: [] };
    const seen = new Set<string>();
    this.reused = 0;
    for (const chunk of root.children) {
      if (!chunk) continue;
      const key = `${chunk.type}\0${chunk.text}`;
      const base = chunk.startIndex, row = chunk.startPosition.row;
      let rel = next.get(key) ?? this.chunks.get(key);
      if (rel) this.reused++;
      else {
        const w = walkTree(chunk);
        const at = (n: Node) => [n.startIndex - base, n.endIndex - base] as const;
        rel = {
          steps: w.steps.map((s) => ({ ...s, start: s.start - base, end: s.end - base, line: s.line - row })),
          assignments: w.assignments.filter(assignmentMatters).map(at),
          calls: w.calls.map((c) => ({ callee: c.callee, at: at(c.node()!) })),
        };
      }
      next.set(key, rel);
      for (const [start, end] of rel.assignments) {
        const n = this.locate(root, base + start, base + end, ASSIGNMENT_TYPES);
        if (n) out.assignments.push(n);
      }
      for (const c of rel.calls) out.calls.push({ callee: c.callee, node: () => this.locate(root, base + c.at[0], base + c.at[1], CALL_TYPES) });
      for (const s of rel.steps) {
        const line = s.line + row;
        if (seen.has(`${s.kind}:${line}`)) continue;
        seen.add(`${s.kind}:${line}`);
        out.steps.push({ ...s, start: s.start + base, end: s.end + base, line });
      }
    }
    this.chunks = next;
    out.steps.sort((a, b) => a.start - b.start);
    return out;
  }

  /** The node of one of `types` spanning exactly [start, end); a miss marks the walk as failed (analysed again in full). */
  private locate(root: Node, start: number, end: number, types: readonly string[]): Node | undefined {
    for (let n: Node | null = root.descendantForIndex(start, end); n && n.startIndex === start && n.endIndex === end; n = n.parent) {
      if (types.includes(n.type)) return n;
    }
    this.missed = true;
    return undefined;
  }
}
