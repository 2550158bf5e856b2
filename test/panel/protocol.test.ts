/**
 * Messages between host and webview are validated on receipt: well-formed ones pass,
 * unknown types and wrong shapes are refused. Trace files round-trip through the same
 * shape check.
 */
import { strict as assert } from 'node:assert';
import { parseTrace, TRACE_FORMAT } from '../../src/host/panel/traceFile';
import { isHostToWebview, isPanelAttention, isWebviewToHost, type PanelAttention } from '../../src/shared/protocol';

const T = 3, H = 2;
const attention = (): PanelAttention => ({
  model: 'm', description: 'd', tokens: [0, 1, 2].map((id) => ({ id, text: `t${id}` })), causal: true, layers: 1, heads: H, T,
  weights: [new Float32Array(H * T * T).fill(1 / 3)], namedHeads: [{ layer: 0, head: 1, label: 'previous token', score: 0.9 }], forwardMs: 1,
});

describe('panel messages', () => {
  it('accepts the webview\'s well-formed requests and refuses the rest', () => {
    for (const ok of [{ type: 'ready' }, { type: 'requestStep', layer: 0, head: 1, query: 2 }, { type: 'pickModel', name: 'tiny-bert' },
      { type: 'export', format: 'csv', fileName: 'a-L0-H1.csv', data: 'x' }, { type: 'export', format: 'png', fileName: 'a.png', data: 'data:image/png;base64,AA==' },
      { type: 'revealRange', start: 1, end: 4 }, { type: 'openTrace' }]) assert.ok(isWebviewToHost(ok), JSON.stringify(ok));
    for (const bad of [null, 'ready', { type: 'nope' }, { type: 'requestStep', layer: -1, head: 0, query: 0 }, { type: 'requestStep', layer: 0, head: 0.5, query: 0 },
      { type: 'export', format: 'exe', fileName: 'a', data: '' }, { type: 'export', format: 'csv', fileName: '../../etc/passwd', data: '' },
      { type: 'export', format: 'csv', fileName: 'a/b.csv', data: '' }, { type: 'export', format: 'png', fileName: 'a.png', data: 'javascript:alert(1)' },
      { type: 'revealRange', start: 5, end: 2 }, { type: 'pickModel', name: '' }]) assert.ok(!isWebviewToHost(bad), JSON.stringify(bad));
  });

  it('checks attention shapes: [H, T, T] per layer and T tokens', () => {
    assert.ok(isPanelAttention(attention()));
    assert.ok(isHostToWebview({ type: 'attention', result: attention() }));
    const wrongSize = { ...attention(), weights: [new Float32Array(5)] };
    const wrongTokens = { ...attention(), tokens: [{ id: 0, text: 'a' }] };
    const plainArrays = { ...attention(), weights: [Array.from(attention().weights[0])] };
    for (const bad of [wrongSize, wrongTokens, plainArrays, { ...attention(), layers: 2 }, { ...attention(), namedHeads: [{ layer: 'x' }] }]) assert.ok(!isPanelAttention(bad));
    assert.ok(!isHostToWebview({ type: 'step', trace: { T: 2, query: 0, weights: [], scores: [0, 0, 0, 0] } }), 'scores must be a Float32Array');
    assert.ok(!isHostToWebview({ type: 'cursor', offset: -1 }));
  });

  it('trace files round-trip and bad ones name the problem', () => {
    const a = attention();
    const text = JSON.stringify({ format: TRACE_FORMAT, version: 1, attention: { ...a, weights: a.weights.map((w) => Array.from(w)) } });
    const back = parseTrace(text);
    assert.ok(isPanelAttention(back));
    assert.deepEqual((back as PanelAttention).weights[0], a.weights[0]);
    assert.throws(() => parseTrace('{'), /not JSON/);
    assert.throws(() => parseTrace(JSON.stringify({ format: 'other' })), /"format" is not "transformer-tracer-trace"/);
    assert.throws(() => parseTrace(JSON.stringify({ format: TRACE_FORMAT, version: 2 })), /version 2 is not supported/);
    assert.throws(() => parseTrace(JSON.stringify({ format: TRACE_FORMAT, version: 1, attention: { weights: [['x']] } })), /must be arrays of numbers/);
  });
});
