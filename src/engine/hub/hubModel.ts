/**
 * A Hub model, ready to run: found in the Hugging Face cache, or downloaded into it.
 *
 * The files are asked for one by one with HEAD `{endpoint}/{repo}/resolve/{revision}/{file}`
 * (the Hub's plain HTTP API; the same answers come from mirrors and from the tests' server):
 * X-Repo-Commit names the commit, X-Linked-Etag / ETag the hash, X-Linked-Size /
 * Content-Length the size. config.json and safetensors weights (one file, or an index and
 * its shards) are required; tokenizer files are fetched when the repo has them. Each file is
 * downloaded, verified and renamed into blobs/ (blobDownload.ts), then linked from
 * snapshots/<commit>/ and refs/<revision> is written, exactly as huggingface_hub does.
 *
 * Before any weight byte: config.json (and an index) are fetched, every file's size is known
 * from its HEAD, and the estimate (downloadEstimate.ts) refuses a model that cannot run here
 * (ModelTooLargeError) and asks `confirmDownload` about one over 1 GB.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ModelError, modelError } from '../model/modelError';
import { downloadBlob } from './blobDownload';
import { CONFIRM_DOWNLOAD_BYTES, DownloadDeclinedError, estimateDownload, ModelTooLargeError, type DownloadEstimate } from './downloadEstimate';
import { GatedRepoError } from './gatedRepo';
import { safetensorsParameters } from './hubApi';
import { findCachedSnapshot, hubCacheDir, isOffline, repoCacheDir, snapshotProblem, type Env } from './hfCache';
import { checkHttpUrl, header, hubRequest, NetworkError } from './hubHttp';
import { formatHubId, isCommitHash, type HubId } from './hubId';
import { phrase } from '../../shared/l10nText';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';
/** Small files fetched beside the weights when the repo has them: tokenizers (tokenizer.json; GPT-2's and BERT's slow files; Marian's SentencePiece models) and generation_config.json (the stop ids generation uses). */
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'vocab.json', 'merges.txt', 'vocab.txt', 'special_tokens_map.json', 'source.spm', 'target.spm', 'generation_config.json'];

export interface HubSettings {
  endpoint: string;
  token?: string;
  cacheDir: string;
  offline: boolean;
}

/** Settings from the standard environment variables (HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE / HF_HOME, HF_HUB_OFFLINE). */
export function hubSettingsFromEnv(env: Env = process.env): HubSettings {
  return {
    endpoint: env.HF_ENDPOINT || DEFAULT_ENDPOINT,
    token: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined,
    cacheDir: hubCacheDir(env),
    offline: isOffline(env),
  };
}

export interface DownloadProgress {
  file: string;
  /** bytes of all files to download */
  received: number;
  total: number;
  bytesPerSecond: number;
}

export interface EnsureOptions {
  signal?: AbortSignal;
  onProgress?(p: DownloadProgress): void;
  /** No bytes for this long ends a request (default 30 s). */
  stallMs?: number;
  /** Tries per file when the connection fails (default 4; each resumes where the last stopped). */
  tries?: number;
  /**
   * Asked, with the estimate, before a download of more than `confirmAboveBytes`; false stops
   * with DownloadDeclinedError before any weight is fetched. Without it the download goes ahead.
   */
  confirmDownload?(e: DownloadEstimate): boolean | Promise<boolean>;
  /** Default CONFIRM_DOWNLOAD_BYTES (1 GB). */
  confirmAboveBytes?: number;
  /** This machine's memory for the estimate (default os.totalmem() / os.freemem()). */
  machineMemory?: { total: number; free: number };
}

export interface HubModel {
  folder: string;
  commit: string;
  /** Files fetched now (empty when everything came from the cache). */
  downloaded: string[];
}

/** Repo file names from the server (an index's shard names) must stay inside the snapshot. */
export function checkRepoFileName(name: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('\0') || name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name) ||
      name.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw modelError`refused file name ${JSON.stringify(name)}: names with "..", absolute paths or backslashes could write outside the cache`;
  }
  return name;
}

export interface FileMeta { file: string; url: string; etag: string; size: number; commit: string }

function cleanEtag(raw: string | undefined): string | undefined {
  return raw?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
}

