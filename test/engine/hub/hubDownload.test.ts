/**
 * Hub downloads against a real HTTP server on 127.0.0.1 (hubServer.ts) serving
 * ../shared/fixtures/hf/models in the Hub's URL layout: the cache layout huggingface_hub
 * writes, golden attentions from the downloaded files, and every fault the issue names.
 */
import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, runModel } from '../../../src/engine/model/loadModel';
import { CancelledError } from '../../../src/engine/model/modelError';
import { findCachedSnapshot, listCachedModels } from '../../../src/engine/hub/hfCache';
import { ensureHubModel, type HubSettings } from '../../../src/engine/hub/hubModel';
import { requireHubId } from '../../../src/engine/hub/hubId';
import { HF_FIXTURES, readFixture } from '../fixtures';
import { COMMIT, gitBlobSha1, repoFromFolder, sha256, startHubServer, type HubServer } from './hubServer';

const fixture = (name: string) => repoFromFolder(join(HF_FIXTURES, 'models', name));

function assertGoldenAttentions(folder: string, name: string): void {
  const golden = JSON.parse(readFixture('models', name, 'golden.json')).cases[0];
  const model = loadModel(folder, { kernels: 'typescript' });
  const r = runModel(model, { ids: golden.input_ids, typeIds: golden.token_type_ids, attentionMask: golden.attention_mask }, { record: 'weights' });
  let worst = 0;
  (golden.attentions as number[][][][]).forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, q) => row.forEach((v, k) => {
    worst = Math.max(worst, Math.abs(v - r.layers[l].heads[h].weights![q * row.length + k]));
  }))));
  assert.ok(worst < 1e-4, `attention differs from transformers by ${worst}`);
}

