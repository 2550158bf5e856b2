// Runs the integration suite inside a real VS Code with @vscode/test-electron
// (downloads a VS Code build: needs internet). `npm run test:integration`.
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const extensionDevelopmentPath = path.resolve(__dirname, '..', '..');
  const extensionTestsPath = path.resolve(__dirname, 'suite', 'index.js');
  const workspace = path.resolve(__dirname, 'workspace');
  try {
    await runTests({ extensionDevelopmentPath, extensionTestsPath, launchArgs: [workspace, '--disable-extensions'] });
  } catch (err) {
    console.error('integration tests failed:', err);
    process.exit(1);
  }
}

main();
