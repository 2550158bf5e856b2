/**
 * The webview's translations: VS Code loads `l10n/bundle.l10n.<language>.json` for the
 * display language; the webview gets that bundle in its `init` message and hands it to
 * @vscode/l10n, so `l10n.t('English text')` there follows VS Code's language. English
 * (no bundle) is the source text itself.
 */
import * as vscode from 'vscode';

export function webviewStrings(): Record<string, string> {
  return (vscode.l10n.bundle as Record<string, string> | undefined) ?? {};
}
