/**
 * Toggle: draw token boundaries in the editor as alternating backgrounds over the
 * visible lines, recomputed (in the worker) as the view scrolls or the text changes.
 */
import * as vscode from 'vscode';
import type { Config } from './config';
import { Disposable } from './dispose';
import type { EngineClient } from './engineClient';
import { engineErrorText } from './engineErrorText';

/** Visible text beyond this is not decorated (a notice says so). */
const MAX_DECORATED_CHARS = 200_000;

export class TokenBoundaries extends Disposable {
  private enabled = false;
  private readonly even = this._register(vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor('editor.wordHighlightBackground'), borderRadius: '2px' }));
  private readonly odd = this._register(vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor('editor.selectionHighlightBackground'), borderRadius: '2px' }));
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly engine: EngineClient, private readonly config: () => Readonly<Config>) {
    super();
    this._register(vscode.window.onDidChangeTextEditorVisibleRanges(() => this.schedule()));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.schedule()));
    this._register(vscode.workspace.onDidChangeTextDocument(() => this.schedule()));
  }

  toggle(): boolean {
    this.enabled = !this.enabled;
    if (this.enabled) this.schedule(); else for (const e of vscode.window.visibleTextEditors) { e.setDecorations(this.even, []); e.setDecorations(this.odd, []); }
    return this.enabled;
  }

  refresh(): void { if (this.enabled) this.schedule(); }

  private schedule(): void {
    if (!this.enabled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.decorate(), 100);
  }

  private async decorate(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.enabled) return;
    const visible = editor.visibleRanges[0] ?? new vscode.Range(0, 0, Math.min(editor.document.lineCount - 1, 200), 0);
    const range = new vscode.Range(visible.start.line, 0, visible.end.line, editor.document.lineAt(visible.end.line).text.length);
    const text = editor.document.getText(range);
    if (text.length > MAX_DECORATED_CHARS) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Transformer Tracer: token boundaries are drawn for at most {0} visible characters.', MAX_DECORATED_CHARS.toLocaleString('en-US')));
      return;
    }
    const config = this.config();
    const base = editor.document.offsetAt(range.start);
    try {
      const r = await this.engine.request({ kind: 'tokenize', tokenizer: config.tokenizer, text, source: '', special: config.specialTokens, limit: 200_000 });
      const even: vscode.Range[] = [], odd: vscode.Range[] = [];
      r.tokens.filter((t) => t.end > t.start).forEach((t, i) => {
        (i % 2 ? odd : even).push(new vscode.Range(editor.document.positionAt(base + t.start), editor.document.positionAt(base + t.end)));
      });
      editor.setDecorations(this.even, even);
      editor.setDecorations(this.odd, odd);
    } catch (e) {
      void vscode.window.showErrorMessage(`Transformer Tracer: ${engineErrorText(e)}`);
    }
  }
}
