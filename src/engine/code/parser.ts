/**
 * A real parser for the code the editor shows: tree-sitter (web-tree-sitter, WebAssembly)
 * with the Python and TypeScript grammars copied into media/grammars/ by
 * tools/copy-grammars.mjs. No native module, no network: the same files load in the
 * extension host, the CLI and tests. JavaScript is parsed by the TypeScript grammar
 * (a superset for the calls we look for).
 *
 * Budgets: sources over MAX_PARSE_CHARS are not parsed at all (a 10 MB file returns
 * undefined at once), and a parse that runs past `budgetMs` is cancelled through the
 * progress callback, so a caller on the editor's event loop is never held for long.
 * Syntax errors are fine: tree-sitter recovers and marks ERROR nodes; analysis walks
 * whatever parsed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language, Parser as ParserType, Tree } from 'web-tree-sitter';
// require(), not import: esbuild then bundles the package's CommonJS build; its ES module
// build finds its files through import.meta.url, which a CommonJS bundle does not have.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TreeSitter = require('web-tree-sitter') as typeof import('web-tree-sitter');
import { mediaDir } from '../mediaDir';

export type CodeLanguage = 'python' | 'typescript';

/** Above this many characters a document is not analysed (minified bundles, data dumps). */
export const MAX_PARSE_CHARS = 1_000_000;
/** Default wall-clock budget of one parse. 2,000 lines of Python parse in ~10 ms. */
export const DEFAULT_PARSE_BUDGET_MS = 250;

const GRAMMAR_FILES: Record<CodeLanguage, string> = { python: 'tree-sitter-python.wasm', typescript: 'tree-sitter-typescript.wasm' };

/** VS Code language ids (and file extensions) we analyse, mapped to a grammar. */
export function codeLanguageOf(languageId: string): CodeLanguage | undefined {
  switch (languageId) {
    case 'python': case 'py': return 'python';
    case 'typescript': case 'javascript': case 'typescriptreact': case 'javascriptreact':
    case 'ts': case 'js': case 'mjs': case 'cjs': case 'mts': case 'cts': return 'typescript';
    default: return undefined;
  }
}

let runtime: Promise<void> | undefined;
const languages = new Map<CodeLanguage, Promise<Language>>();
const parsers = new Map<CodeLanguage, ParserType>();

function grammarPath(file: string): string {
  return join(mediaDir(), 'grammars', file);
}

/** Load the runtime and one grammar (once); later calls reuse them. */
export async function loadParser(lang: CodeLanguage): Promise<ParserType> {
  const ready = parsers.get(lang);
  if (ready) return ready;
  runtime ??= TreeSitter.Parser.init({ wasmBinary: readFileSync(grammarPath('tree-sitter.wasm')) } as object);
  await runtime;
  let language = languages.get(lang);
  if (!language) {
    language = TreeSitter.Language.load(new Uint8Array(readFileSync(grammarPath(GRAMMAR_FILES[lang]))));
    languages.set(lang, language);
  }
  const parser = new TreeSitter.Parser();
  parser.setLanguage(await language);
  parsers.set(lang, parser);
  return parser;
}

export interface ParseOutcome {
  tree?: Tree;
  /** Why there is no tree: the source is too large, or the parse ran past its budget. */
  skipped?: 'too-large' | 'over-budget';
  ms: number;
}

/**
 * Parse `source`; the caller owns the tree and must `delete()` it (WebAssembly memory).
 * Never throws for source text: a bad file gives a tree with ERROR nodes.
 */
export async function parseSource(source: string, lang: CodeLanguage, budgetMs = DEFAULT_PARSE_BUDGET_MS): Promise<ParseOutcome> {
  const started = performance.now();
  if (source.length > MAX_PARSE_CHARS) return { skipped: 'too-large', ms: 0 };
  const parser = await loadParser(lang);
  const deadline = performance.now() + budgetMs;
  const tree = parser.parse(source, null, { progressCallback: () => performance.now() > deadline }) ?? undefined;
  const ms = performance.now() - started;
  if (!tree) { parser.reset(); return { skipped: 'over-budget', ms }; }
  return { tree, ms };
}
