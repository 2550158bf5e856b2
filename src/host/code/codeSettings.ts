/**
 * The three switches of the code features (package.json `contributes.configuration`):
 * transformerTracer.code.codeLens / .hover / .inlayHints, and whether this workspace
 * may download (trusted and on disk: never in untrusted or virtual workspaces).
 */
import * as vscode from 'vscode';

export interface CodeSettings {
  readonly codeLens: boolean;
  readonly hover: boolean;
  readonly inlayHints: boolean;
}

export function readCodeSettings(): CodeSettings {
  const c = vscode.workspace.getConfiguration('transformerTracer.code');
  return { codeLens: c.get<boolean>('codeLens', true), hover: c.get<boolean>('hover', true), inlayHints: c.get<boolean>('inlayHints', true) };
}

/** Downloads (Load model…) are offered only in a trusted workspace whose folders are on disk. */
export function downloadsAllowed(): boolean {
  if (!vscode.workspace.isTrusted) return false;
  return (vscode.workspace.workspaceFolders ?? []).every((f) => f.uri.scheme === 'file');
}
