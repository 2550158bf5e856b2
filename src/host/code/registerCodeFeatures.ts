/**
 * Wires the code features for Python and TypeScript/JavaScript files (any scheme, so
 * virtual and untrusted workspaces get them read-only): one shared analysis per document
 * version (parsed incrementally as the user types), the CodeLens, hover and inlay-hint providers, their commands, and a refresh
 * when the settings change.
 */
import * as vscode from 'vscode';
import type { Config } from '../config';
import type { EngineClient } from '../engineClient';
import { CodeAnalysisCache } from './codeAnalysisCache';
import { registerCodeCommands } from './codeCommands';
import { CodeHoverProvider } from './codeHover';
import { ReferenceLenses } from './referenceLenses';
import { TokenCountHints } from './tokenCountHints';

const SELECTOR: vscode.DocumentSelector = ['python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact'].map((language) => ({ language }));

export function registerCodeFeatures(context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel, config: () => Readonly<Config>): vscode.Disposable[] {
  const analyses = new CodeAnalysisCache(log);
  const lenses = new ReferenceLenses(analyses, () => config().tokenizer);
  const hints = new TokenCountHints(engine, config, analyses);
  return [
    ...registerCodeCommands(context, engine, log),
    analyses,
    vscode.workspace.onDidChangeTextDocument((e) => analyses.noteChange(e)),
    vscode.workspace.onDidCloseTextDocument((d) => analyses.forget(d)),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('transformerTracer')) { lenses.refresh(); hints.refresh(); } }),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.languages.registerHoverProvider(SELECTOR, new CodeHoverProvider(engine, config, analyses)),
    vscode.languages.registerInlayHintsProvider(SELECTOR, hints),
  ];
}
