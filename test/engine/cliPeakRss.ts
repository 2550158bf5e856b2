/**
 * Runs the CLI (`src/cli/main.ts`) with the given arguments and, on exit, writes the
 * process's peak resident set size in kilobytes (`process.resourceUsage().maxRSS`, the
 * figure `/usr/bin/time -v` prints) to the file named by PEAK_RSS_FILE. Used by
 * cli.test.ts to check the CLI's memory budget; the tsx loader is counted too.
 */
import { writeFileSync } from 'node:fs';
import { main } from '../../src/cli/main';

const file = process.env.PEAK_RSS_FILE;
if (!file) throw new Error('PEAK_RSS_FILE must name the file for the peak RSS');
process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
