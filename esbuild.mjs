// One build script, two kinds of output: the extension host and the engine worker as
// node/cjs (`vscode` external), the panel webview as a browser iife.
//   node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', target: 'es2022' };

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { ...common, entryPoints: ['src/engine/worker/engineWorker.ts'], outfile: 'dist/engineWorker.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
  // inlined in the panel's HTML (panelHtml.ts): no source map comment pointing nowhere
  { ...common, sourcemap: false, entryPoints: ['webview/boot.ts'], outfile: 'dist/webviewBoot.js', platform: 'browser', format: 'iife' },
  // js-tiktoken's ranks for the verified badge's live check (src/engine/worker/verify.ts), one
  // file each, required by the worker only when a check runs; gpt2's ranks are r50k_base's
  ...['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'].map((enc) => ({
    ...common, sourcemap: false, stdin: { contents: `module.exports = require('js-tiktoken/ranks/${enc}');`, resolveDir: '.', loader: 'js' },
    outfile: `dist/ranks/${enc}.js`, platform: 'node', format: 'cjs',
  })),
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
