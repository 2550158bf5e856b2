/**
 * Entry point: activation only. Wires the commands, hover, status bar, boundaries and
 * panel (all in src/host/) to one engine worker. Heavy work happens in the worker.
 */
import * as vscode from 'vscode';
import { CommandId } from './host/commands/ids';
import { pickTokenizer } from './host/commands/pickTokenizer';
import { tokenizeSelection } from './host/commands/tokenizeSelection';
import { onConfigChange, readConfig } from './host/config';
import { EngineClient } from './host/engineClient';
import { TokenHoverProvider } from './host/hoverProvider';
import { PANEL_VIEW_TYPE, TracerPanel } from './host/panel/tracerPanel';
import { TokenCountStatus } from './host/statusBar';
import { TokenBoundaries } from './host/tokenBoundaries';

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Transformer Tracer');
  const engine = new EngineClient(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  let config = readConfig();
  const getConfig = () => config;
  const status = new TokenCountStatus(engine, getConfig);
  const boundaries = new TokenBoundaries(engine, getConfig);

  context.subscriptions.push(
    log, { dispose: () => engine.dispose() }, status, boundaries,
    onConfigChange((c) => { config = c; status.refresh(); boundaries.refresh(); }),
    vscode.commands.registerCommand(CommandId.TokenizeSelection, () => tokenizeSelection(context, engine, log)),
    vscode.commands.registerCommand(CommandId.TrainBpeOnSelection, () => tokenizeSelection(context, engine, log, 'train')),
    vscode.commands.registerCommand(CommandId.PickTokenizer, pickTokenizer),
    vscode.commands.registerCommand(CommandId.ToggleBoundaries, () => boundaries.toggle()),
    vscode.languages.registerHoverProvider({ scheme: '*' }, new TokenHoverProvider(engine, getConfig)),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) { TracerPanel.revive(panel, context, engine, log); },
    }),
  );
  TracerPanel.activationMs = performance.now() - started;
  log.appendLine(`activated in ${TracerPanel.activationMs.toFixed(1)} ms`);
  // API for tests and other extensions: run the engine as the commands do.
  return { engine };
}

export function deactivate() {}
