/**
 * A real HTTP server on 127.0.0.1 that answers like the Hugging Face Hub's file API, for
 * the download tests:
 *   HEAD/GET /{repo}/resolve/{revision}/{file}
 *     small files: 200, ETag = git blob sha1 (from `git hash-object`), X-Repo-Commit;
 *     *.safetensors (LFS): 302 to an absolute URL …/lfs/{sha256} (on `lfsOrigin` when given), with
 *     X-Linked-Etag = sha256, X-Linked-Size, X-Repo-Commit, as the Hub does;
 *   GET /lfs/{sha256}: the bytes, with Range (206 + Content-Range);
 *   GET /api/models/{repo}[/revision/{rev}]: the model info set in `api` (404 when none, as on a mirror).
 * Declared files (`declared`): a HEAD answers with the size given and no bytes exist, so a
 * 14.5 GB checkpoint can be described without serving it; their /lfs/ URL answers 404.
 * Gated repos (`gated`: repo → the token that may read it): 401 + X-Error-Code: GatedRepo
 * without a token, 403 with another one, as the Hub does.
 * Faults, per server: cut the first GET of a blob after N bytes, serve wrong bytes,
 * send slowly. Every request is logged (method, path, range, whether a token came).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RepoFiles { [file: string]: Buffer }

export interface Faults {
  /** Close the connection after this many body bytes, on the first GET of each blob. */
  cutAfter?: number;
  /** Serve these bytes instead of the real ones (the headers still name the real hash). */
  corrupt?: boolean;
  /** Send the body in 1 KB pieces this many ms apart. */
  slowMs?: number;
}

export interface LoggedRequest { method: string; path: string; range?: string; authorized: boolean }

export interface HubServer {
  origin: string;
  log: LoggedRequest[];
  faults: Faults;
  /** Where /lfs/ redirects go (another server's origin), default this one. */
  lfsOrigin?: string;
  /** Renamed repos: old name → new name, answered with a relative 307 as the Hub does. */
  renamed: Record<string, string>;
  /** repo → file → declared size (LFS files that are described but never served). */
  declared: Record<string, Record<string, number>>;
  /** repo → the JSON /api/models/{repo} answers. */
  api: Record<string, unknown>;
  /** repo → the bearer token that may read it. */
  gated: Record<string, string>;
  close(): Promise<void>;
}

export const COMMIT = 'c0ffee0000000000000000000000000000c0ffee';

export function repoFromFolder(folder: string): RepoFiles {
  const files: RepoFiles = {};
  for (const f of readdirSync(folder)) files[f] = readFileSync(join(folder, f));
  return files;
}

export function gitBlobSha1(bytes: Buffer): string {
  return execFileSync('git', ['hash-object', '--stdin'], { input: bytes }).toString().trim();
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function startHubServer(repos: Record<string, RepoFiles>): Promise<HubServer> {
  const blobs = new Map<string, Buffer>();
  const etags = new Map<Buffer, string>();
  for (const files of Object.values(repos)) {
    for (const [name, bytes] of Object.entries(files)) {
      if (name.endsWith('.safetensors')) blobs.set(sha256(bytes), bytes);
      else etags.set(bytes, gitBlobSha1(bytes));
    }
  }
  const cut = new Set<string>();
  const state: HubServer = { origin: '', log: [], faults: {}, renamed: {}, declared: {}, api: {}, gated: {}, close: () => new Promise((r) => server.close(() => r())) };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    state.log.push({ method: req.method ?? '', path, range: req.headers.range, authorized: req.headers.authorization !== undefined });
    const lfs = /^\/lfs\/([0-9a-f]{64})$/.exec(path);
    if (lfs) { sendBlob(req, res, lfs[1]); return; }
    const api = /^\/api\/models\/(.+?)(?:\/revision\/([^/]+))?$/.exec(path);
    if (api) { sendJson(res, state.api[api[1]]); return; }
    const m = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const renamedTo = m ? state.renamed[m[1]] : undefined;
    if (renamedTo) { res.writeHead(307, { location: `/${renamedTo}/resolve/${m![2]}/${m![3]}`, 'content-length': '0' }).end(); return; }
    const gatedToken = m ? state.gated[m[1]] : undefined;
    if (gatedToken !== undefined && req.headers.authorization !== `Bearer ${gatedToken}`) {
      const status = req.headers.authorization ? 403 : 401;
      res.writeHead(status, { 'x-error-code': 'GatedRepo', 'x-error-message': `Access to model ${m![1]} is restricted.`, 'content-length': '0' }).end();
      return;
    }
    const declaredSize = m && (m[2] === 'main' || m[2] === COMMIT) ? state.declared[m[1]]?.[m[3]] : undefined;
    if (declaredSize !== undefined) {
      const sha = sha256(Buffer.from(`${m![1]}/${m![3]}`));
      res.writeHead(302, {
        location: `${state.lfsOrigin ?? state.origin}/lfs/${sha}`, 'x-linked-etag': `"${sha}"`, 'x-linked-size': String(declaredSize),
        'x-repo-commit': COMMIT, etag: `"${sha}"`, 'content-length': '0',
      }).end();
      return;
    }
    const files = m ? repos[m[1]] : undefined;
    const bytes = files && (m![2] === 'main' || m![2] === COMMIT) ? files[m![3]] : undefined;
    if (!bytes) { res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found'); return; }
    if (m![3].endsWith('.safetensors')) {
      const sha = sha256(bytes);
      res.writeHead(302, {
        location: `${state.lfsOrigin ?? state.origin}/lfs/${sha}`, 'x-linked-etag': `"${sha}"`, 'x-linked-size': String(bytes.length),
        'x-repo-commit': COMMIT, etag: `"${sha}"`, 'content-length': '0',
      }).end();
      return;
    }
    res.writeHead(200, { etag: `"${etags.get(bytes)}"`, 'x-repo-commit': COMMIT, 'content-length': String(bytes.length), 'content-type': 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  });

  function sendJson(res: ServerResponse, value: unknown): void {
    if (value === undefined) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Repository not found"}'); return; }
    const body = Buffer.from(JSON.stringify(value));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body);
  }

  function sendBlob(req: IncomingMessage, res: ServerResponse, sha: string): void {
    let bytes = blobs.get(sha);
    if (!bytes) { res.writeHead(404).end(); return; }
    if (state.faults.corrupt) { bytes = Buffer.from(bytes); bytes[bytes.length >> 1] ^= 0xff; }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = range ? Number(range[1]) : 0;
    if (from > bytes.length) { res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end(); return; }
    const body = bytes.subarray(from);
    const headers: Record<string, string> = { 'content-length': String(body.length), etag: `"${sha}"`, 'accept-ranges': 'bytes' };
    if (range) headers['content-range'] = `bytes ${from}-${bytes.length - 1}/${bytes.length}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD') { res.end(); return; }
    if (state.faults.cutAfter !== undefined && !cut.has(sha)) {
      cut.add(sha);
      res.write(body.subarray(0, state.faults.cutAfter), () => res.socket?.destroy());
      return;
    }
    if (state.faults.slowMs) {
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= body.length) { clearInterval(timer); res.end(); return; }
        res.write(body.subarray(at, at + 1024));
        at += 1024;
      }, state.faults.slowMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.end(body);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
