/**
 * The Generate view's messages are validated on receipt like every other panel message:
 * well-formed requests and streamed steps pass; bad settings (the CLI's bad inputs: 0 new
 * tokens, a temperature of 0, a seed without sampling), rows of the wrong shape and
 * unknown stop reasons are refused.
 */
import { strict as assert } from 'node:assert';
import { generateSettingsProblem, isGenerateStep, MAX_NEW_TOKENS, type GenerateShape } from '../../src/shared/generateProtocol';
import { isHostToWebview, isWebviewToHost } from '../../src/shared/protocol';

const shape: GenerateShape = { layers: 2, heads: 4, kvHeads: 2, headDim: 8, hidden: 32, vocab: 100, maxPositions: 64, slidingWindows: [0, 4], weightMacs: 10, headMacs: 3200, bytesPerValue: 4 };
const step = (keys = 3, rows = 4 * 3) => ({ id: 7, text: ' the', prob: 0.4, top: [{ id: 7, prob: 0.4, text: ' the' }], ms: 1.5, keys, attentions: [new Float32Array(rows), new Float32Array(rows)] });
const summary = { model: 'm', text: ' the end', newIds: [7, 9], stoppedBy: 'cancelled', kvCacheBytes: 512, prefillMs: 3, msPerToken: 1.2, withoutCache: { tokens: 2, msPerToken: 2.5, withCacheMsPerToken: 1.1, sameIds: true } };

describe('panel messages: Generate', () => {
  it('accepts greedy and seeded sampling requests, cancel and insert; refuses bad settings with the reason', () => {
    for (const ok of [
      { type: 'requestGenerate', settings: { maxNewTokens: 20 } },
      { type: 'requestGenerate', settings: { maxNewTokens: MAX_NEW_TOKENS, sampling: { temperature: 0.7, topK: 50, topP: 0.9 }, seed: 4294967295 } },
      { type: 'cancelGenerate' }, { type: 'insertGeneration', run: 3 },
    ]) assert.ok(isWebviewToHost(ok), JSON.stringify(ok));
    const bad: [unknown, RegExp][] = [
      [{ maxNewTokens: 0 }, /max new tokens must be a whole number from 1 to 512, got 0/],
      [{ maxNewTokens: MAX_NEW_TOKENS + 1 }, /got 513/],
      [{ maxNewTokens: 2.5 }, /whole number/],
      [{ maxNewTokens: 5, sampling: { temperature: 0, topK: 0, topP: 1 }, seed: 1 }, /temperature must be a number above 0/],
      [{ maxNewTokens: 5, sampling: { temperature: 1, topK: -1, topP: 1 }, seed: 1 }, /top-k/],
      [{ maxNewTokens: 5, sampling: { temperature: 1, topK: 0, topP: 1.5 }, seed: 1 }, /top-p must be in \(0, 1\]/],
      [{ maxNewTokens: 5, sampling: { temperature: 1, topK: 0, topP: 1 } }, /the seed must be a whole number/],
      [{ maxNewTokens: 5, seed: 3 }, /a seed needs sampling/],
      [undefined, /missing/],
    ];
    for (const [settings, why] of bad) {
      assert.match(generateSettingsProblem(settings) ?? '', why, JSON.stringify(settings));
      assert.ok(!isWebviewToHost({ type: 'requestGenerate', settings }), JSON.stringify(settings));
    }
    assert.ok(!isWebviewToHost({ type: 'insertGeneration', run: -1 }));
    assert.ok(!isWebviewToHost({ type: 'insertGeneration' }));
  });

  it('checks the host\'s start, steps ([NH, keys] per layer), summary, errors and insert replies', () => {
    const start = { type: 'generateStart', run: 1, model: 'm', prompt: [{ id: 1, text: 'a' }, { id: 2, text: 'b' }], shape, attentionRecorded: true, settings: { maxNewTokens: 4 } };
    assert.ok(isHostToWebview(start));
    assert.ok(!isHostToWebview({ ...start, shape: { ...shape, kvHeads: 3 } }), 'NKV must divide NH');
    assert.ok(!isHostToWebview({ ...start, shape: { ...shape, slidingWindows: [0] } }), 'one window per layer');
    assert.ok(!isHostToWebview({ ...start, run: undefined }));
    assert.ok(isHostToWebview({ type: 'generateStep', run: 1, index: 0, step: step() }));
    assert.ok(!isHostToWebview({ type: 'generateStep', run: 1, index: 0, step: { ...step(), attentions: [Array.from({ length: 12 }, () => 0)] } }), 'rows are Float32Arrays');
    assert.ok(!isHostToWebview({ type: 'generateStep', run: 1, index: 0, step: { ...step(), keys: 0 } }));
    assert.ok(!isHostToWebview({ type: 'generateStep', run: 1, index: 0, step: { ...step(), top: [{ id: 1, prob: 'x', text: '' }] } }));
    // with the run's shape known the view checks [NH, keys] exactly
    assert.ok(isGenerateStep(step(), 2, 4));
    assert.ok(!isGenerateStep(step(3, 4 * 2), 2, 4), 'a row shorter than the keys');
    assert.ok(!isGenerateStep(step(), 3, 4), 'a layer missing');
    assert.ok(isHostToWebview({ type: 'generateDone', run: 1, summary }));
    assert.ok(isHostToWebview({ type: 'generateDone', run: 1, summary: { ...summary, withoutCache: undefined } }));
    assert.ok(!isHostToWebview({ type: 'generateDone', run: 1, summary: { ...summary, stoppedBy: 'tired' } }));
    assert.ok(!isHostToWebview({ type: 'generateDone', run: 1, summary: { ...summary, withoutCache: { tokens: 2 } } }));
    assert.ok(isHostToWebview({ type: 'generateError', run: 2, message: 'tiny-bert is not a generative model', notGenerative: true }));
    assert.ok(!isHostToWebview({ type: 'generateError', run: 2 }));
    assert.ok(isHostToWebview({ type: 'generateInserted', run: 2, ok: false, message: 'The document changed' }));
    assert.ok(!isHostToWebview({ type: 'generateInserted', run: 2, ok: 'yes', message: '' }));
  });
});
