/**
 * Where the first paint of 256 tiny-gpt tokens spends its time: the harness page in
 * Chromium with the DevTools CPU profiler on, one paint, self time summed per function.
 * A tool for optimising the panel (not a test): npx tsx test/webview/profilePaint.ts
 */
import { handle } from '../../src/engine/worker/handlers';
import { chromium, serveHarness } from './harnessServer';

const SENTENCE = 'The quick brown fox jumps over the lazy dog. A bird in the hand is worth two in the bush.';

const PAINT = `(m) => {
  m.weights = m.weights.map((w) => Float32Array.from(w));
  m.nextLogits = Float32Array.from(m.nextLogits);
  document.querySelectorAll('.head-tile').forEach((t) => t.remove());
  if (window.gc) window.gc();
  const t0 = performance.now();
  window.postMessage({ type: 'attention', result: m }, '*');
  let handled = 0, frames = 0;
  setTimeout(() => { handled = performance.now() - t0; }, 0);
  return new Promise((ok) => { const wait = () => { frames++; (document.querySelectorAll('.head-tile').length === 4 ? requestAnimationFrame(() => ok([performance.now() - t0, handled, frames])) : requestAnimationFrame(wait)); }; wait(); });
}`;

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }

async function main(): Promise<void> {
  const { url, close } = await serveHarness();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--js-flags=--expose-gc'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  await page.evaluate(() => window.postMessage({ type: 'init', tokenizers: ['gpt2'], current: 'gpt2', specialTokens: 'default', locale: 'en', activationMs: 1, models: ['tiny-gpt'], model: 'tiny-gpt', strings: {} }, '*'));
  await page.evaluate(() => window.postMessage({ type: 'showTab', tab: 'attention' }, '*'));
  const a = handle({ kind: 'attention', model: 'tiny-gpt', text: Array.from({ length: 40 }, () => SENTENCE).join(' '), record: 'weights' });
  const msg = { model: a.model, description: a.description, tokens: a.tokens, causal: a.causal, layers: a.layers, heads: a.heads, T: a.T, weights: a.attentions.map((w) => Array.from(w)), nextTokenTop: a.nextTokenTop, namedHeads: a.namedHeads, forwardMs: 0, nextLogits: Array.from(a.nextLogits!) };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  const runs: number[] = [];
  for (let i = 0; i < Number(process.env.RUNS ?? 5); i++) {
    const last = i === Number(process.env.RUNS ?? 5) - 1;
    if (last) { await browser.startTracing(page, { categories: ['devtools.timeline', 'blink', 'v8'] }); await cdp.send('Profiler.start'); }
    // a string, not a function: tsx would carry its `__name` helper into the page
    const [total, handled, frames] = await page.evaluate(([code, m]) => (0, eval)(code as string)(m), [PAINT, msg] as const) as number[];
    runs.push(total);
    console.log(`run ${i}: painted ${total.toFixed(0)} ms · message handled ${handled.toFixed(0)} ms · ${frames} frame(s) waited`);
  }
  const { profile } = await cdp.send('Profiler.stop') as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: { name: string; ph: string; dur?: number; ts: number; tid: number }[] };
  console.log(`paint (ms): ${runs.map((r) => r.toFixed(0)).join(', ')}`);
  const byName = new Map<string, number>();
  for (const e of trace.traceEvents) if (e.ph === 'X' && e.dur) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
  console.log('trace events (total ms, nested events overlap):');
  for (const [k, v] of [...byName].sort((x, y) => y[1] - x[1]).slice(0, 22)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
  const handler = trace.traceEvents.filter((e) => e.name === 'HandlePostMessage').pop();
  if (handler) {
    const main = trace.traceEvents.filter((e) => e.tid === handler.tid && e.ph === 'X' && (e.dur ?? 0) > 1000 && e.ts >= handler.ts - 20_000 && e.ts < handler.ts + 200_000).sort((x, y) => x.ts - y.ts);
    console.log('main thread around the message (ms from the handler, duration):');
    for (const e of main) console.log(`${((e.ts - handler.ts) / 1000).toFixed(1).padStart(8)} ${(e.dur! / 1000).toFixed(1).padStart(7)}  ${e.name}`);
  }
  console.log('rendering:');
  for (const [k, v] of [...byName].filter(([k]) => /Layout|Style|Paint|Raster|Composit|Layer|Recalc|Commit/i.test(k)).sort((x, y) => y[1] - x[1]).slice(0, 12)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0) / 1000);
  }
  for (const [k, v] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
  // inclusive time: each sample counts once for every function on its stack
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
  const incl = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = nodeById.get(cur)!.callFrame;
      const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      if (!seen.has(key)) { seen.add(key); incl.set(key, (incl.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000); }
    }
  });
  console.log('inclusive (w.js only):');
  for (const [k, v] of [...incl].filter(([k]) => k.includes('w.js')).sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
  await browser.close();
  close();
}
main().catch((e) => { console.error(e); process.exit(1); });
