/**
 * The webview's marks of its first tokens paint (src/shared/panelTiming.ts): taken as
 * the panel starts, sent to the host once the tokens are on screen; the host answers
 * with its own marks and both are kept on `document.body.dataset.timing` (JSON) for
 * the e2e to read.
 */
import { markNow, type PanelTimingMarks } from '../src/shared/panelTiming';
import { vscode } from './vscodeApi';

const marks: PanelTimingMarks = { documentStart: performance.timeOrigin };
let sent = false;

export function mark(name: string, at = markNow()): void {
  marks[name] ??= at;
}

/** The script's own fetch, from resource timing: when dist/webview.js had arrived. */
function scriptLoaded(): number | undefined {
  const src = document.querySelector<HTMLScriptElement>('script[src$="webview.js"]')?.src;
  const entry = src ? performance.getEntriesByName(src)[0] as PerformanceResourceTiming | undefined : undefined;
  return entry && entry.responseEnd > 0 ? performance.timeOrigin + entry.responseEnd : undefined;
}

/** The tokens are in the document: mark the frame that shows them (once), send the marks, then call `afterPaint`. */
export function tokensShown(afterPaint: () => void): void {
  if (sent) { afterPaint(); return; }
  sent = true;
  // the frame's callback runs before its paint; the task queued from it runs after
  requestAnimationFrame(() => setTimeout(() => {
    mark('tokensPainted');
    afterPaint();
    const loaded = scriptLoaded();
    if (loaded !== undefined) marks.scriptLoaded = loaded;
    document.body.dataset.timing = JSON.stringify(marks);
    vscode.postMessage({ type: 'timing', marks });
  }, 0));
}

/** The host's marks arrived: keep them with ours. */
export function hostMarks(host: PanelTimingMarks): void {
  document.body.dataset.timing = JSON.stringify({ ...host, ...marks });
}
