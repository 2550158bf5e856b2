/**
 * Hugging Face Hub model ids as users type them: `gpt2`, `org/name`, either with an
 * optional `@revision` (a branch, a tag or a 40-hex commit). Parsing is strict, so an id
 * can never turn into a path outside the cache (`..`, slashes, backslashes are refused).
 */
import { modelError } from '../model/modelError';

export interface HubId {
  /** `gpt2` or `org/name` */
  repo: string;
  /** `main` unless the id says otherwise */
  revision: string;
}

// The Hub's own rule for repo names: letters, digits, `-`, `_`, `.`; no `--` or `..`; ≤ 96 characters.
const NAME = /^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;
const REVISION = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;

export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/** `org/name@rev` → its parts; undefined when `spec` does not have the shape of a Hub id. */
export function parseHubId(spec: string): HubId | undefined {
  const at = spec.indexOf('@');
  const repo = at < 0 ? spec : spec.slice(0, at);
  const revision = at < 0 ? 'main' : spec.slice(at + 1);
  const parts = repo.split('/');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p))) return undefined;
  if (!REVISION.test(revision) || revision.endsWith('/')) return undefined;
  return { repo, revision };
}

/** Like parseHubId, but a clear error names what is wrong. */
export function requireHubId(spec: string): HubId {
  const id = parseHubId(spec.trim());
  if (!id) {
    throw modelError`"${spec}" is not a Hugging Face model id: expected NAME or ORG/NAME (letters, digits, "-", "_", "."), optionally @REVISION, e.g. gpt2, prajjwal1/bert-tiny, gpt2@main`;
  }
  return id;
}

/** The folder name the Hugging Face cache uses for a model repo. */
export function cacheFolderName(repo: string): string {
  return `models--${repo.replace('/', '--')}`;
}

export function formatHubId(id: HubId): string {
  return id.revision === 'main' ? id.repo : `${id.repo}@${id.revision}`;
}
