/**
 * The commands behind the code features' CodeLens and hover links:
 *   tokenizeWith(spec)      set the tokenizer, then Tokenize Selection
 *   inspectAttention(id)    set the model (a cached Hub id), then open the panel's Attention tab
 *   showStep(kind)          the step trace scrolled to that step (src/shared/stepFocus.ts):
 *                           the panel's Attention tab on the selection, or on a sample
 *                           sentence when nothing is selected
 */
import * as vscode from 'vscode';
import { setModel, setTokenizer } from '../config';
import type { EngineClient } from '../engineClient';
import { TracerPanel } from '../panel/tracerPanel';
import type { HostToWebview } from '../../shared/protocol';
import { showStepMessage } from '../../shared/stepFocus';

export const enum CodeCommand {
  TokenizeWith = 'transformerTracer.code.tokenizeWith',
  InspectAttention = 'transformerTracer.code.inspectAttention',
  ShowStep = 'transformerTracer.code.showStep',
}

export const SAMPLE_TEXT = 'The quick brown fox jumps over the lazy dog';

function openAttention(context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel, message: HostToWebview = { type: 'showTab', tab: 'attention' }): void {
  const editor = vscode.window.activeTextEditor;
  const sel = editor?.selection;
  const text = editor && sel && !sel.isEmpty ? editor.document.getText(sel) : SAMPLE_TEXT;
  const input = editor && sel && !sel.isEmpty
    ? { text, source: vscode.l10n.t('selection'), document: editor.document.uri, offset: editor.document.offsetAt(sel.start), version: editor.document.version }
    : { text, source: vscode.l10n.t('sample sentence') };
  const panel = TracerPanel.show(context, engine, log, input);
  panel.session.post(message);
}

export function registerCodeCommands(context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CodeCommand.TokenizeWith, async (spec: unknown) => {
      if (typeof spec !== 'string' || !spec) return;
      await setTokenizer(spec);
      await vscode.commands.executeCommand('transformerTracer.tokenizeSelection');
    }),
    vscode.commands.registerCommand(CodeCommand.InspectAttention, async (id: unknown) => {
      if (typeof id !== 'string' || !id) return;
      await setModel(id);
      openAttention(context, engine, log);
    }),
    vscode.commands.registerCommand(CodeCommand.ShowStep, (kind: unknown) => openAttention(context, engine, log, showStepMessage(kind))),
  ];
}
