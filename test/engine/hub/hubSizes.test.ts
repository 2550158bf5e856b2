/**
 * Sizes and access before a Hub download, against the 127.0.0.1 Hub server (hubServer.ts):
 * a Mistral-7B-v0.1-shaped repo (its real config.json sizes and declared shard sizes, 14.5 GB,
 * never served) is refused before any weight request reaches the server; a 1.2 GB repo asks
 * first; a gated repo needs the right token. Parameter counts are what transformers builds
 * from these configs (tools/reference/hub_param_counts.py), which is also what the Hub's API
 * reports; the fixture model's count comes from its own safetensors header.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadDeclinedError, ModelTooLargeError, type DownloadEstimate } from '../../../src/engine/hub/downloadEstimate';
import { GatedRepoError } from '../../../src/engine/hub/gatedRepo';
import { ensureHubModel, type HubSettings } from '../../../src/engine/hub/hubModel';
import { requireHubId } from '../../../src/engine/hub/hubId';
import { HF_FIXTURES } from '../fixtures';
import { repoFromFolder, startHubServer, type HubServer } from './hubServer';
import { json, MISTRAL_CONFIG, MISTRAL_PARAMS, MISTRAL_SHARDS, mistralRepo } from './hubRepos';

const GiB = 2 ** 30;
const MACHINE_24 = { total: 24 * GiB, free: 20 * GiB };
const fixture = (name: string) => repoFromFolder(join(HF_FIXTURES, 'models', name));

const LLAMA_1B_PARAMS = 1235814400;

/** Element count from a safetensors file's own header: 8-byte little-endian length, then JSON. */
function headerElements(bytes: Buffer): number {
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, { shape?: number[] }>;
  return Object.entries(header).filter(([k]) => k !== '__metadata__').reduce((s, [, t]) => s + t.shape!.reduce((a, b) => a * b, 1), 0);
}

/** No weight bytes were asked for: no /lfs/ request and no GET of a .safetensors file (HEADs are metadata). */
function assertNoWeightRequests(server: HubServer): void {
  const weights = server.log.filter((r) => r.path.startsWith('/lfs/') || (r.method === 'GET' && r.path.endsWith('.safetensors')));
  assert.deepEqual(weights, [], 'the server saw requests for weights');
}

