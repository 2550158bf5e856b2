/**
 * An engine error as the panel shows it: in the display language when the engine gave it
 * a stable code (src/shared/engineErrors.ts), as the engine wrote it otherwise. The name of
 * the analysis a model cannot run (logit lens, per-token loss) is translated too.
 */
import * as vscode from 'vscode';
import { errorCode, PANEL_ERROR_TEXT, type CodedError } from '../shared/engineErrors';

/** The panel's text for a code, with its arguments, in the display language. */
export function codedText(c: CodedError): string {
  const args = c.code.startsWith('needs-') || c.code === 'no-lm-head' ? [vscode.l10n.t(String(c.args[0])), ...c.args.slice(1)] : c.args;
  return vscode.l10n.t(PANEL_ERROR_TEXT[c.code], ...args);
}

export function engineErrorText(e: unknown): string {
  const c = errorCode(e);
  return c ? codedText(c) : e instanceof Error ? e.message : String(e);
}
