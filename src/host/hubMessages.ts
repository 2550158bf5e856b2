/**
 * The extension's words for Hub downloads, in the display language (vscode.l10n, with
 * l10n/bundle.l10n.zh-cn.json): the modal confirm before a download over 1 GB, with its
 * numbers, and the engine's refusals (too large to run here, a gated repo) retold from the
 * errors' fields rather than their English messages.
 */
import * as vscode from 'vscode';
import { ACTIVATION_TOKENS, formatParameters, gb, gib, type DownloadEstimate } from '../engine/hub/downloadEstimate';
import type { GatedRepoInfo } from '../engine/hub/gatedRepo';

/** Ask before a large download: a modal with the download size and the memory it needs. */
export async function confirmDownloadModal(e: DownloadEstimate): Promise<boolean> {
  const download = vscode.l10n.t('Download');
  const detail = [
    vscode.l10n.t('Download: {0} GB ({1} files).', gb(e.downloadBytes), e.files.filter((f) => !f.cached).length),
    vscode.l10n.t('{0} parameters{1} need {2} GiB of memory as float32, plus about {3} GiB of activations for {4} tokens.', formatParameters(e.parameters), e.dtype ? ` (${e.dtype})` : '', gib(e.weightBytes), gib(e.activationBytes), ACTIVATION_TOKENS),
    vscode.l10n.t('This machine has {0} GiB of memory, {1} GiB free.', gib(e.machineBytes), gib(e.freeBytes)),
  ].join('\n');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Download {0} from the Hugging Face Hub?', e.id), { modal: true, detail }, download);
  return choice === download;
}

/** ModelTooLargeError's estimate, as a sentence. */
export function tooLargeMessage(e: DownloadEstimate): string {
  return e.refusal === 'engine'
    ? vscode.l10n.t('{0}: {1} parameters need {2} GiB as float32; the engine holds at most {3} GiB (this machine has {4} GiB). Its {5} GB were not downloaded.', e.id, formatParameters(e.parameters), gib(e.weightBytes), e.engineLimitBytes / 2 ** 30, gib(e.machineBytes), gb(e.downloadBytes))
    : vscode.l10n.t('{0}: {1} parameters need {2} GiB as float32, plus about {3} GiB of activations; this machine has {4} GiB of memory. Its {5} GB were not downloaded.', e.id, formatParameters(e.parameters), gib(e.weightBytes), gib(e.activationBytes), gib(e.machineBytes), gb(e.downloadBytes));
}

/** GatedRepoError's fields, as what to do next. */
export function gatedMessage(g: GatedRepoInfo): string {
  if (!g.tokenGiven) return vscode.l10n.t('{0} is a gated repo (the Hub answered {1}, no token was given): accept its terms at {2} while logged in, create a read token at {3}, then put it in the setting transformerTracer.hub.token (user settings) or in HF_TOKEN.', g.id, g.status, g.pageUrl, g.tokensUrl);
  if (g.status === 403) return vscode.l10n.t('{0} is a gated repo and the token given has no access to it yet (the Hub answered 403): accept its terms at {1} with the account the token belongs to (the authors may have to approve the request), then try again.', g.id, g.pageUrl);
  return vscode.l10n.t('{0} is a gated repo and the token given was refused (the Hub answered {1}: expired, revoked or mistyped?): create a read token at {2} and put it in the setting transformerTracer.hub.token.', g.id, g.status, g.tokensUrl);
}
