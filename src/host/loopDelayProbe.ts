/**
 * Test probe of the extension host's event loop: when the environment names a file in
 * TRANSFORMER_TRACER_LOOP_DELAY_FILE (the e2e suite sets it for code-server), Node's
 * `monitorEventLoopDelay` samples the loop and every 200 ms one JSON line goes to that
 * file: `{"t": epoch ms, "delayMs": worst delay in the interval, "count": samples}`. The
 * histogram records the time between its timer's ticks, so the resolution is taken off:
 * `delayMs` is how late the loop ran the timer. Off (nothing sampled, nothing written)
 * without the variable.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 5;
const INTERVAL_MS = 200;

export function startLoopDelayProbe(file = process.env.TRANSFORMER_TRACER_LOOP_DELAY_FILE): { dispose(): void } {
  if (!file) return { dispose() {} };
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  const timer = setInterval(() => {
    if (h.count > 0) appendFileSync(file, JSON.stringify({ t: Date.now(), delayMs: Math.max(0, h.max / 1e6 - RESOLUTION_MS), count: h.count }) + '\n');
    h.reset();
  }, INTERVAL_MS);
  timer.unref();
  return { dispose() { clearInterval(timer); h.disable(); } };
}
