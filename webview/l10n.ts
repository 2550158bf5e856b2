/**
 * Translations in the webview: the host sends VS Code's l10n bundle for the display
 * language (`init.strings`), @vscode/l10n reads it, and `t('English text', …args)`
 * returns the translation (or the English text when there is none). `{0}` placeholders
 * are filled from the arguments.
 */
import * as l10n from '@vscode/l10n';

export function setBundle(bundle: Record<string, string>): void {
  l10n.config({ contents: bundle });
}

export function t(message: string, ...args: (string | number)[]): string {
  return l10n.t(message, ...args);
}
