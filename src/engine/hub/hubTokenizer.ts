/**
 * A Hub repo's tokenizer alone, for `compare` and `chat`: tokenizer.json (required) and
 * tokenizer_config.json (its chat template and special tokens, when the repo has one) fetched
 * into the Hugging Face cache through the same client as whole models (hubModel.ts: HEAD for
 * commit, hash and size; blobDownload.ts: verified, resumable; the snapshot and refs/<revision>
 * as huggingface_hub writes them) — no config.json, no weights. A snapshot holding only these
 * is no runnable model (hfCache.ts snapshotProblem says "no config.json"), so a later
 * `attention --model ID` still downloads the rest into the same snapshot.
 *
 * Refused with a named error: no tokenizer.json at that revision (TokenizerNotOnHubError,
 * the Hub's 404), a gated repo without access (GatedRepoError), a file larger than the engine
 * reads (TokenizerFileTooLargeError, from the HEAD's size, before any byte is fetched).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelError, modelError } from '../model/modelError';
import { phrase } from '../../shared/l10nText';
import { MAX_TOKENIZER_JSON_BYTES } from '../tokenizers/resolve';
import { downloadBlob } from './blobDownload';
import { cachedCommit, repoCacheDir } from './hfCache';
import { headFile, linkIntoSnapshot, withRetries, type EnsureOptions, type FileMeta, type HubSettings } from './hubModel';
import { isBuiltinTokenizer } from '../tokenizers/builtin';
import { formatHubId, isCommitHash, parseHubId, type HubId } from './hubId';

/** Fetched when present; tokenizer.json is required. */
export const HUB_TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;
/** tokenizer_config.json is small (a chat template is a few KB); more than this is refused. */
export const MAX_TOKENIZER_CONFIG_BYTES = 8 * 1024 * 1024;

/** The repo (or that revision) has no tokenizer.json: the Hub answered 404. */
export class TokenizerNotOnHubError extends ModelError {
  override name = 'TokenizerNotOnHubError';
  constructor(readonly id: string, readonly endpoint: string) {
    super(phrase`${id}: no tokenizer.json on ${endpoint} (the Hub answered 404: the repo does not exist, or has no tokenizer.json at this revision)`);
  }
}

/** A tokenizer file larger than the engine reads, refused before its download. */
export class TokenizerFileTooLargeError extends ModelError {
  override name = 'TokenizerFileTooLargeError';
  constructor(readonly id: string, readonly file: string, readonly size: number, readonly limit: number) {
    super(phrase`${id}: ${file} is ${(size / 1e6).toFixed(1)} MB, over the ${limit / 2 ** 20} MiB the engine reads; it was not downloaded`);
  }
}

export interface HubTokenizer {
  /** The snapshot folder: tokenizer.json, and tokenizer_config.json when the repo has one. */
  folder: string;
  commit: string;
  /** Files fetched now (empty when the cache had them). */
  downloaded: string[];
}

/** The snapshot folder already holding `id`'s tokenizer.json, if any. */
export function cachedHubTokenizer(cacheDir: string, id: HubId): string | undefined {
  const commit = cachedCommit(cacheDir, id);
  const folder = commit ? join(repoCacheDir(cacheDir, id.repo), 'snapshots', commit) : undefined;
  return folder && existsSync(join(folder, 'tokenizer.json')) ? folder : undefined;
}

const LIMITS: Record<(typeof HUB_TOKENIZER_FILES)[number], number> = {
  'tokenizer.json': MAX_TOKENIZER_JSON_BYTES,
  'tokenizer_config.json': MAX_TOKENIZER_CONFIG_BYTES,
};

/** `id`'s tokenizer from the cache, else its tokenizer files alone downloaded into it (unless offline). */
export async function ensureHubTokenizer(id: HubId, s: HubSettings, opts: Pick<EnsureOptions, 'signal' | 'stallMs' | 'tries'> = {}): Promise<HubTokenizer> {
  const cached = cachedHubTokenizer(s.cacheDir, id);
  if (cached) return { folder: cached, commit: cached.split(/[\\/]/).pop()!, downloaded: [] };
  const name = formatHubId(id);
  if (s.offline) throw modelError`${name}: its tokenizer is not in the Hugging Face cache (${s.cacheDir}) and HF_HUB_OFFLINE is set, so it cannot be downloaded`;
  const stallMs = opts.stallMs ?? 30_000;
  const main = await headFile(s, id, 'tokenizer.json', opts, stallMs);
  if (!main) throw new TokenizerNotOnHubError(name, s.endpoint);
  const pinned: HubId = { repo: id.repo, revision: main.commit };
  const files: FileMeta[] = [main];
  const config = await headFile(s, pinned, 'tokenizer_config.json', opts, stallMs);
  if (config) files.push(config);
  for (const f of files) {
    const limit = LIMITS[f.file as keyof typeof LIMITS];
    if (f.size > limit) throw new TokenizerFileTooLargeError(name, f.file, f.size, limit);
  }
  const repoDir = repoCacheDir(s.cacheDir, id.repo);
  mkdirSync(join(repoDir, 'blobs'), { recursive: true });
  const downloaded: string[] = [];
  for (const meta of files) {
    const path = join(repoDir, 'blobs', meta.etag);
    if (existsSync(path)) continue;
    await withRetries(opts.tries ?? 4, () => downloadBlob({ ...meta, path }, { token: s.token, tokenOrigin: new URL(s.endpoint).origin, signal: opts.signal, stallMs }));
    downloaded.push(meta.file);
  }
  for (const meta of files) linkIntoSnapshot(repoDir, main.commit, meta);
  if (!isCommitHash(id.revision)) {
    mkdirSync(join(repoDir, 'refs', dirname(id.revision)), { recursive: true });
    writeFileSync(join(repoDir, 'refs', id.revision), main.commit);
  }
  return { folder: join(repoDir, 'snapshots', main.commit), commit: main.commit, downloaded };
}

/**
 * Before a comparison or a chat: every spec that names a Hub id (not a built-in, not a file or
 * folder here) and whose tokenizer is not cached yet is fetched, one after another, so that
 * locateTokenizer (tokenizers/tokenizerLocation.ts) then finds it in the cache. The ids fetched;
 * none when offline (HF_HUB_OFFLINE).
 */
export async function fetchHubTokenizers(specs: readonly string[], s: HubSettings, opts: Pick<EnsureOptions, 'signal' | 'stallMs' | 'tries'> = {}): Promise<string[]> {
  const fetched: string[] = [];
  if (s.offline) return fetched; // locateTokenizer says what is missing from the cache
  for (const spec of specs) {
    const t = spec.trim();
    if (!t || isBuiltinTokenizer(t) || existsSync(t) || /^[.~]|^[A-Za-z]:|[\\]/.test(t)) continue;
    const id = parseHubId(t);
    if (!id || cachedHubTokenizer(s.cacheDir, id)) continue;
    const r = await ensureHubTokenizer(id, s, opts);
    if (r.downloaded.length) fetched.push(formatHubId(id));
  }
  return fetched;
}
