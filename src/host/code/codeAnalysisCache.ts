/**
 * One analysis per document version, shared by the CodeLens, hover and inlay-hint
 * providers. Debounced: a request for a version newer than the cached one waits
 * DEBOUNCE_MS of quiet typing first (a cancelled request analyses nothing), so the
 * parser runs once per pause, not per keystroke. Failures give an empty analysis: a
 * provider never throws into the editor.
 */
import * as vscode from 'vscode';
import { analyzeCode } from '../../engine/code/analyze';
import { codeLanguageOf } from '../../engine/code/parser';
import type { CodeAnalysis } from '../../engine/code/types';

const DEBOUNCE_MS = 200;
const MAX_DOCUMENTS = 20;

export class CodeAnalysisCache {
  private readonly entries = new Map<string, { version: number; result: Promise<CodeAnalysis | undefined> }>();
  private readonly lastChange = new Map<string, number>();

  constructor(private readonly log: vscode.OutputChannel) {}

  noteChange(doc: vscode.TextDocument): void {
    this.lastChange.set(doc.uri.toString(), Date.now());
  }

  forget(doc: vscode.TextDocument): void {
    this.entries.delete(doc.uri.toString());
    this.lastChange.delete(doc.uri.toString());
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
    const result = analyzeCode(doc.getText(), lang).catch((e: Error) => { this.log.appendLine(`code analysis of ${doc.uri.fsPath || key} failed: ${e.message}`); return undefined; });
    this.entries.set(key, { version, result });
    if (this.entries.size > MAX_DOCUMENTS) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }
}
