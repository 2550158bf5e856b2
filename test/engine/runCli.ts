/**
 * The CLI in process, for tests: main() with stdout and stderr captured as strings (not a
 * terminal, so no colour), and its exit code.
 */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';

export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const sink = (f: (s: string) => void) => Object.assign(new Writable({ write(chunk, _enc, cb) { f(String(chunk)); cb(); } }), { isTTY: false }) as unknown as NodeJS.WriteStream;
  const code = await main(argv, sink((s) => { out += s; }) as typeof process.stdout, sink((s) => { err += s; }) as typeof process.stderr);
  return { code, out, err };
}
