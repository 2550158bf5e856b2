/** The webview's side of the typed channel to the host (src/shared/protocol.ts). */
import type { WebviewToHost } from '../src/shared/protocol';
import type { PanelBoot } from './boot';

/** What the inlined boot script (boot.ts) left, if it ran: it has acquired the API already. */
export const boot: PanelBoot | undefined = (window as unknown as { __panelBoot?: PanelBoot }).__panelBoot;

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = boot ? boot.api as VsCodeApi : typeof acquireVsCodeApi === 'function'
  ? acquireVsCodeApi()
  : { postMessage: (m) => window.parent.postMessage(m, '*'), getState: () => undefined, setState: () => undefined };
