/**
 * Bench section 7: the extension host's event loop while the panel tokenizes a 5 MB
 * selection (`npx tsx bench/hostLoop.ts [runs]`, or BENCH_ONLY=host-loop npm run bench;
 * needs dist/ from `npm run build`). What runs on the host's thread is done here as the
 * extension does it, in Node without VS Code: the selection taken from the document's lines
 * (VS Code's extension-host document joins its line strings), the panel's request through
 * EngineClient and the built worker, the answer posted to the webview the way VS Code's
 * `webview.postMessage` writes it on the host's thread (extHostWebviewMessaging.ts: the
 * message as JSON, typed arrays beside it as bytes; rpcProtocol.ts: that JSON is a string
 * argument, written as JSON again and encoded as UTF-8, buffers copied in as they are), and
 * the verified badge's request after it. `monitorEventLoopDelay` samples the loop as the
 * extension's probe does in the e2e (src/host/loopDelayProbe.ts); each run prints its worst
 * delay and the time of each synchronous step. Runs alternate with the former wire, the same
 * answer posted as one JSON string (made before the run, so the host's side is what the
 * former path did), so a loaded machine slows both alike; and what VS Code's side of
 * postMessage costs for the answer either way. Goal: worst delay < 50 ms on the bytes path.
 */
import { existsSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { EngineClient } from '../src/host/engineClient';
import { VERIFY_MAX_CHARS } from '../src/shared/verifyProtocol';
import { decodeTokensBytes } from '../src/shared/tokensWire';
import { recordResult } from './results';

const LOOP_BUDGET_MS = 50;
/** The loop probe's resolution (src/host/loopDelayProbe.ts): its histogram holds the time between ticks. */
const RESOLUTION_MS = 5;
const TOKENIZER = 'cl100k_base';
const PANEL_TOKEN_LIMIT = 20_000; // transformerTracer.panel.tokenLimit's default

/** The e2e's big.txt (test/e2e/workbench.mjs): 5 MB of mixed lines (prose, code, numbers, CJK, accents, emoji), the same words and seed. */
export function fiveMbLines(): string[] {
  const words = ('the quick brown fox jumps over a lazy dog while attention heads look back at every earlier position '
    + '世界 你好 注意力 naïve café 🙂 🚀 42 3.14159 1,024 function(x) { return x * 2; } <div class="a"> — “quoted” it\'s').split(' ');
  let seed = 2024;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const lines: string[] = [];
  for (let size = 0; size < 5 * 1024 * 1024;) {
    const n = 3 + Math.floor(rnd() * 14);
    let line = '';
    for (let i = 0; i < n; i++) line += (i ? ' ' : '') + words[Math.floor(rnd() * words.length)];
    line += '.';
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  lines.push('');
  return lines;
}

const REFERENCE = '$$vscode_array_buffer_reference$$';

/**
 * What `webview.postMessage(message)` does on the extension host's thread before the bytes
 * go to the socket: serializeWebviewMessage (JSON with a replacer that puts each typed
 * array's buffer aside), then the RPC layer's request (the JSON string as an argument,
 * written as JSON again, UTF-8 encoded, and the buffers copied after it). Returns the bytes.
 */
export function vscodePostMessageOnHost(message: unknown): Uint8Array {
  const buffers: ArrayBufferLike[] = [];
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof ArrayBuffer) return { [REFERENCE]: true, index: buffers.push(value) - 1 };
    if (ArrayBuffer.isView(value)) return { [REFERENCE]: true, index: buffers.push(value.buffer) - 1, view: { type: value.constructor.name, byteLength: value.byteLength, byteOffset: value.byteOffset } };
    return value;
  });
  const argument = new TextEncoder().encode(JSON.stringify(json, (_key, value: unknown) => value));
  const wire = new Uint8Array(argument.byteLength + buffers.reduce((n, b) => n + b.byteLength, 0));
  wire.set(argument);
  let at = argument.byteLength;
  for (const b of buffers) { wire.set(new Uint8Array(b), at); at += b.byteLength; }
  return wire;
}

interface RunTimes { worstMs: number; steps: Record<string, number> }

