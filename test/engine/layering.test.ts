/**
 * The layering rules, held by the compiler and checked here:
 * - `src/engine` (and `webview/`) cannot import `vscode`: their tsconfig maps the module
 *   name to `typings/vscode-is-host-only.d.ts`, which is not a module, so `tsc` fails with
 *   TS2306 naming that file. Without the mapping `vscode` resolves to node_modules/@types/vscode
 *   even under `"types": ["node"]` — the control case below shows it, so this test can fail.
 * - `webview/` cannot import Node modules (`"types": []`, no @types/node).
 * - `src/shared` imports nothing from `src/engine`, `src/host`, `src/cli` or `webview/`;
 *   `src/engine` imports nothing from `src/host`, `src/cli` or `webview/`, and no `vscode`.
 * The probe sources live in memory only (a compiler host serves them); nothing is written
 * into the checkout that another `tsc` run could pick up.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const repoRoot = resolve(__dirname, '..', '..');
const at = (...parts: string[]): string => join(repoRoot, ...parts);

function parsedConfig(tsconfig: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  return parsed;
}

/** Type-checks one in-memory file, `probePath`, under `options`; returns its diagnostics as text. */
function checkProbe(options: ts.CompilerOptions, probePath: string, source: string): { code: number; text: string }[] {
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => resolve(f) === probePath || fileExists.call(host, f);
  host.readFile = (f) => (resolve(f) === probePath ? source : readFile.call(host, f));
  host.getSourceFile = (f, lang, ...rest) =>
    resolve(f) === probePath ? ts.createSourceFile(f, source, lang, true) : getSourceFile.call(host, f, lang, ...rest);
  const program = ts.createProgram({ rootNames: [probePath], options, host });
  const file = program.getSourceFile(probePath);
  assert.ok(file, 'the probe is in the program');
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]
    .map((d) => ({ code: d.code, text: ts.flattenDiagnosticMessageText(d.messageText, '\n') }));
}

const IMPORT_VSCODE = "import * as vscode from 'vscode';\nexport const window = vscode.window;\n";

describe('layering: the compiler keeps vscode out of the engine and the webview', function () {
  this.timeout(30_000);
  const engine = parsedConfig(at('src', 'engine', 'tsconfig.json'));
  const webview = parsedConfig(at('webview', 'tsconfig.json'));
  const engineProbe = at('src', 'engine', '__layeringProbe.ts');
  const webviewProbe = at('webview', '__layeringProbe.ts');

  it('tsc -p src/engine fails on an import of vscode, naming it', () => {
    const errors = checkProbe(engine.options, engineProbe, IMPORT_VSCODE);
    assert.ok(errors.some((e) => e.code === 2306 && /vscode-is-host-only\.d\.ts' is not a module/.test(e.text)), JSON.stringify(errors));
  });

  it('control: without the mapping the same import compiles (so the mapping is what stops it)', () => {
    const { paths: _paths, ...unmapped } = engine.options;
    assert.deepEqual(checkProbe(unmapped, engineProbe, IMPORT_VSCODE), []);
  });

  it('the engine still compiles Node imports', () => {
    assert.deepEqual(checkProbe(engine.options, engineProbe, "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"), []);
  });

  it('tsc -p webview fails on vscode and on Node modules and globals', () => {
    const vscode = checkProbe(webview.options, webviewProbe, IMPORT_VSCODE);
    assert.ok(vscode.some((e) => e.code === 2306 && /vscode-is-host-only/.test(e.text)), JSON.stringify(vscode));
    const node = checkProbe(webview.options, webviewProbe, "import * as fs from 'node:fs';\nexport const f = [fs, process.env, Buffer];\n");
    assert.ok(node.some((e) => e.code === 2307 && /'node:fs'/.test(e.text)), JSON.stringify(node));
    assert.ok(node.some((e) => /'process'/.test(e.text)) && node.some((e) => /'Buffer'/.test(e.text)), JSON.stringify(node));
  });
});

/** A module specifier `file` uses: imports, re-exports, require(), import(), and `/// <reference types>`. */
function specifiersOf(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return [...info.importedFiles, ...info.typeReferenceDirectives].map((r) => r.fileName);
}

interface Rule { from: string; forbidden: string[]; noVscode: boolean }

/** The imports of `file` (path relative to the repo) that break `rule`, as "file → specifier". */
function breaches(file: string, text: string, rule: Rule): string[] {
  return specifiersOf(text).filter((spec) => {
    if (spec === 'vscode') return rule.noVscode;
    if (!spec.startsWith('.')) return false;
    const target = relative(repoRoot, resolve(repoRoot, dirname(file), spec)).split(sep).join('/');
    return rule.forbidden.some((dir) => target === dir || target.startsWith(`${dir}/`));
  }).map((spec) => `${file} → ${spec}`);
}

function tsFiles(dir: string): string[] {
  return readdirSync(at(dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split(sep).join('/')}`);
}

const RULES: Rule[] = [
  { from: 'src/shared', forbidden: ['src/engine', 'src/host', 'src/cli', 'webview'], noVscode: true },
  { from: 'src/engine', forbidden: ['src/host', 'src/cli', 'webview'], noVscode: true },
];

describe('layering: what src/shared and src/engine import', () => {
  it('the scan flags each kind of forbidden import (worked examples)', () => {
    const shared = RULES[0];
    const text = [
      '/// <reference types="vscode" />', // a directive only counts above the first statement
      "import type { HoverTokens } from '../engine/tokenizers/hover';",
      "export { x } from '../host/config';",
      "const v = require('vscode');",
      "const w = import('../../webview/dom');",
      "import { Token } from './tokenTypes';",
      "import { join } from 'node:path';",
    ].join('\n');
    assert.deepEqual(breaches('src/shared/example.ts', text, shared).sort(), [
      'src/shared/example.ts → ../../webview/dom',
      'src/shared/example.ts → ../engine/tokenizers/hover',
      'src/shared/example.ts → ../host/config',
      'src/shared/example.ts → vscode',
      'src/shared/example.ts → vscode',
    ]);
    // a sibling folder whose name merely starts like a forbidden one is fine
    assert.deepEqual(breaches('src/engine/a.ts', "import '../hostile/x';", RULES[1]), []);
  });

  for (const rule of RULES) {
    it(`no file in ${rule.from} imports ${[...rule.forbidden, 'vscode'].join(', ')}`, () => {
      const files = tsFiles(rule.from);
      assert.ok(files.length > 3, `found the files of ${rule.from}`);
      const found = files.flatMap((f) => breaches(f, readFileSync(at(f), 'utf8'), rule));
      assert.deepEqual(found, []);
    });
  }
});
