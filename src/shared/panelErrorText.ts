/**
 * An engine error in the words the panel shows, given the display language's `t`
 * (vscode.l10n.t on the host; the webview's t in tests, which formats the same way): its
 * stable code's text (engineErrors.ts) first, else its translatable text (l10nText.ts),
 * else its English message. No vscode import, so tests run it on what the worker sent.
 */
import { errorCode, PANEL_ERROR_TEXT, type CodedError } from './engineErrors';
import { errorL10nText, translateText } from './l10nText';

type Translate = (message: string, ...args: (string | number)[]) => string;

/** The panel's text for a code, with its arguments; the analysis a `needs-…` code names is translated too. */
export function panelCodedText(c: CodedError, t: Translate): string {
  const args = c.code.startsWith('needs-') || c.code === 'no-lm-head' ? [t(String(c.args[0])), ...c.args.slice(1)] : c.args;
  return t(PANEL_ERROR_TEXT[c.code], ...args);
}

export function panelErrorText(e: unknown, t: Translate): string {
  const c = errorCode(e);
  if (c) return panelCodedText(c, t);
  const text = errorL10nText(e);
  if (text) return translateText(text, t);
  return e instanceof Error ? e.message : typeof (e as { message?: unknown } | null)?.message === 'string' ? (e as { message: string }).message : String(e);
}
