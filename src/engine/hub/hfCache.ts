/**
 * The Hugging Face cache as `huggingface_hub` lays it out, so models fetched by Python are
 * reused here and ours are reused there:
 *   $HF_HUB_CACHE | $HF_HOME/hub | ~/.cache/huggingface/hub
 *     models--org--name/
 *       blobs/<etag>                    file contents, named by ETag (sha256 or git sha1)
 *       refs/<branch or tag>            the commit it points to
 *       snapshots/<commit>/<file>       symlinks into blobs/
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheFolderName, isCommitHash, type HubId } from './hubId';

export type Env = Readonly<Record<string, string | undefined>>;

/** The hub cache folder the environment names (same precedence as huggingface_hub). */
export function hubCacheDir(env: Env = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HUGGINGFACE_HUB_CACHE) return env.HUGGINGFACE_HUB_CACHE;
  const home = env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface');
  return join(home, 'hub');
}

export function isOffline(env: Env = process.env): boolean {
  return ['1', 'true', 'yes', 'on'].includes((env.HF_HUB_OFFLINE ?? '').toLowerCase());
}

export function repoCacheDir(cacheDir: string, repo: string): string {
  return join(cacheDir, cacheFolderName(repo));
}

/** `…/models--org--name/snapshots/<commit>` → `org/name`; undefined for other folders. */
export function hubRepoOfFolder(folder: string): string | undefined {
  const m = /(?:^|[\\/])models--([^\\/]+)[\\/]snapshots[\\/][0-9a-f]{40}[\\/]?$/.exec(folder);
  return m ? m[1].replace('--', '/') : undefined;
}

/** The commit a revision names in the cache: itself for a commit hash, else refs/<revision>. */
export function cachedCommit(cacheDir: string, id: HubId): string | undefined {
  if (isCommitHash(id.revision)) return id.revision;
  const ref = join(repoCacheDir(cacheDir, id.repo), 'refs', id.revision);
  if (!existsSync(ref)) return undefined;
  const commit = readFileSync(ref, 'utf8').trim();
  return isCommitHash(commit) ? commit : undefined;
}

/** Why a snapshot folder cannot be run, or undefined when it can (config.json and safetensors weights, every shard present). */
export function snapshotProblem(folder: string): string | undefined {
  const has = (f: string) => existsSync(join(folder, f)); // follows the symlinks: a dangling one is missing
  if (!has('config.json')) return 'no config.json';
  if (has('model.safetensors')) return undefined;
  if (has('model.safetensors.index.json')) {
    try {
      const map = (JSON.parse(readFileSync(join(folder, 'model.safetensors.index.json'), 'utf8')) as { weight_map?: Record<string, string> }).weight_map ?? {};
      const missing = [...new Set(Object.values(map))].filter((f) => !has(f));
      return missing.length ? `shards missing: ${missing.join(', ')}` : undefined;
    } catch {
      return 'model.safetensors.index.json is not valid JSON';
    }
  }
  if (has('pytorch_model.bin')) return 'only pytorch_model.bin (pickle weights, never loaded); the model needs model.safetensors';
  return 'no model.safetensors';
}

/** The runnable snapshot folder for `id`, if the cache has one. */
export function findCachedSnapshot(cacheDir: string, id: HubId): string | undefined {
  const commit = cachedCommit(cacheDir, id);
  if (!commit) return undefined;
  const folder = join(repoCacheDir(cacheDir, id.repo), 'snapshots', commit);
  return existsSync(folder) && !snapshotProblem(folder) ? folder : undefined;
}

export interface CachedModel {
  repo: string;
  /** The branch or tag that points here (`main`), or the commit itself when no ref does. */
  revision: string;
  commit: string;
  folder: string;
  /** Why it cannot be run, when it cannot. */
  problem?: string;
  /** model_type from config.json, when readable */
  modelType?: string;
}

/** Every model snapshot in the cache, runnable or not, newest ref first per repo. */
export function listCachedModels(cacheDir: string): CachedModel[] {
  if (!existsSync(cacheDir)) return [];
  const out: CachedModel[] = [];
  for (const entry of readdirSync(cacheDir).sort()) {
    if (!entry.startsWith('models--')) continue;
    const repo = entry.slice('models--'.length).replace('--', '/');
    const dir = join(cacheDir, entry);
    const snapshots = join(dir, 'snapshots');
    if (!existsSync(snapshots)) continue;
    const refNames = new Map<string, string>();
    const refs = join(dir, 'refs');
    if (existsSync(refs)) {
      for (const r of readdirSync(refs)) {
        const p = join(refs, r);
        if (statSync(p).isFile()) refNames.set(readFileSync(p, 'utf8').trim(), r);
      }
    }
    for (const commit of readdirSync(snapshots).sort()) {
      const folder = join(snapshots, commit);
      if (!statSync(folder).isDirectory()) continue;
      let modelType: string | undefined;
      try {
        modelType = (JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as { model_type?: string }).model_type;
      } catch { /* reported through `problem` */ }
      out.push({ repo, revision: refNames.get(commit) ?? commit, commit, folder, problem: snapshotProblem(folder), modelType });
    }
  }
  return out;
}
