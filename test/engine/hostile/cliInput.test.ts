/**
 * Hostile CLI input: device files and FIFOs as --file or --tokenizer, option names that
 * are Object.prototype members, an empty count. Each is exit code 2 (usage) or 1 with a
 * message naming the problem, and returns at once (a FIFO without a writer would block a
 * plain read for ever; /dev/zero would be read until memory runs out).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from '../runCli';


describe('hostile CLI input', () => {
  let dir: string;
  let fifo: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tt-cli-hostile-'));
    fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const device of ['/dev/zero', '/dev/urandom', '/dev/null']) {
    it(`--file ${device} is refused as not a regular file`, async function () {
      if (!existsSync(device)) this.skip();
      const r = await run(['tokenize', '--file', device]);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`--file ${device}: .*not a regular file`));
    });
  }

  it('--file naming a FIFO is refused without waiting for a writer', async () => {
    const r = await run(['tokenize', '--json', '--file', fifo]);
    assert.equal(r.code, 2);
    assert.match(r.err, /not a regular file/);
  });

  it('--tokenizer naming a FIFO is refused without waiting for a writer', async () => {
    const r = await run(['tokenize', '--tokenizer', fifo, '--text', 'hi']);
    assert.equal(r.code, 1);
    assert.match(r.err, /is a FIFO \(named pipe\), not a regular file/);
  });

  it('--tokenizer /dev/zero is refused by type, not read', async () => {
    const r = await run(['tokenize', '--tokenizer', '/dev/zero', '--text', 'hi']);
    assert.equal(r.code, 1);
    assert.match(r.err, /\/dev\/zero is a character device, not a regular file/);
  });

  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`--${name} is an unknown option`, async () => {
      const r = await run(['tokenize', `--${name}`, '--text', 'hi']);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`unknown option --${name}`));
    });
  }

  for (const bad of ['', ' ', '1.5', '-1', 'ten', '1e3', '0x10']) {
    it(`--top ${JSON.stringify(bad)} is refused`, async () => {
      const r = await run(['predict', '--top', bad, '--text', 'hi']);
      assert.equal(r.code, 2);
      assert.match(r.err, /--top must be a non-negative integer/);
    });
  }

  it('--top 3 is still a count (the checks do not refuse everything)', async () => {
    const r = await run(['predict', '--top', '3', '--json', '--text', 'The cat']);
    assert.equal(r.code, 0, r.err);
  });
});
