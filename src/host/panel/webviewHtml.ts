/**
 * The panel's HTML for a VS Code webview (panelHtml.ts with the webview's URIs and the
 * inlined boot script, dist/webviewBoot.js) and the webview options: scripts on, local
 * resources limited to dist/ and media/.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { panelHtml } from './panelHtml';

let bootScript: string | undefined;
/** dist/webviewBoot.js (a few hundred bytes), read once. */
function boot(extensionUri: vscode.Uri): string {
  bootScript ??= readFileSync(vscode.Uri.joinPath(extensionUri, 'dist', 'webviewBoot.js').fsPath, 'utf8');
  return bootScript;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return panelHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    title,
    bootScript: boot(extensionUri),
  });
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
