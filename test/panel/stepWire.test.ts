/**
 * A step trace through VS Code's host → webview channel (src/shared/stepWire.ts): the
 * channel writes a message as JSON, typed arrays aside, so a causal model's masked keys
 * (−∞ in mask, masked, shifted) arrive as null, and the step view's numbers (toFixed on
 * each cell) failed on them — the code hover's link, on a query before the last one,
 * never showed its trace. The engine's own trace is the reference: after the channel and
 * reviveStepTrace every per-key array equals it again.
 */
import { strict as assert } from 'node:assert';
import { handle } from '../../src/engine/worker/handlers';
import { isHostToWebview } from '../../src/shared/protocol';
import type { StepTrace } from '../../src/shared/inspectTypes';
import { reviveStepTrace } from '../../src/shared/stepWire';

const TEXT = 'att = F.softmax(att, dim=-1)';

/** VS Code's postMessage: JSON.stringify of the message, with typed arrays carried as bytes beside it. */
function throughChannel<T>(message: T): T {
  const buffers: Float32Array[] = [];
  const json = JSON.stringify(message, (_k, v) => (v instanceof Float32Array ? { $typed: buffers.push(v) - 1 } : v));
  return JSON.parse(json, (_k, v) => (v && typeof v === 'object' && typeof v.$typed === 'number' ? Float32Array.from(buffers[v.$typed]) : v)) as T;
}

describe('step trace through the webview channel', () => {
  const trace = handle({ kind: 'step', model: 'tiny-gpt', text: TEXT, layer: 0, head: 0, query: 3 });

  it('a causal query before the last has −∞ for the later keys, which the channel turns into null', () => {
    assert.ok(trace.causal && trace.T > 4);
    assert.equal(trace.mask.filter((m) => m === -Infinity).length, trace.T - 4);
    const sent = throughChannel({ type: 'step', trace });
    assert.ok(isHostToWebview(sent), 'the webview still accepts the message');
    assert.equal((sent.trace.mask as (number | null)[]).filter((m) => m === null).length, trace.T - 4);
  });

  it('reviveStepTrace puts −∞ back in mask, masked and shifted; every other field is as the engine made it', () => {
    const got = reviveStepTrace(throughChannel({ type: 'step', trace }).trace);
    for (const f of ['mask', 'masked', 'shifted'] as const) {
      assert.equal(got[f].length, trace.T);
      got[f].forEach((v, k) => assert.ok(Object.is(v, trace[f][k]), `${f}[${k}]: ${v} ≠ ${trace[f][k]}`));
    }
    for (const f of ['raw', 'scaled', 'exp', 'weights', 'headOut'] as const) assert.deepEqual(got[f], trace[f]);
    assert.deepEqual(Array.from(got.scores as unknown as Float32Array), Array.from(trace.scores as unknown as Float32Array));
    assert.ok(got.mask.every((v) => typeof v === 'number'), 'no null left for the step view to format');
  });

  it('the last query (no key masked) crosses unchanged and comes back as the same object', () => {
    const last = handle({ kind: 'step', model: 'tiny-gpt', text: TEXT, layer: 0, head: 0, query: trace.T - 1 });
    const sent: StepTrace = throughChannel({ type: 'step', trace: last }).trace;
    assert.equal(reviveStepTrace(sent), sent);
    assert.deepEqual(sent.mask, last.mask);
  });
});
