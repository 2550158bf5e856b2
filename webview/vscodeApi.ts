/** The webview's side of the typed channel to the host (src/shared/protocol.ts). */
import type { WebviewToHost } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = typeof acquireVsCodeApi === 'function'
  ? acquireVsCodeApi()
  : { postMessage: (m) => window.parent.postMessage(m, '*'), getState: () => undefined, setState: () => undefined };
