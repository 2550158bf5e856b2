/**
 * Transformer Tracer: Tokenize Selection (and Train BPE on Selection, which opens the
 * panel on its training tab) — the selection, or with none the current line, goes to
 * the panel.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { EngineClient } from '../engineClient';
import { TracerPanel } from '../panel/tracerPanel';
import type { TracerViewProvider } from '../panel/tracerView';

export function selectionInput(editor: vscode.TextEditor): { text: string; source: string; offset: number; version: number } {
  const doc = editor.document;
  const sel = editor.selection;
  const range = sel.isEmpty ? doc.lineAt(sel.active.line).range : new vscode.Range(sel.start, sel.end);
  const name = doc.uri.scheme === 'file' ? path.basename(doc.uri.fsPath) : doc.uri.path.split('/').pop() || 'untitled';
  const source = `${name}:${range.start.line + 1}${range.end.line !== range.start.line ? `-${range.end.line + 1}` : ''}`;
  return { text: doc.getText(range), source, offset: doc.offsetAt(range.start), version: doc.version };
}

/** The input goes to the docked view when it is open and visible, otherwise to the panel beside the editor. */
export function tokenizeSelection(context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel, docked: TracerViewProvider, tab: 'tokens' | 'train' = 'tokens'): void {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Tracer: open a file and select some text to tokenize.'));
    return;
  }
  const input = selectionInput(editor);
  if (docked.visible && docked.session) {
    docked.session.post({ type: 'showTab', tab });
    void docked.session.update({ ...input, document: editor.document.uri });
    return;
  }
  TracerPanel.show(context, engine, log, { ...input, document: editor.document.uri }, tab);
}
