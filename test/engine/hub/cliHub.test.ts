/**
 * `trace attention --model ORG/NAME` as a user runs it: a child process with the Hugging
 * Face environment variables pointing at the tests' 127.0.0.1 Hub server. Progress goes to
 * stderr, the JSON on stdout stays clean, HF_TOKEN reaches the endpoint, HF_HUB_OFFLINE=1
 * then works from the cache.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HF_FIXTURES, readFixture } from '../fixtures';
import { repoFromFolder, startHubServer, type HubServer } from './hubServer';

const root = join(__dirname, '..', '..', '..');

function trace(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (e, out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err });
    });
  });
}

describe('CLI: --model with a Hub id and the HF_* environment', function () {
  this.timeout(60_000);
  let server: HubServer;
  let dir: string;
  before(async () => {
    server = await startHubServer({ 'tiny-org/bert-tiny': repoFromFolder(join(HF_FIXTURES, 'models', 'bert-tiny')) });
    dir = mkdtempSync(join(tmpdir(), 'tt-cli-hub-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('downloads into HF_HUB_CACHE with progress on stderr and clean JSON on stdout, then runs offline from the cache', async () => {
    const golden = JSON.parse(readFixture('models', 'bert-tiny', 'golden.json')).cases[0];
    const env = { HF_ENDPOINT: server.origin, HF_HUB_CACHE: join(dir, 'hub'), HF_TOKEN: 'hf_cli_secret' };
    const args = ['attention', '--model', 'tiny-org/bert-tiny@main', '--ids', golden.input_ids.join(','), '--json'];
    const first = await trace(args, env);
    assert.equal(first.code, 0, first.err);
    assert.match(first.err, /downloading tiny-org\/bert-tiny@main: model\.safetensors +[\d.]+ \/ [\d.]+ MB/);
    assert.ok(!first.err.includes('hf_cli_secret') && !first.out.includes('hf_cli_secret'));
    const j = JSON.parse(first.out);
    (golden.attentions as number[][][][]).forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, q) => row.forEach((v, k) => {
      assert.ok(Math.abs(v - j.attentions[l][h][q][k]) < 1e-4);
    }))));
    assert.ok(server.log.every((r) => r.authorized), 'HF_TOKEN is sent to the endpoint');
    const requests = server.log.length;
    const offline = await trace(args, { ...env, HF_ENDPOINT: 'http://127.0.0.1:9', HF_HUB_OFFLINE: '1' });
    assert.equal(offline.code, 0, offline.err);
    assert.equal(offline.err, '');
    assert.deepEqual(JSON.parse(offline.out).attentions, j.attentions);
    assert.equal(server.log.length, requests);
  });

  it('HF_HUB_OFFLINE=1 and a model not in the cache: exit 1 and a message naming the cache', async () => {
    const r = await trace(['attention', '--model', 'tiny-org/other', '--ids', '1,2'], { HF_HUB_CACHE: join(dir, 'hub'), HF_HUB_OFFLINE: '1' });
    assert.equal(r.code, 1);
    assert.match(r.err, /^trace: tiny-org\/other is not in the Hugging Face cache \(.*hub\) and HF_HUB_OFFLINE is set/);
    assert.equal(r.out, '');
  });
});
