/**
 * The panel's HTML for a VS Code webview (panelHtml.ts with the webview's URIs) and the
 * webview options: scripts on, local resources limited to dist/ and media/.
 */
import * as vscode from 'vscode';
import { panelHtml } from './panelHtml';

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return panelHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    title,
  });
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