describe('Hub download sizes, memory estimate and gated repos (127.0.0.1 server)', function () {
  let server: HubServer;
  let dir: string;
  let settings: HubSettings;
  const asked: DownloadEstimate[] = [];
  const ask = (answer: boolean) => (e: DownloadEstimate) => { asked.push(e); return answer; };

  beforeEach(async () => {
    asked.length = 0;
    server = await startHubServer({
      'mistralai/Mistral-7B-v0.1': mistralRepo(),
      'org/big-1.2gb': { 'config.json': json({ ...MISTRAL_CONFIG, num_hidden_layers: 2, torch_dtype: 'bfloat16' }) },
      'meta-llama/Llama-3.2-1B': fixture('llama-tiny'),
      'meta-llama/Llama-3.2-1B-shaped': { 'config.json': json({ model_type: 'llama', hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 128256, max_position_embeddings: 131072, torch_dtype: 'bfloat16' }) },
      'tiny-org/gpt2-tiny': fixture('gpt2-tiny'),
    });
    server.declared['mistralai/Mistral-7B-v0.1'] = MISTRAL_SHARDS;
    server.declared['org/big-1.2gb'] = { 'model.safetensors': 1.2e9 };
    server.declared['meta-llama/Llama-3.2-1B-shaped'] = { 'model.safetensors': 2471645608 };
    server.api['mistralai/Mistral-7B-v0.1'] = { id: 'mistralai/Mistral-7B-v0.1', safetensors: { parameters: { BF16: MISTRAL_PARAMS }, total: MISTRAL_PARAMS } };
    server.api['meta-llama/Llama-3.2-1B-shaped'] = { id: 'meta-llama/Llama-3.2-1B', safetensors: { parameters: { BF16: LLAMA_1B_PARAMS }, total: LLAMA_1B_PARAMS } };
    dir = mkdtempSync(join(tmpdir(), 'tt-hub-sizes-'));
    settings = { endpoint: server.origin, cacheDir: join(dir, 'hub'), offline: false };
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Mistral-7B (14.5 GB declared): refused with the numbers before any weight request, not asked, no snapshot', async () => {
    const id = requireHubId('mistralai/Mistral-7B-v0.1');
    await assert.rejects(ensureHubModel(id, settings, { machineMemory: MACHINE_24, confirmDownload: ask(true) }), (e: Error) => {
      assert.ok(e instanceof ModelTooLargeError, e.message);
      assert.equal(e.message, 'mistralai/Mistral-7B-v0.1: 7.24 B parameters need 27.0 GiB as float32; the engine holds at most 8 GiB (this machine has 24.0 GiB); its 14.5 GB were not downloaded');
      assert.equal(e.estimate.parameters, MISTRAL_PARAMS);
      assert.equal(e.estimate.paramsFrom, 'hub-api');
      assert.equal(e.estimate.downloadBytes, 9942981696 + 4540516344);
      assert.equal(e.estimate.refusal, 'engine');
      return true;
    });
    assertNoWeightRequests(server);
    assert.ok(server.log.some((r) => r.method === 'HEAD' && r.path.endsWith('model-00002-of-00002.safetensors')), 'the shard sizes were asked for');
    assert.equal(asked.length, 0);
    const repoDir = join(settings.cacheDir, 'models--mistralai--Mistral-7B-v0.1');
    assert.equal(readdirSync(join(repoDir, 'blobs')).length, 2, 'config.json and the index only');
    assert.ok(!existsSync(join(repoDir, 'snapshots')));
  });

  it('with no Hub API (a mirror), the index\'s total_size ÷ 2 bytes (bfloat16) gives the same count and the same refusal', async () => {
    server.api = {};
    await assert.rejects(ensureHubModel(requireHubId('mistralai/Mistral-7B-v0.1'), settings, { machineMemory: MACHINE_24 }), (e: Error) => {
      assert.ok(e instanceof ModelTooLargeError);
      assert.equal(e.estimate.paramsFrom, 'index');
      assert.equal(e.estimate.parameters, MISTRAL_PARAMS);
      assert.match(e.message, /7\.24 B parameters need 27\.0 GiB as float32; the engine holds at most 8 GiB/);
      return true;
    });
    assertNoWeightRequests(server);
  });

  it('a model under the engine limit but over this machine\'s memory is refused, naming the machine', async () => {
    await assert.rejects(ensureHubModel(requireHubId('meta-llama/Llama-3.2-1B-shaped'), settings, { machineMemory: { total: 4 * GiB, free: 3 * GiB }, confirmDownload: ask(true) }), (e: Error) => {
      assert.ok(e instanceof ModelTooLargeError);
      assert.equal(e.estimate.refusal, 'machine');
      assert.match(e.message, /^meta-llama\/Llama-3\.2-1B-shaped: 1\.24 B parameters need 4\.6 GiB as float32, plus about [\d.]+ GiB of activations; this machine has 4\.0 GiB of memory; its 2\.47 GB were not downloaded$/);
      return true;
    });
    assertNoWeightRequests(server);
    assert.equal(asked.length, 0);
  });

  it('1.2 GB declared: the estimate is shown and asked for first; "no" stops before any weight request', async () => {
    await assert.rejects(ensureHubModel(requireHubId('org/big-1.2gb'), settings, { machineMemory: MACHINE_24, confirmDownload: ask(false) }), DownloadDeclinedError);
    assert.equal(asked.length, 1);
    const e = asked[0];
    assert.equal(e.downloadBytes, 1.2e9);
    // no API: 1.2e9 bytes of bfloat16 (config.json's torch_dtype) = 600 M parameters = 2.4e9 bytes as float32
    assert.deepEqual([e.paramsFrom, e.dtype, e.parameters, e.weightBytes, e.refusal], ['file-sizes', 'BF16', 6e8, 2.4e9, undefined]);
    assertNoWeightRequests(server);
  });

  it('Llama-3.2-1B-shaped (2.47 GB): fits in 24 GiB, so it is asked for, with the Hub API\'s count', async () => {
    await assert.rejects(ensureHubModel(requireHubId('meta-llama/Llama-3.2-1B-shaped'), settings, { machineMemory: MACHINE_24, confirmDownload: ask(false) }), DownloadDeclinedError);
    assert.equal(asked.length, 1);
    assert.deepEqual([asked[0].parameters, asked[0].weightBytes, asked[0].downloadBytes], [LLAMA_1B_PARAMS, 4 * LLAMA_1B_PARAMS, 2471645608]);
    assertNoWeightRequests(server);
  });

  it('under 1 GB: downloaded without asking; the estimate counts the file\'s own header within its header bytes', async () => {
    const files = fixture('gpt2-tiny');
    const m = await ensureHubModel(requireHubId('tiny-org/gpt2-tiny'), settings, { machineMemory: MACHINE_24, confirmDownload: ask(false) });
    assert.equal(asked.length, 0);
    assert.ok(readFileSync(join(m.folder, 'model.safetensors')).equals(files['model.safetensors']));
    // asked at any size: the estimate of a real float32 checkpoint against its header's element count
    rmSync(settings.cacheDir, { recursive: true, force: true });
    await ensureHubModel(requireHubId('tiny-org/gpt2-tiny'), settings, { machineMemory: MACHINE_24, confirmAboveBytes: 0, confirmDownload: ask(true) });
    assert.equal(asked.length, 1);
    const bytes = files['model.safetensors'];
    const truth = headerElements(bytes);
    const headerBytes = 8 + Number(bytes.readBigUInt64LE(0));
    assert.ok(asked[0].parameters >= truth && asked[0].parameters <= truth + Math.ceil(headerBytes / 4), `${asked[0].parameters} vs ${truth} elements`);
  });

  it('a gated repo: 401 without a token names the page and HF_TOKEN; a token without access gets the 403 advice; the granted token downloads', async () => {
    server.gated['meta-llama/Llama-3.2-1B'] = 'hf_granted_token';
    const id = requireHubId('meta-llama/Llama-3.2-1B');
    await assert.rejects(ensureHubModel(id, settings), (e: Error) => {
      assert.ok(e instanceof GatedRepoError);
      assert.equal(e.info.status, 401);
      assert.equal(e.message, `meta-llama/Llama-3.2-1B is a gated repo (the Hub answered 401, no token was given): accept its terms at ${server.origin}/meta-llama/Llama-3.2-1B while logged in, create a read token at ${server.origin}/settings/tokens, then give it as HF_TOKEN (environment) or the setting transformerTracer.hub.token`);
      return true;
    });
    await assert.rejects(ensureHubModel(id, { ...settings, token: 'hf_other_account' }), (e: Error) => {
      assert.ok(e instanceof GatedRepoError);
      assert.equal(e.info.status, 403);
      assert.match(e.message, /is a gated repo and the token given has no access to it yet \(the Hub answered 403\): accept its terms at http:\/\/127\.0\.0\.1:\d+\/meta-llama\/Llama-3\.2-1B/);
      assert.ok(!e.message.includes('hf_other_account'));
      return true;
    });
    assert.ok(server.log.every((r) => r.method === 'HEAD' && r.path.endsWith('/config.json')), 'nothing but config.json was asked for');
    const m = await ensureHubModel(id, { ...settings, token: 'hf_granted_token' });
    const files = fixture('llama-tiny');
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) assert.ok(readFileSync(join(m.folder, f)).equals(files[f]), f);
  });
});