/** HEAD one repo file: its commit, hash and size; undefined on 404; a gated or private repo throws (GatedRepoError / ModelError). */
export async function headFile(s: HubSettings, id: HubId, file: string, opts: EnsureOptions, stallMs: number): Promise<FileMeta | undefined> {
  const base = checkHttpUrl(s.endpoint, phrase`Hub endpoint`);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/${id.repo}/resolve/${encodeURIComponent(id.revision)}/${file}`, base).href;
  const res = await hubRequest(url, { method: 'HEAD', token: s.token, tokenOrigin: base.origin, follow: 'relative', signal: opts.signal, stallMs });
  if (res.status === 404) return undefined;
  if ((res.status === 401 || res.status === 403) && header(res.headers, 'x-error-code') === 'GatedRepo') {
    const root = `${base.origin}${base.pathname.replace(/\/$/, '')}`;
    throw new GatedRepoError({ id: formatHubId(id), status: res.status, tokenGiven: Boolean(s.token), pageUrl: `${root}/${id.repo}`, tokensUrl: `${root}/settings/tokens` });
  }
  if (res.status === 401 || res.status === 403) {
    throw modelError`${formatHubId(id)}: ${base.origin} answered ${res.status}: the repo is private or gated, or does not exist. ${s.token ? phrase`The token given was refused.` : phrase`Give a token (HF_TOKEN, or the setting transformerTracer.hub.token).`}`;
  }
  if (res.status >= 400 || res.status < 200) throw modelError`${formatHubId(id)}: ${base.origin} answered ${res.status} for ${file}`;
  const etag = cleanEtag(header(res.headers, 'x-linked-etag') ?? header(res.headers, 'etag'));
  const size = Number(header(res.headers, 'x-linked-size') ?? header(res.headers, 'content-length'));
  const commit = header(res.headers, 'x-repo-commit')?.trim().toLowerCase() ?? (isCommitHash(id.revision) ? id.revision : undefined);
  if (!etag || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(etag)) throw modelError`${formatHubId(id)}: ${file} has ETag ${JSON.stringify(etag ?? null)}, not a sha256 or git sha1, so the download could not be verified`;
  if (!Number.isSafeInteger(size) || size < 0) throw modelError`${formatHubId(id)}: ${file} has no usable size (X-Linked-Size / Content-Length)`;
  if (!commit || !isCommitHash(commit)) throw modelError`${formatHubId(id)}: ${base.origin} gave no commit (X-Repo-Commit) for ${file}`;
  const location = header(res.headers, 'location');
  return { file, url: location ? new URL(location, res.url).href : url, etag, size, commit };
}

export function linkIntoSnapshot(repoDir: string, commit: string, meta: FileMeta): void {
  const target = join(repoDir, 'snapshots', commit, meta.file);
  mkdirSync(dirname(target), { recursive: true });
  if (existsSync(target)) return;
  const blob = join(repoDir, 'blobs', meta.etag);
  try {
    symlinkSync(relative(dirname(target), blob), target);
  } catch {
    copyFileSync(blob, target); // Windows without the symlink privilege: huggingface_hub copies too
  }
}

/** The model `id` names: from the cache when it is there, else downloaded (unless offline). */
export async function ensureHubModel(id: HubId, s: HubSettings, opts: EnsureOptions = {}): Promise<HubModel> {
  const cached = findCachedSnapshot(s.cacheDir, id);
  if (cached) return { folder: cached, commit: cached.split(/[\\/]/).pop()!, downloaded: [] };
  if (s.offline) {
    throw modelError`${formatHubId(id)} is not in the Hugging Face cache (${s.cacheDir}) and HF_HUB_OFFLINE is set, so it cannot be downloaded`;
  }
  const stallMs = opts.stallMs ?? 30_000;
  const config = await headFile(s, id, 'config.json', opts, stallMs);
  if (!config) throw modelError`${formatHubId(id)}: not found on ${s.endpoint} (no config.json at revision ${id.revision})`;
  const pinned: HubId = { repo: id.repo, revision: config.commit };
  const files: FileMeta[] = [config];
  const single = await headFile(s, pinned, 'model.safetensors', opts, stallMs);
  let index: FileMeta | undefined;
  if (single) files.push(single);
  else {
    index = await headFile(s, pinned, 'model.safetensors.index.json', opts, stallMs);
    if (!index) {
      const pickle = await headFile(s, pinned, 'pytorch_model.bin', opts, stallMs);
      throw modelError`${formatHubId(id)} has no model.safetensors${pickle ? phrase`, only pytorch_model.bin (pickle weights, which are never loaded because unpickling can run code)` : ''}`;
    }
  }
  for (const f of TOKENIZER_FILES) {
    const meta = await headFile(s, pinned, f, opts, stallMs);
    if (meta) files.push(meta);
  }
  const repoDir = repoCacheDir(s.cacheDir, id.repo);
  mkdirSync(join(repoDir, 'blobs'), { recursive: true });
  const downloaded: string[] = [];
  const fetchAll = async (list: FileMeta[], report = true) => {
    const total = list.reduce((n, f) => n + (existsSync(join(repoDir, 'blobs', f.etag)) ? 0 : f.size), 0);
    let received = 0;
    const started = Date.now();
    for (const meta of list) {
      const path = join(repoDir, 'blobs', meta.etag);
      if (existsSync(path)) continue;
      await withRetries(opts.tries ?? 4, () => downloadBlob({ ...meta, path }, {
        token: s.token, tokenOrigin: new URL(s.endpoint).origin, signal: opts.signal, stallMs,
        onBytes: (n) => {
          received += n;
          if (report) opts.onProgress?.({ file: meta.file, received, total, bytesPerSecond: received / Math.max(0.001, (Date.now() - started) / 1000) });
        },
      }));
      downloaded.push(meta.file);
    }
  };
  // metadata first (small, no progress shown): what the estimate reads
  await fetchAll(index ? [config, index] : [config], false);
  if (index) {
    files.push(index);
    for (const shard of shardNames(join(repoDir, 'blobs', index.etag))) {
      const meta = await headFile(s, pinned, shard, opts, stallMs);
      if (!meta) throw modelError`${formatHubId(id)}: shard ${shard} named by model.safetensors.index.json is not on the server`;
      files.push(meta);
    }
  }
  await checkEstimate(id, s, opts, stallMs, repoDir, files, config, index);
  await fetchAll(files.filter((f) => f !== index && f !== config));
  for (const meta of files) linkIntoSnapshot(repoDir, config.commit, meta);
  if (!isCommitHash(id.revision)) {
    mkdirSync(join(repoDir, 'refs', dirname(id.revision)), { recursive: true });
    writeFileSync(join(repoDir, 'refs', id.revision), config.commit);
  }
  const folder = join(repoDir, 'snapshots', config.commit);
  const problem = snapshotProblem(folder);
  if (problem) throw modelError`${formatHubId(id)}: downloaded, but ${problem}`;
  return { folder, commit: config.commit, downloaded };
}

/** Refuse a model that cannot run here, and ask before a large download; both before any weight is fetched. */
async function checkEstimate(id: HubId, s: HubSettings, opts: EnsureOptions, stallMs: number, repoDir: string, files: FileMeta[], config: FileMeta, index: FileMeta | undefined): Promise<void> {
  const blobPath = (f: FileMeta) => join(repoDir, 'blobs', f.etag);
  const estimate = estimateDownload({
    id: formatHubId(id),
    files: files.map((f) => ({ file: f.file, size: f.size, cached: f === config || f === index || existsSync(blobPath(f)) })),
    config: readJsonObject(blobPath(config), 'config.json'),
    apiParameters: await safetensorsParameters({ repo: id.repo, revision: config.commit }, { endpoint: s.endpoint, token: s.token, signal: opts.signal, stallMs }),
    indexTotalSize: index ? (readJsonObject(blobPath(index), 'model.safetensors.index.json').metadata as { total_size?: number } | undefined)?.total_size : undefined,
    machine: opts.machineMemory,
  });
  if (estimate.refusal) throw new ModelTooLargeError(estimate);
  if (estimate.downloadBytes > (opts.confirmAboveBytes ?? CONFIRM_DOWNLOAD_BYTES) && opts.confirmDownload && !(await opts.confirmDownload(estimate))) {
    throw new DownloadDeclinedError(estimate);
  }
}

function readJsonObject(path: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw modelError`${what}: not valid JSON (${(e as Error).message})`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw modelError`${what}: not a JSON object`;
  return v as Record<string, unknown>;
}

function shardNames(indexPath: string): string[] {
  let map: unknown;
  try {
    map = (JSON.parse(readFileSync(indexPath, 'utf8')) as { weight_map?: unknown }).weight_map;
  } catch (e) {
    throw modelError`model.safetensors.index.json: not valid JSON (${(e as Error).message})`;
  }
  if (typeof map !== 'object' || map === null) throw modelError`model.safetensors.index.json: no "weight_map" object`;
  return [...new Set(Object.values(map as Record<string, unknown>).map((f) => checkRepoFileName(f as string)))];
}

export async function withRetries(tries: number, job: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await job();
      return;
    } catch (e) {
      if (!(e instanceof NetworkError) || attempt >= tries) throw e;
    }
  }
}
