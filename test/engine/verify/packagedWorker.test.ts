/**
 * The verified badge's live tiktoken check in the packaged extension: the files `vsce ls`
 * says ship in the .vsix (what .vscodeignore lets through) are copied to a temporary folder
 * with no node_modules above it, the built worker runs there in a real worker thread, and
 * its 'verify' answers must be 'ok' for every built-in tiktoken encoding, with the token
 * counts js-tiktoken (this checkout's node_modules) gives. Needs `npm run build` (dist/).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Tiktoken } from 'js-tiktoken/lite';
import type { TokenizerVerification } from '../../../src/shared/verifyProtocol';

const root = resolve(__dirname, '..', '..', '..');
const builtWorker = join(root, 'dist', 'engineWorker.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsTiktoken = (name: string) => { const m = require(`js-tiktoken/ranks/${name}`); return new Tiktoken(m.default ?? m); };
const text = 'The quick brown fox <|endoftext|> 你好，世界！ naïve café 12345\n\tdef f(x): return x**2';

/** The packaged file list, as vsce computes it from package.json and .vscodeignore. */
function packagedFiles(): string[] {
  const out = execFileSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  return out.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('WARNING'));
}

function ask(worker: Worker, id: number, request: unknown): Promise<{ ok: boolean; value?: TokenizerVerification; error?: string }> {
  return new Promise((res, rej) => {
    const onMessage = (m: { id: number; ok?: boolean }) => { if (m.id === id && m.ok !== undefined) { worker.off('message', onMessage); res(m as never); } };
    worker.on('message', onMessage);
    worker.once('error', rej);
    worker.postMessage({ id, request });
  });
}

(existsSync(builtWorker) ? describe : describe.skip)('verify: the packaged worker checks tiktoken live', function () {
  this.timeout(120_000);
  let dir = '';
  let files: string[] = [];

  before(() => {
    files = packagedFiles();
    dir = mkdtempSync(join(tmpdir(), 'tt-vsix-'));
    for (const f of files) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(join(root, f), join(dir, f));
    }
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('the .vsix ships js-tiktoken\'s ranks beside the worker, outside the worker bundle', () => {
    for (const enc of ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base']) {
      assert.ok(files.includes(`dist/ranks/${enc}.js`), `dist/ranks/${enc}.js is not packaged (npm run build, .vscodeignore)`);
    }
    assert.ok(!files.some((f) => f.startsWith('node_modules/')), 'node_modules must not ship');
    // the worker starts without parsing 4.5 MB of ranks: they are separate files, loaded per check
    assert.ok(statSync(join(dir, 'dist', 'engineWorker.js')).size < 1.5 * 1024 * 1024);
    assert.ok(!existsSync(join(dir, 'node_modules')) && !existsSync(join(tmpdir(), 'node_modules')));
  });

  it('each built-in tiktoken encoding is "ok" against js-tiktoken, with js-tiktoken\'s count', async () => {
    const worker = new Worker(join(dir, 'dist', 'engineWorker.js'));
    try {
      let id = 0;
      for (const tokenizer of ['gpt2', 'r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base']) {
        for (const special of ['default', 'match'] as const) {
          const r = await ask(worker, ++id, { kind: 'verify', check: 'tokenizer', tokenizer, text, special });
          assert.equal(r.ok, true, r.error);
          assert.equal(r.value!.status, 'ok', `${tokenizer}/${special}: ${JSON.stringify(r.value)}`);
          const ref = jsTiktoken(tokenizer);
          assert.equal(r.value!.tokens, special === 'match' ? ref.encode(text, 'all').length : ref.encode(text, [], []).length);
        }
      }
    } finally {
      await worker.terminate();
    }
  });
});
