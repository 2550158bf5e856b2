/**
 * `trace attention --model ORG/NAME` as a user runs it: a child process with the Hugging
 * Face environment variables pointing at the tests' 127.0.0.1 Hub server. Progress goes to
 * stderr, the JSON on stdout stays clean, HF_TOKEN reaches the endpoint, HF_HUB_OFFLINE=1
 * then works from the cache. Sizes: a Mistral-7B-shaped repo is refused with exit 2 and a 1.2 GB
 * one needs --yes when stdin is not a terminal, both before any weight request.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HF_FIXTURES, readFixture } from '../fixtures';
import { repoFromFolder, startHubServer, type HubServer } from './hubServer';
import { MISTRAL_CONFIG, MISTRAL_SHARDS, mistralRepo } from './hubRepos';

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

describe('CLI: Hub downloads too large to run, or over 1 GB', function () {
  this.timeout(60_000);
  let server: HubServer;
  let dir: string;
  let env: Record<string, string>;
  const weightRequests = () => server.log.filter((r) => r.path.startsWith('/lfs/') || (r.method === 'GET' && r.path.endsWith('.safetensors')));
  before(async () => {
    server = await startHubServer({
      'mistralai/Mistral-7B-v0.1': mistralRepo(),
      // float32, so 1.2 GB of weights is 1.2 GB of memory: fits any machine that runs the tests
      'org/big-f32': { 'config.json': Buffer.from(JSON.stringify({ ...MISTRAL_CONFIG, num_hidden_layers: 2, torch_dtype: 'float32' })) },
    });
    server.declared['mistralai/Mistral-7B-v0.1'] = MISTRAL_SHARDS;
    server.declared['org/big-f32'] = { 'model.safetensors': 1.2e9 };
    dir = mkdtempSync(join(tmpdir(), 'tt-cli-sizes-'));
    env = { HF_ENDPOINT: server.origin, HF_HUB_CACHE: join(dir, 'hub') };
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Mistral-7B: exit 2 with parameters, float32 memory and the engine limit; no weight request', async () => {
    const r = await trace(['attention', '--model', 'mistralai/Mistral-7B-v0.1', '--text', 'hi', '--yes'], env);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^trace: mistralai\/Mistral-7B-v0\.1: 7\.24 B parameters need 27\.0 GiB as float32; the engine holds at most 8 GiB \(this machine has [\d.]+ GiB\); its 14\.5 GB were not downloaded\n$/);
    assert.deepEqual(weightRequests(), []);
  });

  it('1.2 GB with stdin not a terminal: the estimate, then exit 2 asking for --yes; with --yes the download starts', async () => {
    const r = await trace(['attention', '--model', 'org/big-f32', '--text', 'hi'], env);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^trace: org\/big-f32: a 1\.20 GB download \(1 safetensors file of 2\); 300 M parameters \(F32\) need 1\.1 GiB as float32, plus about [\d.]+ GiB of activations for 512 tokens; this machine has [\d.]+ GiB \([\d.]+ GiB free\)\ntrace: org\/big-f32 is a 1\.20 GB download: run again with --yes/);
    assert.equal(r.out, '');
    assert.deepEqual(weightRequests(), []);
    const yes = await trace(['attention', '--model', 'org/big-f32', '--text', 'hi', '--yes'], env);
    assert.ok(weightRequests().length > 0, 'with --yes the weights are asked for');
    assert.equal(yes.code, 1, yes.err); // the declared file has no bytes on this server
  });
});
