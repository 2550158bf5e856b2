/**
 * Where the time goes between "Tokenize Selection" and the tokens on screen: the marks
 * the host and the webview take on a panel's first tokenize, and the breakdown made of
 * them (logged to the Transformer Tracer output channel; printed and checked by the e2e).
 * Marks are wall-clock milliseconds (`performance.timeOrigin + performance.now()`), so
 * the two sides compare on one machine.
 *
 * Host marks: `show` (the command asks for the panel), `panelCreated` (createWebviewPanel
 * returned), `htmlSet`, `tokenizeStart` / `tokenizeDone` (the engine worker's answer),
 * `ready` (the webview's `ready` arrived). Webview marks: `documentStart` (VS Code made
 * our frame: its time origin — a placeholder page VS Code loads, then writes our HTML
 * into), `pageStart` (our HTML exists: the inline boot script, webview/boot.ts, starts),
 * `readyPosted` (by the boot script, before the bundle loads), `scriptLoaded` (dist/webview.js fetched), `mainStart` (the
 * bundle evaluated, our code starts), `layoutBuilt`, `tokensReceived`, `tokensPainted`
 * (the frame after the tokens were put in the document).
 */

export type PanelTimingMarks = Partial<Record<string, number>>;

/** The largest number of marks a timing message may carry (the validator's bound). */
export const MAX_TIMING_MARKS = 32;

/** One part of the breakdown: from mark `from` to mark `to`, whose code it is, its length. */
export interface TimingPart { name: string; from: string; to: string; ms: number }

const PARTS: [name: string, from: string, to: string][] = [
  ['webview panel created (VS Code)', 'show', 'panelCreated'],
  ['panel → its frame exists (VS Code: webview host, service worker)', 'panelCreated', 'documentStart'],
  ['frame → our HTML written into it (VS Code: placeholder page, then document.write)', 'documentStart', 'pageStart'],
  ['page → ready posted (inline boot script)', 'pageStart', 'readyPosted'],
  ['  ready reaches the host', 'readyPosted', 'ready'],
  ['  host has ready → init and tokens received', 'ready', 'tokensReceived'],
  ['first engine call (tokenize in the worker, started with the panel)', 'tokenizeStart', 'tokenizeDone'],
  ['page → webview.js loaded', 'pageStart', 'scriptLoaded'],
  ['webview.js evaluated (toolkit + our modules)', 'scriptLoaded', 'mainStart'],
  ['layout built (toolkit components)', 'mainStart', 'layoutBuilt'],
  ['layout built → tokens received (VS Code holds messages until the page has loaded)', 'layoutBuilt', 'tokensReceived'],
  ['tokens received → painted', 'tokensReceived', 'tokensPainted'],
  ['page exists → tokens painted (ours)', 'pageStart', 'tokensPainted'],
  ['command → tokens painted (all)', 'show', 'tokensPainted'],
];

/** The parts whose two marks are both present, in the order above. */
export function timingBreakdown(marks: PanelTimingMarks): TimingPart[] {
  const parts: TimingPart[] = [];
  for (const [name, from, to] of PARTS) {
    const a = marks[from], b = marks[to];
    if (a !== undefined && b !== undefined) parts.push({ name, from, to, ms: b - a });
  }
  return parts;
}

/** `name 12 ms · name 3 ms · …` */
export function formatBreakdown(parts: TimingPart[]): string {
  return parts.map((p) => `${p.name.trim()} ${p.ms.toFixed(0)} ms`).join(' · ');
}

/** Now, as a mark: wall-clock milliseconds with sub-millisecond resolution. */
export function markNow(): number {
  return performance.timeOrigin + performance.now();
}
