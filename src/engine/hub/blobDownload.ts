/**
 * One file from the Hub into the cache's blobs/ folder, safely:
 * bytes go to `blobs/<etag>.incomplete` (resumed with HTTP Range when it exists), the size
 * and the hash the Hub named (sha256 for LFS files, git's blob sha1 for small ones) are
 * checked, and only then is the file renamed to `blobs/<etag>`. A wrong hash deletes the
 * partial file and leaves the cache as it was; a cut connection or a cancel leaves the
 * partial file for the next try to resume.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { phrase } from '../../shared/l10nText';
import { CancelledError, ModelError, modelError } from '../model/modelError';
import { header, hubRequest, NetworkError } from './hubHttp';

export interface BlobTarget {
  /** The file's name in the repo, for messages. */
  file: string;
  url: string;
  /** 64 hex (sha256) or 40 hex (git blob sha1) */
  etag: string;
  size: number;
  /** Final path: blobs/<etag> */
  path: string;
}

export interface BlobOptions {
  token?: string;
  tokenOrigin: string;
  signal?: AbortSignal;
  stallMs: number;
  /** Called with the bytes that just arrived. */
  onBytes?(n: number): void;
}

/** The hash an ETag names, fed as the file's bytes arrive. */
function hasherFor(etag: string, size: number): Hash {
  if (etag.length === 64) return createHash('sha256');
  const h = createHash('sha1');
  h.update(`blob ${size}\0`);
  return h;
}

async function hashExisting(path: string, into: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) into.update(chunk as Buffer);
}

/** Download (or finish downloading) `t`; resolves once blobs/<etag> holds verified bytes. */
export async function downloadBlob(t: BlobTarget, opts: BlobOptions): Promise<void> {
  if (existsSync(t.path)) return;
  const partial = `${t.path}.incomplete`;
  let start = existsSync(partial) ? statSync(partial).size : 0;
  if (start > t.size) { truncateSync(partial, 0); start = 0; }
  const res = start === t.size && start > 0
    ? undefined
    : await hubRequest(t.url, { method: 'GET', from: start, token: opts.token, tokenOrigin: opts.tokenOrigin, follow: 'any', signal: opts.signal, stallMs: opts.stallMs });
  if (res) {
    if (res.status === 200 && start > 0) { truncateSync(partial, 0); start = 0; }
    else if (res.status === 206) {
      const range = /^bytes (\d+)-/.exec(header(res.headers, 'content-range') ?? '');
      if (!range || Number(range[1]) !== start) { res.body.destroy(); throw modelError`${t.file}: the server answered a resume from byte ${start} with "${header(res.headers, 'content-range')}"`; }
    } else if (res.status !== 200) {
      res.body.resume();
      throw modelError`${t.file}: ${new URL(res.url).origin} answered ${res.status} (${res.url})`;
    }
  }
  const hash = hasherFor(t.etag, t.size);
  if (start > 0) await hashExisting(partial, hash);
  if (res) await receive(res.body, partial, start > 0, hash, t, opts);
  const got = statSync(partial).size;
  if (got !== t.size) throw new NetworkError(phrase`${t.file}: received ${got} bytes, the Hub said ${t.size}; kept for a resumed download`);
  const digest = hash.digest('hex');
  if (digest !== t.etag) {
    unlinkSync(partial);
    throw modelError`${t.file}: ${t.etag.length === 64 ? 'sha256' : 'git sha1'} of the download is ${digest}, the Hub said ${t.etag}; the file was discarded and the cache left unchanged`;
  }
  renameSync(partial, t.path);
}

function statSafe(path: string): number {
  try { return statSync(path).size; } catch { return 0; }
}

function receive(body: NodeJS.ReadableStream & { complete?: boolean; destroy(e?: Error): void }, partial: string, append: boolean, hash: Hash, t: BlobTarget, opts: BlobOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(partial, { flags: append ? 'a' : 'w' });
    let failed: Error | undefined;
    const fail = (e: Error) => { if (!failed) { failed = e; body.destroy(); out.end(); } };
    let timer = setTimeout(() => fail(new NetworkError(phrase`${t.file}: no data for ${opts.stallMs / 1000} s`)), opts.stallMs);
    const onAbort = () => fail(new CancelledError());
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let received = append ? statSafe(partial) : 0;
    body.on('data', (chunk: Buffer) => {
      if (failed) return;
      received += chunk.length;
      // The Hub said how large the file is: a server that sends more is wrong or hostile; stop reading now.
      if (received > t.size) {
        clearTimeout(timer);
        fail(modelError`${t.file}: the server sent more than the ${t.size} bytes the Hub declared; download stopped and the partial file discarded`);
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => fail(new NetworkError(phrase`${t.file}: no data for ${opts.stallMs / 1000} s`)), opts.stallMs);
      hash.update(chunk);
      if (!out.write(chunk)) { body.pause(); out.once('drain', () => body.resume()); }
      opts.onBytes?.(chunk.length);
    });
    body.on('error', (e) => fail(e instanceof CancelledError || e instanceof ModelError ? e : new NetworkError(phrase`${t.file}: connection failed (${e.message})`)));
    body.on('close', () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (!failed && body.complete === false) fail(new NetworkError(phrase`${t.file}: the connection closed before the end of the file`));
      out.end(() => {
        if (failed instanceof ModelError && !(failed instanceof NetworkError) && received > t.size) { try { unlinkSync(partial); } catch { /* already gone */ } }
        return failed ? reject(failed) : resolve();
      });
    });
  });
}
