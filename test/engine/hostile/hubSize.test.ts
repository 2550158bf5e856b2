/**
 * A Hub (or mirror) that sends more bytes than it declared: the download stops as soon as
 * the declared size is passed, fails with a message naming the file and the size, and
 * leaves neither a blob nor a partial file behind. Before, 134 MB were accepted for files
 * declared as 64 bytes.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadBlob } from '../../../src/engine/hub/blobDownload';

const DECLARED = 64;

/** Serves `bytes` of 'x' at /blob in 64 KB writes, counting what it managed to send. */
function flood(total: number): Promise<{ server: Server; url: string; sent: () => number }> {
  let sent = 0;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) { res.once('drain', pump); return; }
      }
      res.end();
    };
    res.on('close', () => { sent = Math.min(sent, total); });
    pump();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/blob`, sent: () => sent });
  }));
}

describe('hostile Hub: more bytes than declared', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'tt-hub-size-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at the declared size and fails, leaving nothing in the cache', async () => {
    const { server, url, sent } = await flood(200 * 1024 * 1024);
    const path = join(dir, 'a'.repeat(64));
    try {
      await assert.rejects(downloadBlob({ file: 'model.safetensors', url, etag: 'a'.repeat(64), size: DECLARED, path }, { tokenOrigin: 'http://127.0.0.1', stallMs: 10_000 }),
        /model\.safetensors: the server sent more than the 64 bytes the Hub declared/);
      assert.equal(existsSync(path), false);
      assert.equal(existsSync(`${path}.incomplete`), false);
      assert.ok(sent() < 50 * 1024 * 1024, `the server got to send ${sent()} bytes`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('exactly the declared size with the right hash is stored (the check does not refuse everything)', async () => {
    const body = Buffer.alloc(DECLARED, 'x');
    const etag = createHash('sha256').update(body).digest('hex');
    const server = createServer((_req, res) => { res.writeHead(200); res.end(body); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const path = join(dir, etag);
    try {
      await downloadBlob({ file: 'ok.bin', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ok`, etag, size: DECLARED, path }, { tokenOrigin: 'http://127.0.0.1', stallMs: 10_000 });
      assert.deepEqual(readFileSync(path), body);
    } finally {
      server.close();
    }
  });
});
