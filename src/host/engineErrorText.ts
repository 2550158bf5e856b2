/**
 * An engine error as the panel shows it: in the display language when the engine gave it
 * a stable code (src/shared/engineErrors.ts) or a translatable text (src/shared/l10nText.ts,
 * every ModelError has one), as the engine wrote it otherwise. The name of the analysis a
 * model cannot run (logit lens, per-token loss) is translated too.
 */
import * as vscode from 'vscode';
import { type CodedError } from '../shared/engineErrors';
import { panelErrorText, panelCodedText } from '../shared/panelErrorText';

/** The panel's text for a code, with its arguments, in the display language. */
export function codedText(c: CodedError): string {
  return panelCodedText(c, vscode.l10n.t);
}

export function engineErrorText(e: unknown): string {
  return panelErrorText(e, vscode.l10n.t);
}
