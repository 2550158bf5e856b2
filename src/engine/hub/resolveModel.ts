/**
 * What a model argument names, in order: a bundled model (`tiny-gpt`), a folder or file
 * on disk, or a Hugging Face Hub id (`gpt2`, `org/name`, `…@revision`), taken from the
 * Hugging Face cache or downloaded into it. Shared by the CLI and the extension host.
 */
import { existsSync } from 'node:fs';
import { BUNDLED_MODELS, bundledModelFolder, isBundledModel } from '../model/bundledModels';
import { ModelError, modelError } from '../model/modelError';
import { DownloadDeclinedError, ModelTooLargeError } from './downloadEstimate';
import { GatedRepoError } from './gatedRepo';
import { parseHubId } from './hubId';
import { ensureHubModel, type EnsureOptions, type HubSettings } from './hubModel';

export interface ResolvedModel {
  folder: string;
  source: 'bundled' | 'path' | 'hub';
  /** Hub models: the files fetched now. */
  downloaded?: string[];
}

export async function resolveModelSpec(spec: string, settings: HubSettings, opts: EnsureOptions = {}): Promise<ResolvedModel> {
  const s = spec.trim();
  if (isBundledModel(s)) return { folder: bundledModelFolder(s), source: 'bundled' };
  if (existsSync(s)) return { folder: s, source: 'path' };
  const id = parseHubId(s);
  if (!id || /^[.~]|^[A-Za-z]:|[\\]/.test(s)) {
    throw modelError`model "${spec}": no such file or folder, not a bundled model (${BUNDLED_MODELS.join(', ')}), and not a Hugging Face model id (NAME or ORG/NAME[@REVISION])`;
  }
  let m;
  try {
    m = await ensureHubModel(id, settings, opts);
  } catch (e) {
    // a bare name may have meant a file: say so, except when the Hub id was clearly found
    const found = e instanceof ModelTooLargeError || e instanceof DownloadDeclinedError || e instanceof GatedRepoError;
    if (e instanceof ModelError && !found && !id.repo.includes('/')) {
      throw modelError`model "${spec}" is not a bundled model (${BUNDLED_MODELS.join(', ')}) nor a file or folder; as a Hugging Face id: ${e.l10n}`;
    }
    throw e;
  }
  return { folder: m.folder, source: 'hub', downloaded: m.downloaded };
}
