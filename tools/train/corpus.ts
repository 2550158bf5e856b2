/**
 * Builds the training corpus for the bundled tiny models from Debian's `fortunes` and
 * `fortunes-min` packages (fortune-mod 1:1.99.1, BSD licence; `apt-get install fortunes
 * fortunes-min`). Each fortune is one document; the files are plain text with `%` lines
 * between fortunes.
 *
 * Cleaning, in order: overstrike sequences (`x\bx`, `_\bx`, the old bold/underline) keep
 * the last character; tabs become one space; other control characters go; trailing spaces
 * go; runs of blank lines become one. Fortunes that are mostly not letters (ASCII art) or
 * shorter than 20 characters are dropped; so are the `art`, `ascii-art` and `translate-me`
 * files. Every 20th fortune (index % 20 === 7) is held out for evaluation.
 *
 * Usage: tsx tools/train/corpus.ts [FORTUNES_DIR] → build/train/train.txt (not committed)
 * and tools/train/data/heldout.txt (committed: the tests measure the model cards on it).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A line with only `%` between documents, as in the fortune files (cleaned documents never contain one). */
export const DOCUMENT_SEPARATOR = '\n%\n';
const EXCLUDED = new Set(['art', 'ascii-art', 'translate-me']);

export function cleanFortune(raw: string): string {
  let text = raw.replace(/[^\n]\x08/g, '');
  text = text.replace(/\t/g, ' ').replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '');
  text = text.split('\n').map((l) => l.replace(/ +$/, '')).join('\n');
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

function mostlyLetters(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  return letters / text.replace(/\s/g, '').length >= 0.6;
}

export function readFortunes(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => !f.includes('.') && !EXCLUDED.has(f) && statSync(join(dir, f)).isFile()).sort();
  const docs: string[] = [];
  for (const f of files) {
    for (const raw of readFileSync(join(dir, f), 'utf8').split(/^%$/m)) {
      const doc = cleanFortune(raw);
      if (doc.length >= 20 && mostlyLetters(doc)) docs.push(doc);
    }
  }
  return docs;
}

function main(): void {
  const dir = process.argv[2] ?? '/usr/share/games/fortunes';
  const docs = readFortunes(dir);
  const train = docs.filter((_, i) => i % 20 !== 7);
  const heldout = docs.filter((_, i) => i % 20 === 7);
  mkdirSync('build/train', { recursive: true });
  mkdirSync('tools/train/data', { recursive: true });
  writeFileSync('build/train/train.txt', train.join(DOCUMENT_SEPARATOR) + '\n');
  writeFileSync('tools/train/data/heldout.txt', heldout.join(DOCUMENT_SEPARATOR) + '\n');
  const chars = (xs: string[]) => xs.reduce((n, d) => n + d.length, 0);
  console.log(`${docs.length} fortunes: ${train.length} train (${chars(train)} chars), ${heldout.length} held out (${chars(heldout)} chars)`);
}

if (require.main === module) main();
