/**
 * The first-paint timing marks (src/shared/panelTiming.ts): the messages that carry them
 * are validated like any other, and the breakdown is the differences of the marks, only
 * for parts whose two marks were both taken.
 */
import { strict as assert } from 'node:assert';
import { formatBreakdown, MAX_TIMING_MARKS, timingBreakdown } from '../../src/shared/panelTiming';
import { isHostToWebview, isWebviewToHost } from '../../src/shared/protocol';

describe('panel timing', () => {
  it('timing messages carry a bounded set of finite numbers, both ways', () => {
    const ok = { type: 'timing', marks: { documentStart: 1_700_000_000_000.5, tokensPainted: 1_700_000_000_120 } };
    assert.ok(isWebviewToHost(ok) && isHostToWebview(ok));
    const many = Object.fromEntries(Array.from({ length: MAX_TIMING_MARKS + 1 }, (_, i) => [`m${i}`, i]));
    for (const bad of [{ type: 'timing' }, { type: 'timing', marks: [1, 2] }, { type: 'timing', marks: { a: '1' } }, { type: 'timing', marks: { a: Number.NaN } },
      { type: 'timing', marks: { a: Infinity } }, { type: 'timing', marks: many }, { type: 'timing', marks: { ['x'.repeat(41)]: 1 } }]) {
      assert.ok(!isWebviewToHost(bad) && !isHostToWebview(bad), JSON.stringify(bad));
    }
  });

  it('the breakdown is mark differences, in order, skipping parts with a missing mark', () => {
    // a made-up run: command at 1000, panel at 1040, document at 1900, tokens painted at 2110
    const marks = { show: 1000, panelCreated: 1040, documentStart: 1880, pageStart: 1900, readyPosted: 1905, ready: 1930, scriptLoaded: 1950, mainStart: 2010, layoutBuilt: 2040,
      tokenizeStart: 1041, tokenizeDone: 1063, tokensReceived: 2090, tokensPainted: 2110 };
    const parts = timingBreakdown(marks);
    const ms = (from: string, to: string) => parts.find((p) => p.from === from && p.to === to)?.ms;
    assert.equal(ms('show', 'panelCreated'), 40);
    assert.equal(ms('panelCreated', 'documentStart'), 840);
    assert.equal(ms('documentStart', 'pageStart'), 20);
    assert.equal(ms('tokenizeStart', 'tokenizeDone'), 22);
    assert.equal(ms('readyPosted', 'ready'), 25);
    assert.equal(ms('pageStart', 'tokensPainted'), 210);
    assert.equal(ms('show', 'tokensPainted'), 1110);
    // the webview's own parts add up to its document → painted
    const own = ['scriptLoaded', 'mainStart', 'layoutBuilt', 'tokensReceived', 'tokensPainted'];
    const chain = own.reduce((sum, to, i) => sum + (ms(i === 0 ? 'pageStart' : own[i - 1], to) ?? 0), 0);
    assert.equal(chain, 210);
    const partial = timingBreakdown({ pageStart: 5, tokensPainted: 9 });
    assert.deepEqual(partial.map((p) => p.ms), [4]);
    assert.match(formatBreakdown(partial), /^page exists → tokens painted \(ours\) 4 ms$/);
  });
});
