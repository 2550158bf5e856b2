/**
 * The docked view (a WebviewView in the Transformer Tracer activity-bar container) for
 * users who prefer the inspector beside the explorer rather than in an editor column.
 * Same content and messages as the panel (PanelSession).
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../engineClient';
import { PanelSession } from './panelSession';

export const DOCKED_VIEW_ID = 'transformerTracer.view';

export class TracerViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  session: PanelSession | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly engine: EngineClient, private readonly log: vscode.OutputChannel) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.session?.dispose();
    const session = new PanelSession(view.webview, this.context, this.engine, this.log);
    this.session = session;
    view.onDidDispose(() => { session.dispose(); if (this.session === session) this.session = undefined; });
  }

  /** True when the docked view is open and visible, so the commands send their input there. */
  get visible(): boolean {
    return !!this.view?.visible && !!this.session;
  }
}
