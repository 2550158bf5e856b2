/**
 * The panel's first script, inlined in its HTML (nonce'd; src/host/panel/panelHtml.ts):
 * it says `ready` before dist/webview.js has even loaded, so the host's `init` and first
 * tokens cross while the bundle loads (the e2e measured that round trip at 50–100 ms,
 * which used to come after the load). Messages that arrive before the bundle runs are
 * kept and replayed by main.ts. Tiny on purpose: no imports, nothing but the handshake.
 */

/** What the boot script leaves on `window` for main.ts and vscodeApi.ts. */
export interface PanelBoot {
  /** The one VS Code API object (acquireVsCodeApi may be called once per webview). */
  api: { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };
  /** Messages received before main.ts took over. */
  early: MessageEvent[];
  /** When this script started: our HTML exists (VS Code writes it into a placeholder page it loaded first). */
  startedAt: number;
  /** When `ready` was posted (performance.timeOrigin + performance.now()). */
  readyAt: number;
  /** main.ts takes over: stop keeping messages. */
  stop(): void;
}

declare function acquireVsCodeApi(): PanelBoot['api'];

if (typeof acquireVsCodeApi === 'function') {
  const startedAt = performance.timeOrigin + performance.now();
  const early: MessageEvent[] = [];
  const keep = (e: MessageEvent) => { early.push(e); };
  window.addEventListener('message', keep);
  const api = acquireVsCodeApi();
  api.postMessage({ type: 'ready' });
  const boot: PanelBoot = { api, early, startedAt, readyAt: performance.timeOrigin + performance.now(), stop: () => window.removeEventListener('message', keep) };
  (window as unknown as { __panelBoot: PanelBoot }).__panelBoot = boot;
}
