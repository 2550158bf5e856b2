/**
 * The numbers `npm run bench -- --json` writes to bench/results.json (not committed): each
 * section records its fields here as it measures them, and run.ts writes the object once at
 * the end. Field names follow the speed issue: `*_ratio` is a time ratio, ours / peer (above
 * 1: we are slower); `*_speed_ratio` is a speed ratio, ours / peer (above 1: we are faster).
 */
import { writeFileSync } from 'node:fs';

const results: Record<string, unknown> = {};

/** Sets one field (a later value for the same key replaces the earlier one). */
export function recordResult(key: string, value: unknown): void {
  results[key] = value;
}

/** Sets `results[key][sub]`, creating the object (e.g. hf_tokenizers_speed_ratio.llama3). */
export function recordNested(key: string, sub: string, value: unknown): void {
  const at = (results[key] ??= {}) as Record<string, unknown>;
  at[sub] = value;
}

export const wantsJson = (argv: readonly string[] = process.argv): boolean => argv.includes('--json');

/** Writes what was recorded, with the time and Node version, to `path`. */
export function writeResults(path: string): void {
  writeFileSync(path, JSON.stringify({ node: process.version, date: new Date().toISOString(), ...results }, null, 2) + '\n');
  console.log(`\nwrote ${path}`);
}
