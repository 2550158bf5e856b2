/**
 * The harness page every browser check of the panel loads: the same HTML shell and CSP as
 * VS Code gives the webview (panelHtml, with the inline boot script), served from a local
 * HTTP server with a stand-in for `acquireVsCodeApi` that records what the webview posts,
 * and, when themes are given, VS Code's theme variables on the page (themes.ts).
 * Also loads playwright-core's Chromium driver from the e2e tools cache ($TOOLS).
 * Used by run.ts, narrow.ts (alone) and profilePaint.ts. {@link postFromHost} posts a message
 * to the page as the host and VS Code deliver it.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { panelHtml } from '../../src/host/panel/panelHtml';
import { themeScript, WEBVIEW_DEFAULT_CSS, withThemeBody, type WebviewTheme } from './themes';
import { encodeNonFinite } from '../../src/shared/channelWire';
import { DELIVER_IN_PAGE, vscodeSerialize } from './vscodeChannel';
import { panelAttentionOf } from '../../src/host/panel/attentionMessage';
import { PANEL_ERROR_TEXT, type CodedError } from '../../src/shared/engineErrors';
import type { AttentionAnswer } from '../../src/shared/engineProtocol';

export const root = resolve(__dirname, '..', '..');
export const TOOLS = process.env.TOOLS ?? join(process.env.HOME ?? '/root', '.cache', 'tt-e2e');
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { chromium } = createRequire(join(TOOLS, 'package.json'))('playwright-core') as typeof import('playwright-core');

const HARNESS_API = `window.__posted = []; window.__xss = 0; window.__state = undefined;
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });`;

/** Serves /harness.html; with `themes`, the page starts in the first and can switch to the others. */
export function serveHarness(themes: WebviewTheme[] = []): Promise<{ url: string; close: () => void }> {
  const files: Record<string, [string, string]> = {
    '/dist/webview.js': ['text/javascript', join(root, 'dist', 'webview.js')],
    '/media/panel.css': ['text/css', join(root, 'media', 'panel.css')],
  };
  const api = themes.length ? `${HARNESS_API}\n${themeScript(themes, '/harness-theme.css')}` : HARNESS_API;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (path === '/harness.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const html = panelHtml({ cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/media/panel.css`, title: 'Transformer Tracer', preludeUris: [`${origin}/harness-api.js`], bootScript: readFileSync(join(root, 'dist', 'webviewBoot.js'), 'utf8') });
      res.end(themes.length ? withThemeBody(html, themes[0]) : html);
    } else if (path === '/harness-theme.css' && themes.length) {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(WEBVIEW_DEFAULT_CSS);
    } else if (path === '/harness-api.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(api);
    } else if (files[path]) {
      res.writeHead(200, { 'content-type': files[path][0] });
      res.end(readFileSync(files[path][1]));
    } else { res.writeHead(404); res.end(); }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/harness.html`, close: () => server.close() })));
}

/**
 * Post `message` to the panel as the extension does: the host's one encoding step
 * (PanelSession.send: encodeNonFinite), then VS Code's channel (vscodeChannel.ts: JSON for
 * plain values, typed arrays as bytes). Give it what the host posts, typed arrays as typed
 * arrays. (page.evaluate alone would not do: Playwright carries −∞, NaN and typed arrays
 * exactly, so a bug of VS Code's JSON step never showed here.)
 */
export const postFromHost = (page: import('playwright-core').Page, message: unknown, encode = true): Promise<void> =>
  page.evaluate(([code, payload]) => (0, eval)(code as string)(payload), [DELIVER_IN_PAGE, vscodeSerialize(encode ? encodeNonFinite(message) : message)] as const);

/** The engine's coded prose in English, as the host's codedText gives it without a bundle. */
const english = (c: CodedError) => PANEL_ERROR_TEXT[c.code].replace(/\{(\d+)\}/g, (_, i: string) => String(c.args[Number(i)]));

/** The Attention view's message, as the host builds it from the engine's answer (typed arrays stay typed). */
export const attentionMessage = (a: AttentionAnswer) => panelAttentionOf(a, english);
