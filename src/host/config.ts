/**
 * The extension's settings as one read-only object, mirroring `contributes.configuration`
 * in package.json, reloaded through one path when they change.
 */
import * as vscode from 'vscode';

export interface Config {
  readonly tokenizer: string;
  readonly specialTokens: 'default' | 'match' | 'plain';
  readonly hoverEnabled: boolean;
  readonly statusBarEnabled: boolean;
  readonly panelTokenLimit: number;
  /** The Attention tab's model: a bundled name (`tiny-gpt`, `tiny-bert`), a model folder or a Hub id (ignored from untrusted workspace settings). */
  readonly model: string;
}

export const SECTION = 'transformerTracer';

/**
 * A setting's value, where an untrusted workspace may not choose it: only the user's own
 * (global) value counts there. VS Code applies `restrictedConfigurations` (package.json)
 * too; this keeps the rule even where a host does not.
 */
export function trustedSetting<T>(key: string, fallback: T): T {
  const c = vscode.workspace.getConfiguration(SECTION);
  if (vscode.workspace.isTrusted) return c.get<T>(key, fallback);
  return c.inspect<T>(key)?.globalValue ?? fallback;
}

export function readConfig(): Readonly<Config> {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    tokenizer: c.get<string>('tokenizer', 'gpt2') || 'gpt2',
    specialTokens: c.get<Config['specialTokens']>('specialTokens', 'default'),
    hoverEnabled: c.get<boolean>('hover.enabled', true),
    statusBarEnabled: c.get<boolean>('statusBar.enabled', true),
    panelTokenLimit: Math.max(100, Math.min(200_000, c.get<number>('panel.tokenLimit', 20_000))),
    model: trustedSetting<string>('model', 'tiny-gpt') || 'tiny-gpt',
  };
}

/** Watch our section; `listener` receives the reloaded config. */
export function onConfigChange(listener: (config: Readonly<Config>) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SECTION)) listener(readConfig()); });
}

export async function setTokenizer(name: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('tokenizer', name, vscode.ConfigurationTarget.Global);
}

/** Save the model choice where it takes effect: the (trusted) workspace when it pins one, else the user settings. */
export async function setModel(name: string): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const pinned = vscode.workspace.isTrusted && c.inspect<string>('model')?.workspaceValue !== undefined;
  await c.update('model', name, pinned ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
}
