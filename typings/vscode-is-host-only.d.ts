// `vscode` is for src/host only. The engine's and the webview's tsconfig map the module
// name `vscode` here ("paths"), and this file is deliberately not a module, so an import of
// it there fails to compile: "File '…/vscode-is-host-only.d.ts' is not a module" (TS2306).
// Without the mapping tsc would find node_modules/@types/vscode, since "types" only limits
// which packages load on their own, not what an import may resolve to.
// Checked by test/engine/layering.test.ts.
