/**
 * Entry point: activation only. Wires the commands, hover, status bar, boundaries and
 * panel (all in src/host/) to one engine worker. Heavy work happens in the worker.
 */
import * as vscode from 'vscode';
import { CommandId } from './host/commands/ids';
import { loadModel } from './host/commands/loadModel';
import { pickTokenizer } from './host/commands/pickTokenizer';
import { tokenizeSelection } from './host/commands/tokenizeSelection';
import { onConfigChange, readConfig } from './host/config';
import { EngineClient } from './host/engineClient';
import { TokenHoverProvider } from './host/hoverProvider';
import { PanelSession } from './host/panel/panelSession';
import { PANEL_VIEW_TYPE, TracerPanel } from './host/panel/tracerPanel';
import { DOCKED_VIEW_ID, TracerViewProvider } from './host/panel/tracerView';
import { TokenCountStatus } from './host/statusBar';
import { TokenBoundaries } from './host/tokenBoundaries';
import { LossDecorations } from './host/lossDecorations';
import { registerCodeFeatures } from './host/code/registerCodeFeatures';
import { startLoopDelayProbe } from './host/loopDelayProbe';

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Transformer Tracer');
  const engine = new EngineClient(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath, {
    timeoutMessage: (seconds, kind) => vscode.l10n.t('The tokenizer did not finish within {0} s on this text ({1}) and was stopped; with a tokenizer.json, one of its patterns may backtrack on this text. The engine was restarted.', seconds, kind),
  });
  let config = readConfig();
  const getConfig = () => config;
  const status = new TokenCountStatus(engine, getConfig);
  const boundaries = new TokenBoundaries(engine, getConfig);
  const docked = new TracerViewProvider(context, engine, log);
  const loss = new LossDecorations(engine, getConfig, log);

  context.subscriptions.push(
    log, { dispose: () => engine.dispose() }, status, boundaries, loss, startLoopDelayProbe(),
    onConfigChange((c) => { config = c; status.refresh(); boundaries.refresh(); }),
    vscode.commands.registerCommand(CommandId.TokenizeSelection, () => tokenizeSelection(context, engine, log, docked)),
    vscode.commands.registerCommand(CommandId.TrainBpeOnSelection, () => tokenizeSelection(context, engine, log, docked, 'train')),
    vscode.commands.registerCommand(CommandId.PickTokenizer, pickTokenizer),
    vscode.commands.registerCommand(CommandId.LoadModel, () => loadModel(log)),
    vscode.commands.registerCommand(CommandId.OpenDockedView, () => vscode.commands.executeCommand(`${DOCKED_VIEW_ID}.focus`)),
    vscode.commands.registerCommand(CommandId.ToggleBoundaries, () => boundaries.toggle()),
    vscode.commands.registerCommand(CommandId.ToggleTokenLoss, () => loss.toggle()),
    vscode.languages.registerHoverProvider({ scheme: '*' }, new TokenHoverProvider(engine, getConfig)),
    ...registerCodeFeatures(context, engine, log, getConfig),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) { TracerPanel.revive(panel, context, engine, log); },
    }),
    vscode.window.registerWebviewViewProvider(DOCKED_VIEW_ID, docked, { webviewOptions: { retainContextWhenHidden: true } }),
    // Linking: the editor cursor highlights its token in every panel showing that text.
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (PanelSession.all.size === 0) return;
      const offset = e.textEditor.document.offsetAt(e.selections[0].active);
      for (const s of PanelSession.all) s.cursorMoved(e.textEditor.document.uri, offset);
    }),
  );
  PanelSession.activationMs = performance.now() - started;
  log.appendLine(`activated in ${PanelSession.activationMs.toFixed(1)} ms`);
  // API for tests and other extensions: run the engine as the commands do.
  return { engine, lossDecorations: () => loss.current() };
}

export function deactivate() {}