/** `formerJson`: post the answer as this JSON string instead (the wire before tokensWire.ts). */
async function panelRun(engine: EngineClient, lines: readonly string[], formerJson?: string): Promise<RunTimes> {
  const steps: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => { const t = performance.now(); const r = f(); steps[name] = (steps[name] ?? 0) + performance.now() - t; return r; };
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  await new Promise((r) => setTimeout(r, 20));
  // Tokenize Selection: the selection's text (ExtHostDocumentData.getText joins the lines)
  const text = timed('getText', () => lines.join('\n'));
  const answer = await timed('request (text to the worker)', () => engine.request({ kind: 'tokenizeBytes', tokenizer: TOKENIZER, text, source: 'big.txt:1-99', special: 'default', limit: PANEL_TOKEN_LIMIT }));
  timed('postMessage: tokens', () => vscodePostMessageOnHost(formerJson === undefined ? { type: 'tokensBytes', bytes: answer } : { type: 'tokensJson', json: formerJson }));
  // the verified badge, after the answer
  const verify = await timed('request (badge)', () => engine.request({ kind: 'verify', check: 'tokenizer', tokenizer: TOKENIZER, text: text.length > VERIFY_MAX_CHARS ? text.slice(0, VERIFY_MAX_CHARS) : text, special: 'default' }));
  timed('postMessage: verified', () => vscodePostMessageOnHost({ type: 'verified', view: 'tokens', result: verify, checkedChars: VERIFY_MAX_CHARS }));
  await new Promise((r) => setTimeout(r, 60)); // a last sample after the answer
  h.disable();
  if (verify.check !== 'tokenizer' || verify.status !== 'ok') throw new Error(`the badge's check did not agree: ${JSON.stringify(verify)}`);
  if ((decodeTokensBytes(answer) as { tokens: unknown[] }).tokens.length !== PANEL_TOKEN_LIMIT) throw new Error('the answer does not hold the panel\'s tokens');
  return { worstMs: Math.max(0, h.max / 1e6 - RESOLUTION_MS), steps };
}

/** VS Code's host side of postMessage for the same answer: as bytes, and as one JSON string (median of 5 each). */
function wireCost(answer: Uint8Array): { bytesMs: number; jsonTextMs: number } {
  const json = new TextDecoder().decode(answer);
  const median = (f: () => unknown) => { const ts: number[] = []; for (let i = 0; i < 5; i++) { const t = performance.now(); f(); ts.push(performance.now() - t); } return ts.sort((a, b) => a - b)[2]; };
  return { bytesMs: median(() => vscodePostMessageOnHost({ type: 'tokensBytes', bytes: answer })), jsonTextMs: median(() => vscodePostMessageOnHost({ type: 'tokensJson', json })) };
}

export async function hostLoopBench(root: string, runs = 5): Promise<void> {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'engineWorker.js'))) { console.log('\n7. Host event loop on a 5 MB selection: skipped (no dist/engineWorker.js; npm run build)'); return; }
  const lines = fiveMbLines();
  const mb = Buffer.byteLength(lines.join('\n')) / 1048576;
  const engine = new EngineClient(dist);
  try {
    const answer = await engine.request({ kind: 'tokenizeBytes', tokenizer: TOKENIZER, text: lines.join('\n'), source: 'big.txt:1-99', special: 'default', limit: PANEL_TOKEN_LIMIT });
    const formerJson = new TextDecoder().decode(answer);
    console.log(`\n7. Host event loop while the panel tokenizes a ${mb.toFixed(1)} MB selection (${TOKENIZER}, ${PANEL_TOKEN_LIMIT.toLocaleString('en-US')} tokens shown, the badge's check after), ${runs} runs each way, alternating; goal worst delay < ${LOOP_BUDGET_MS} ms`);
    const worst = { bytes: [] as number[], json: [] as number[] };
    for (let i = 0; i < 2 * runs; i++) {
      const wire = i % 2 ? 'json' : 'bytes';
      const r = await panelRun(engine, lines, wire === 'json' ? formerJson : undefined);
      worst[wire].push(r.worstMs);
      console.log(`   ${wire === 'bytes' ? 'bytes      ' : 'JSON string'} run ${Math.floor(i / 2) + 1}: worst delay ${r.worstMs.toFixed(1).padStart(6)} ms · ${Object.entries(r.steps).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(' · ')}`);
    }
    const stats = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] }; };
    const bytes = stats(worst.bytes), json = stats(worst.json);
    const post = wireCost(answer);
    console.log(`   worst delay, as bytes: median ${bytes.median.toFixed(1)} ms, max ${bytes.max.toFixed(1)} ms (${bytes.max < LOOP_BUDGET_MS ? 'within' : 'OVER'} budget) · as one JSON string (former): median ${json.median.toFixed(1)} ms, max ${json.max.toFixed(1)} ms`);
    console.log(`   VS Code's side of postMessage for the ${(answer.byteLength / 1e6).toFixed(2)} MB answer: as bytes ${post.bytesMs.toFixed(1)} ms, as one JSON string ${post.jsonTextMs.toFixed(1)} ms (${(post.jsonTextMs / Math.max(post.bytesMs, 0.01)).toFixed(0)}×)`);
    recordResult('host_loop_worst_delay_ms', { bytes, json_string: json });
    recordResult('host_post_message_ms', { bytes: post.bytesMs, json_string: post.jsonTextMs });
  } finally {
    engine.dispose();
  }
}

if (require.main === module) void hostLoopBench(resolve(__dirname, '..'), Number(process.argv[2] ?? 5));