describe('Hub downloads (127.0.0.1 server in the Hub layout)', function () {
  let server: HubServer;
  let cdn: HubServer;
  let dir: string;
  let settings: HubSettings;
  const id = requireHubId('tiny-org/gpt2-tiny');

  beforeEach(async () => {
    server = await startHubServer({ 'tiny-org/gpt2-tiny': fixture('gpt2-tiny'), 'bert-tiny': fixture('bert-tiny') });
    dir = mkdtempSync(join(tmpdir(), 'tt-hub-'));
    settings = { endpoint: server.origin, cacheDir: join(dir, 'hub'), offline: false };
  });
  afterEach(async () => {
    await server.close();
    if (cdn) await cdn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the huggingface_hub layout (blobs by hash, snapshot symlinks, refs/main) and the files give the golden attentions', async () => {
    const progress: number[] = [];
    const m = await ensureHubModel(id, settings, { onProgress: (p) => progress.push(p.received / p.total) });
    const repoDir = join(settings.cacheDir, 'models--tiny-org--gpt2-tiny');
    assert.equal(m.folder, join(repoDir, 'snapshots', COMMIT));
    assert.deepEqual(m.downloaded.sort(), ['config.json', 'model.safetensors']);
    assert.equal(readFileSync(join(repoDir, 'refs', 'main'), 'utf8'), COMMIT);
    const files = fixture('gpt2-tiny');
    assert.deepEqual(readdirSync(join(repoDir, 'blobs')).sort(), [gitBlobSha1(files['config.json']), sha256(files['model.safetensors'])].sort());
    for (const f of ['config.json', 'model.safetensors']) {
      assert.ok(lstatSync(join(m.folder, f)).isSymbolicLink());
      assert.match(readlinkSync(join(m.folder, f)), /^\.\.\/\.\.\/blobs\/[0-9a-f]{40,64}$/);
      assert.ok(readFileSync(join(m.folder, f)).equals(files[f]));
    }
    assert.ok(progress.length > 0 && progress.every((p, i) => p <= 1 && (i === 0 || p >= progress[i - 1])));
    assert.equal(progress[progress.length - 1], 1);
    assertGoldenAttentions(m.folder, 'gpt2-tiny');
  });

  it('a second request is served from the cache with no network, and HF_HUB_OFFLINE works once cached', async () => {
    await ensureHubModel(id, settings);
    const before = server.log.length;
    const again = await ensureHubModel(id, settings);
    assert.deepEqual(again.downloaded, []);
    assert.equal(server.log.length, before);
    const offline = await ensureHubModel(id, { ...settings, endpoint: 'http://127.0.0.1:9', offline: true });
    assert.equal(offline.folder, again.folder);
  });

  it('HF_HUB_OFFLINE with an empty cache: a clear error, no request', async () => {
    await assert.rejects(ensureHubModel(id, { ...settings, offline: true }), /not in the Hugging Face cache .*HF_HUB_OFFLINE/);
    assert.equal(server.log.length, 0);
  });

  it('a connection cut mid-file is resumed with an HTTP Range request and the file verifies', async () => {
    server.faults.cutAfter = 1000;
    const m = await ensureHubModel(id, settings);
    const gets = server.log.filter((r) => r.method === 'GET' && r.path.startsWith('/lfs/'));
    assert.equal(gets.length, 2);
    assert.equal(gets[0].range, undefined);
    assert.equal(gets[1].range, 'bytes=1000-');
    assertGoldenAttentions(m.folder, 'gpt2-tiny');
  });

  it('a wrong hash: the file is rejected and the cache is left as it was', async () => {
    server.faults.corrupt = true;
    await assert.rejects(ensureHubModel(id, settings), /model\.safetensors: sha256 of the download is [0-9a-f]{64}, the Hub said [0-9a-f]{64}; the file was discarded/);
    const repoDir = join(settings.cacheDir, 'models--tiny-org--gpt2-tiny');
    const blobs = readdirSync(join(repoDir, 'blobs'));
    assert.ok(!blobs.some((b) => b.includes(sha256(fixture('gpt2-tiny')['model.safetensors']))), `blobs: ${blobs}`);
    assert.ok(!existsSync(join(repoDir, 'snapshots')) && !existsSync(join(repoDir, 'refs')));
    assert.equal(findCachedSnapshot(settings.cacheDir, id), undefined);
  });

  it('a redirect to another host is followed, and the token is not sent there', async () => {
    cdn = await startHubServer({ 'tiny-org/gpt2-tiny': fixture('gpt2-tiny') });
    server.lfsOrigin = cdn.origin;
    const m = await ensureHubModel(id, { ...settings, token: 'hf_secret_token' });
    assert.ok(server.log.length > 0 && server.log.every((r) => r.authorized));
    const cdnGets = cdn.log.filter((r) => r.path.startsWith('/lfs/'));
    assert.equal(cdnGets.length, 1);
    assert.equal(cdnGets[0].authorized, false);
    assertGoldenAttentions(m.folder, 'gpt2-tiny');
  });

  it('a renamed repo: the Hub\'s relative redirect is followed', async () => {
    server.renamed['old-org/gpt2-tiny'] = 'tiny-org/gpt2-tiny';
    const m = await ensureHubModel(requireHubId('old-org/gpt2-tiny'), settings);
    assert.ok(server.log.some((r) => r.path.startsWith('/old-org/')));
    assert.equal(m.folder, join(settings.cacheDir, 'models--old-org--gpt2-tiny', 'snapshots', COMMIT));
    assertGoldenAttentions(m.folder, 'gpt2-tiny');
  });

  it('404: an unknown repo is named', async () => {
    await assert.rejects(ensureHubModel(requireHubId('nobody/nothing'), settings), /nobody\/nothing: not found on http:\/\/127\.0\.0\.1:\d+/);
  });

  it('a slow server, cancelled: nothing in the snapshot; the next try resumes from the partial file', async () => {
    server.faults.slowMs = 20;
    const ac = new AbortController();
    const done = ensureHubModel(id, settings, { signal: ac.signal, onProgress: (p) => { if (p.received > 4096) ac.abort(); } });
    await assert.rejects(done, CancelledError);
    const repoDir = join(settings.cacheDir, 'models--tiny-org--gpt2-tiny');
    assert.equal(findCachedSnapshot(settings.cacheDir, id), undefined);
    assert.ok(!existsSync(join(repoDir, 'snapshots')));
    const partial = readdirSync(join(repoDir, 'blobs')).filter((b) => b.endsWith('.incomplete'));
    assert.equal(partial.length, 1);
    server.faults.slowMs = undefined;
    const m = await ensureHubModel(id, settings);
    const last = server.log.filter((r) => r.path.startsWith('/lfs/')).pop()!;
    assert.match(last.range ?? '', /^bytes=[1-9]\d*-$/);
    assertGoldenAttentions(m.folder, 'gpt2-tiny');
  });

  it('an index naming a shard "../x.safetensors" is refused and nothing is written outside the cache', async () => {
    const files = fixture('gpt2-tiny');
    const index = Buffer.from(JSON.stringify({ metadata: {}, weight_map: { 'transformer.wte.weight': '../../../../evil.safetensors' } }));
    await server.close();
    server = await startHubServer({ 'tiny-org/sharded': { 'config.json': files['config.json'], 'model.safetensors.index.json': index } });
    settings.endpoint = server.origin;
    await assert.rejects(ensureHubModel(requireHubId('tiny-org/sharded'), settings), /refused file name "\.\.\/\.\.\/\.\.\/\.\.\/evil\.safetensors"/);
    assert.ok(!existsSync(join(dir, 'evil.safetensors')) && !existsSync(join(settings.cacheDir, 'evil.safetensors')));
  });

  it('a 401 names the fix and never the token', async () => {
    await server.close();
    const { createServer } = await import('node:http');
    const s = createServer((_q, r) => r.writeHead(401).end()).listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    const endpoint = `http://127.0.0.1:${(s.address() as { port: number }).port}`;
    try {
      await assert.rejects(ensureHubModel(id, { ...settings, endpoint, token: 'hf_secret_token' }), (e: Error) => {
        assert.match(e.message, /answered 401.*token given was refused/);
        assert.ok(!e.message.includes('hf_secret_token'));
        return true;
      });
    } finally {
      s.close();
      server = await startHubServer({});
    }
  });
});

