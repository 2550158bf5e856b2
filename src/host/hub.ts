/**
 * The extension's side of Hugging Face models: the Hub settings (endpoint, token) with the
 * workspace-trust rule applied, and resolving a model setting (bundled name, folder or
 * Hub id) to a folder — from the cache, or downloaded with a cancellable progress
 * notification showing size and speed. A download over 1 GB is confirmed in a modal with the
 * memory estimate first; a model too large to run here, or a gated repo without access, is
 * refused with a message in the display language (hubMessages.ts). The token stays in the extension host: it is never
 * logged and never sent to the webview.
 */
import * as vscode from 'vscode';
import { hubCacheDir, isOffline } from '../engine/hub/hfCache';
import { DEFAULT_ENDPOINT, type HubSettings } from '../engine/hub/hubModel';
import { resolveModelSpec, type ResolvedModel } from '../engine/hub/resolveModel';
import { DownloadDeclinedError, describeEstimate, ModelTooLargeError } from '../engine/hub/downloadEstimate';
import { GatedRepoError } from '../engine/hub/gatedRepo';
import { CancelledError } from '../engine/model/modelError';
import { confirmDownloadModal, gatedMessage, tooLargeMessage } from './hubMessages';
import { SECTION, trustedSetting } from './config';

export function hubSettings(): HubSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    endpoint: trustedSetting<string>('hub.endpoint', '') || process.env.HF_ENDPOINT || DEFAULT_ENDPOINT,
    token: c.inspect<string>('hub.token')?.globalValue || process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN || undefined,
    cacheDir: hubCacheDir(process.env),
    offline: isOffline(process.env),
  };
}

const mb = (n: number) => (n / 1e6).toFixed(1);

/** The folder for `spec`; Hub models not yet cached are downloaded under a progress notification. */
export async function resolveModelWithProgress(spec: string, log: vscode.OutputChannel): Promise<ResolvedModel | undefined> {
  if (vscode.workspace.workspaceFolders?.some((f) => f.uri.scheme !== 'file') && (spec.startsWith('.') || spec.startsWith('/'))) {
    throw new Error(`"${spec}" is a file path, but this is a virtual workspace: model folders must be on disk. Bundled and cached Hugging Face models still work.`);
  }
  const settings = hubSettings();
  // bundled, a folder, or already cached: no notification
  const quick = await resolveModelSpec(spec, { ...settings, offline: true }).catch(() => undefined);
  if (quick) return quick;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Transformer Tracer: ${spec}`, cancellable: true }, async (progress, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    let shown = 0;
    try {
      const r = await resolveModelSpec(spec, settings, {
        signal: ac.signal,
        confirmDownload: (e) => { log.appendLine(`asking before the download: ${describeEstimate(e)}`); return confirmDownloadModal(e); },
        onProgress: (p) => {
          const share = (100 * p.received) / Math.max(1, p.total);
          progress.report({ message: `${p.file} · ${mb(p.received)} / ${mb(p.total)} MB · ${mb(p.bytesPerSecond)} MB/s`, increment: share - shown });
          shown = share;
        },
      });
      if (r.downloaded?.length) log.appendLine(`downloaded ${spec} from ${settings.endpoint} into ${r.folder}: ${r.downloaded.join(', ')}`);
      return r;
    } catch (e) {
      if (e instanceof CancelledError) { log.appendLine(`download of ${spec} cancelled; the partial file stays for a resumed download`); return undefined; }
      if (e instanceof DownloadDeclinedError) { log.appendLine(e.message); return undefined; }
      if (e instanceof ModelTooLargeError) { log.appendLine(e.message); throw new Error(tooLargeMessage(e.estimate)); }
      if (e instanceof GatedRepoError) throw new Error(gatedMessage(e.info));
      throw e;
    }
  });
}
