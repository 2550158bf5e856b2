#!/usr/bin/env node
// Copies the tree-sitter runtime and grammars (WebAssembly) the code analysis uses into
// media/grammars/ and records where each came from (package, version, licence, sha256).
// Re-run after upgrading the packages:
//   node tools/copy-grammars.mjs
// - tree-sitter.wasm: npm `web-tree-sitter` (the runtime; its JS is bundled by esbuild)
// - tree-sitter-python.wasm: npm `tree-sitter-python`
// - tree-sitter-typescript.wasm: npm `tree-sitter-typescript` (also parses JavaScript)
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'media', 'grammars');
mkdirSync(out, { recursive: true });

const FILES = [
  ['web-tree-sitter', 'tree-sitter.wasm'],
  ['tree-sitter-python', 'tree-sitter-python.wasm'],
  ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
];
const provenance = {};
for (const [name, file] of FILES) {
  const dir = join(root, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const buf = readFileSync(join(dir, file));
  copyFileSync(join(dir, file), join(out, file));
  provenance[file] = { package: name, version: pkg.version, license: pkg.license, sha256: createHash('sha256').update(buf).digest('hex') };
}
writeFileSync(join(out, 'PROVENANCE.json'), JSON.stringify(provenance, null, 2) + '\n');
console.log(`wrote ${FILES.length} files to ${out}`);
