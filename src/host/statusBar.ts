/**
 * Status bar: the token count of the selection (or the whole document when nothing is
 * selected) for the active tokenizer; click to change the tokenizer. Counts are made by
 * the worker, debounced, and stale answers are dropped.
 */
import * as vscode from 'vscode';
import { CommandId } from './commands/ids';
import type { Config } from './config';
import { Disposable } from './dispose';
import type { EngineClient } from './engineClient';
import { engineErrorText } from './engineErrorText';

const DEBOUNCE_MS = 150;
/** Beyond this the status bar counts only the selection, not the whole document. */
const WHOLE_DOCUMENT_LIMIT = 2_000_000;

export class TokenCountStatus extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('transformerTracer.count', vscode.StatusBarAlignment.Right, 100));
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(private readonly engine: EngineClient, private readonly config: () => Readonly<Config>) {
    super();
    this.item.name = vscode.l10n.t('Transformer Tracer token count');
    this.item.command = CommandId.PickTokenizer;
    this._register(vscode.window.onDidChangeTextEditorSelection(() => this.schedule()));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.schedule()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => { if (e.document === vscode.window.activeTextEditor?.document) this.schedule(); }));
    this.schedule();
  }

  refresh(): void { this.schedule(); }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    const config = this.config();
    const editor = vscode.window.activeTextEditor;
    if (!config.statusBarEnabled || !editor) { this.item.hide(); return; }
    const doc = editor.document;
    const selected = editor.selections.filter((s) => !s.isEmpty);
    const text = selected.length ? selected.map((s) => doc.getText(s)).join('') : doc.getText().length <= WHOLE_DOCUMENT_LIMIT ? doc.getText() : '';
    const what = selected.length ? vscode.l10n.t('selection') : vscode.l10n.t('file');
    const gen = ++this.generation;
    try {
      const count = await this.engine.request({ kind: 'count', tokenizer: config.tokenizer, text, special: config.specialTokens });
      if (gen !== this.generation) return;
      this.item.text = `$(symbol-string) ${vscode.l10n.t('{0} tokens', count.toLocaleString('en-US'))}`;
      this.item.tooltip = vscode.l10n.t('{0} {1} tokens in the {2} — click to change the tokenizer', count.toLocaleString('en-US'), config.tokenizer, what);
    } catch (e) {
      if (gen !== this.generation) return;
      this.item.text = `$(warning) ${vscode.l10n.t('tokens')}`;
      this.item.tooltip = `Transformer Tracer: ${engineErrorText(e)}`;
    }
    this.item.show();
  }
}
