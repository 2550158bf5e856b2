/**
 * The editor-area panel: one WebviewPanel beside the editor, revived after a window
 * reload (registerWebviewPanelSerializer). Its content and messages live in
 * PanelSession, shared with the docked view.
 */
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { EngineClient } from '../engineClient';
import { PanelSession, type PanelInput } from './panelSession';
import { markNow } from '../../shared/panelTiming';

export const PANEL_VIEW_TYPE = 'transformerTracer.panel';
export type { PanelInput } from './panelSession';

export class TracerPanel extends Disposable {
  private static current: TracerPanel | undefined;
  readonly session: PanelSession;

  static show(context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel, input: PanelInput, tab: 'tokens' | 'train' = 'tokens'): TracerPanel {
    if (!TracerPanel.current) {
      const shown = markNow();
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Transformer Tracer', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { retainContextWhenHidden: true, enableScripts: true });
      const created = markNow();
      TracerPanel.current = new TracerPanel(panel, context, engine, log);
      TracerPanel.current.session.mark('show', shown);
      TracerPanel.current.session.mark('panelCreated', created);
    } else TracerPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
    TracerPanel.current.session.post({ type: 'showTab', tab });
    void TracerPanel.current.session.update(input);
    return TracerPanel.current;
  }

  /** After a window reload (registerWebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel): void {
    TracerPanel.current?.dispose();
    TracerPanel.current = new TracerPanel(panel, context, engine, log);
  }

  private constructor(private readonly panel: vscode.WebviewPanel, context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel) {
    super();
    this.session = this._register(new PanelSession(panel.webview, context, engine, log));
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (TracerPanel.current === this) TracerPanel.current = undefined;
    this.panel.dispose();
    super.dispose();
  }
}