describe('the Hugging Face cache, pre-filled (standard layout, symlinked blobs)', () => {
  it('is found and used with no network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-cache-'));
    try {
      const repoDir = join(dir, 'models--prajjwal1--bert-tiny');
      const commit = '0123456789abcdef0123456789abcdef01234567';
      mkdirSync(join(repoDir, 'blobs'), { recursive: true });
      mkdirSync(join(repoDir, 'snapshots', commit), { recursive: true });
      mkdirSync(join(repoDir, 'refs'));
      writeFileSync(join(repoDir, 'refs', 'main'), commit);
      for (const [f, bytes] of Object.entries(fixture('bert-tiny'))) {
        const blob = f.endsWith('.safetensors') ? sha256(bytes) : gitBlobSha1(bytes);
        writeFileSync(join(repoDir, 'blobs', blob), bytes);
        symlinkSync(`../../blobs/${blob}`, join(repoDir, 'snapshots', commit, f));
      }
      const listed = listCachedModels(dir);
      assert.deepEqual(listed.map((m) => [m.repo, m.revision, m.commit, m.modelType, m.problem]), [['prajjwal1/bert-tiny', 'main', commit, 'bert', undefined]]);
      const m = await ensureHubModel(requireHubId('prajjwal1/bert-tiny'), { endpoint: 'http://127.0.0.1:9', cacheDir: dir, offline: false });
      assert.equal(m.folder, join(repoDir, 'snapshots', commit));
      assert.deepEqual(m.downloaded, []);
      assertGoldenAttentions(m.folder, 'bert-tiny');
      assert.equal(findCachedSnapshot(dir, requireHubId(`prajjwal1/bert-tiny@${commit}`)), m.folder);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
