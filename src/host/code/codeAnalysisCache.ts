/**
 * One analysis per document version, shared by the CodeLens, hover and inlay-hint
 * providers. Debounced: a request for a version newer than the cached one waits
 * DEBOUNCE_MS of quiet typing first (a cancelled request analyses nothing), so the
 * parser runs once per pause, not per keystroke. Incremental: each open document keeps
 * a CodeDocument (src/engine/code/codeDocument.ts) and the content changes since its last
 * analysis, so a pause reparses only what changed (bench/code.ts: a 2,000-line file
 * ~80 → ~17 ms per pause). A document over MAX_PARSE_CHARS is answered empty without
 * reading its text. Failures give an empty analysis: a provider never throws into the editor.
 */
import * as vscode from 'vscode';
import { CodeDocument, type SourceEdit } from '../../engine/code/codeDocument';
import { codeLanguageOf, MAX_PARSE_CHARS } from '../../engine/code/parser';
import type { CodeAnalysis } from '../../engine/code/types';

const DEBOUNCE_MS = 200;
const MAX_DOCUMENTS = 20;
/** More changes than this between two analyses: parse from scratch instead (a big replace-all). */
const MAX_PENDING_EDITS = 2_000;

interface Kept {
  doc: CodeDocument;
  /** Changes since the text `doc` last analysed, in order; undefined: too many, parse from scratch. */
  pending: SourceEdit[] | undefined;
  /** Updates of one document run one after another (each one's edits start from the last one's text). */
  queue: Promise<unknown>;
}

export class CodeAnalysisCache implements vscode.Disposable {
  private readonly entries = new Map<string, { version: number; result: Promise<CodeAnalysis | undefined> }>();
  private readonly lastChange = new Map<string, number>();
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly log: vscode.OutputChannel) {}

  noteChange(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    this.lastChange.set(key, Date.now());
    const k = this.kept.get(key);
    if (!k?.pending) return;
    for (const c of e.contentChanges) k.pending.push({ start: c.rangeOffset, oldEnd: c.rangeOffset + c.rangeLength, text: c.text });
    if (k.pending.length > MAX_PENDING_EDITS) k.pending = undefined;
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.entries.delete(key);
    this.lastChange.delete(key);
    this.kept.get(key)?.doc.dispose();
    this.kept.delete(key);
  }

  dispose(): void {
    for (const k of this.kept.values()) k.doc.dispose();
    this.kept.clear();
    this.entries.clear();
  }

  async analysis(doc: vscode.TextDocument, cancel?: vscode.CancellationToken): Promise<CodeAnalysis | undefined> {
    const lang = codeLanguageOf(doc.languageId);
    if (!lang) return undefined;
    const key = doc.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === doc.version) return cached.result;
    const quietFor = Date.now() - (this.lastChange.get(key) ?? 0);
    if (quietFor < DEBOUNCE_MS) {
      await new Promise((r) => setTimeout(r, DEBOUNCE_MS - quietFor));
      if (cancel?.isCancellationRequested) return undefined;
      const again = this.entries.get(key);
      if (again && again.version === doc.version) return again.result;
    }
    const version = doc.version;
    const result = this.update(key, doc, lang).catch((e: Error) => { this.log.appendLine(`code analysis of ${doc.uri.fsPath || key} failed: ${e.message}`); return undefined; });
    this.entries.set(key, { version, result });
    if (this.entries.size > MAX_DOCUMENTS) {
      const oldest = this.entries.keys().next().value!;
      this.entries.delete(oldest);
      this.kept.get(oldest)?.doc.dispose();
      this.kept.delete(oldest);
    }
    return result;
  }

  /** The text and the changes since the last analysis are read together, now; the parse runs in this document's queue. */
  private update(key: string, doc: vscode.TextDocument, lang: CodeDocument['lang']): Promise<CodeAnalysis> {
    let k = this.kept.get(key);
    if (!k || k.doc.lang !== lang) {
      k?.doc.dispose();
      k = { doc: new CodeDocument(lang), pending: [], queue: Promise.resolve() };
      this.kept.set(key, k);
    }
    const edits = k.pending;
    k.pending = [];
    // The length without copying the text: a 10 MB file is answered at once.
    const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    const text = length > MAX_PARSE_CHARS ? undefined : doc.getText();
    const kept = k;
    const run = kept.queue.then((): CodeAnalysis | Promise<CodeAnalysis> => {
      if (text !== undefined) return kept.doc.update(text, edits);
      kept.doc.dispose(); // the next analysis under the limit parses from scratch
      return { references: [], literals: [], steps: [], hasErrors: false, parseMs: 0, analyseMs: 0, skipped: 'too-large' };
    });
    kept.queue = run.catch(() => undefined);
    return run;
  }
}
