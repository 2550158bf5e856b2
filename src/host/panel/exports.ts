/**
 * Files the panel exports (a head's or layer's attention as PNG, CSV or JSON; the whole
 * trace as JSON) and trace files it opens again. The webview makes the bytes; the host
 * asks where to save them, and never overwrites without the save dialog's confirmation.
 */
import * as vscode from 'vscode';
import type { ExportFormat } from '../../shared/protocol';
import { parseTrace } from './traceFile';

const MAX_TRACE_BYTES = 512 * 1024 * 1024;
const FILTERS: Record<ExportFormat, Record<string, string[]>> = { png: { 'PNG image': ['png'] }, csv: { CSV: ['csv'] }, json: { JSON: ['json'] } };

/** Ask where, then write. Returns the path written, or undefined when the user cancelled. */
export async function saveExport(format: ExportFormat, fileName: string, data: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const defaultUri = folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
  const target = await vscode.window.showSaveDialog({ defaultUri, filters: FILTERS[format], title: vscode.l10n.t('Export {0}', fileName) });
  if (!target) return undefined;
  const bytes = format === 'png' ? Buffer.from(data.slice('data:image/png;base64,'.length), 'base64') : Buffer.from(data, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  return target.fsPath || target.toString();
}

export async function openTraceFile(): Promise<unknown> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Transformer Tracer trace')]: ['json'] }, title: vscode.l10n.t('Open a Transformer Tracer trace') });
  if (!picked?.[0]) return undefined;
  const stat = await vscode.workspace.fs.stat(picked[0]);
  if (stat.size > MAX_TRACE_BYTES) throw new Error(`the file is ${stat.size} bytes; traces up to ${MAX_TRACE_BYTES} bytes are read`);
  return parseTrace(Buffer.from(await vscode.workspace.fs.readFile(picked[0])).toString('utf8'));
}
