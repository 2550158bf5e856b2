/**
 * Host → webview messages through VS Code's channel (test/webview/vscodeChannel.ts: JSON for
 * plain values, typed arrays as bytes) and the host's and webview's one encoding step
 * (src/shared/channelWire.ts). Each message is built as the host builds it, from a real
 * engine answer (tiny-gpt, tiny-bert, T5 and Llama fixtures): after encodeNonFinite, the
 * channel and decodeNonFinite it equals the engine's own, −∞ included. Without the
 * encoding, the same channel turns a causal model's masked keys into null (the bug: the
 * step view's numbers failed on them, so a query before the last never showed its trace).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { handle } from '../../src/engine/worker/handlers';
import { decodeNonFinite, encodeNonFinite, NON_FINITE_KEY } from '../../src/shared/channelWire';
import { isHostToWebview, type HostToWebview } from '../../src/shared/protocol';
import type { GenerateEvent } from '../../src/shared/generateProtocol';
import type { CodedError } from '../../src/shared/engineErrors';
import { panelAttentionOf } from '../../src/host/panel/attentionMessage';
import { throughVsCodeChannel } from '../webview/vscodeChannel';
import { HF_FIXTURES } from '../engine/fixtures';

const TEXT = 'att = F.softmax(att, dim=-1)';
const words = (c: CodedError) => `${c.code}: ${c.args.join(', ')}`;
const T5 = join(HF_FIXTURES, 'models', 't5-tiny');
const LLAMA = join(HF_FIXTURES, 'models', 'llama-tiny');

/** What the webview reads: the host's message through encode, VS Code's channel and decode. */
const delivered = (m: HostToWebview) => decodeNonFinite(throughVsCodeChannel(encodeNonFinite(m)));

/** `v` without fields whose value is undefined (JSON leaves them out; the webview reads them as absent all the same). */
function withoutUndefined(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map(withoutUndefined);
  return Object.fromEntries(Object.entries(v).filter(([, e]) => e !== undefined).map(([k, e]) => [k, withoutUndefined(e)]));
}

/** Paths to the numbers JSON would lose (non-finite, −0), outside typed arrays. */
function lossyNumbers(v: unknown, path = ''): string[] {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? [] : [`${path}=${Object.is(v, -0) ? '-0' : v}`];
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return [];
  return Object.entries(v).flatMap(([k, e]) => lossyNumbers(e, `${path}.${k}`));
}

/** Every message kind the host makes from an engine answer, as the host makes it (panelSession.ts and the handlers). */
function hostMessages(): [string, HostToWebview][] {
  const events: GenerateEvent[] = [];
  const summary = handle({ kind: 'generate', model: 'tiny-gpt', text: TEXT, settings: { maxNewTokens: 4, sampling: { temperature: 0.8, topK: 5, topP: 0.9 }, seed: 7 }, compareWithoutCache: 2, topShown: 5 }, undefined, (e) => events.push(e));
  const generated: [string, HostToWebview][] = events.map((e, i) => {
    if (e.kind === 'start') { const { kind: _, noticeCoded, ...start } = e; return ['generateStart', { type: 'generateStart', run: 1, settings: { maxNewTokens: 4 }, ...start, ...(noticeCoded ? { notice: noticeCoded.map(words).join(' ') } : {}) }]; }
    return [`generateStep ${i}`, { type: 'generateStep', run: 1, index: e.index, step: e.step }];
  });
  const causalStep = handle({ kind: 'step', model: 'tiny-gpt', text: TEXT, layer: 0, head: 1, query: 3 });
  const lens = handle({ kind: 'lens', model: 'tiny-gpt', text: TEXT });
  const { lossProblemCoded: _, ...shown } = lens;
  return [
    ['step, a causal query before the last', { type: 'step', trace: causalStep }],
    ['step, the last query', { type: 'step', trace: handle({ kind: 'step', model: 'tiny-gpt', text: TEXT, layer: 1, head: 0, query: causalStep.T - 1 }) }],
    ['step, Llama (RoPE, GQA)', { type: 'step', trace: handle({ kind: 'step', model: LLAMA, text: TEXT, layer: 0, head: 0, query: 2 }) }],
    ['step, T5 decoder self attention', { type: 'step', trace: handle({ kind: 'step', model: T5, text: 'I love you', target: 'Je t\'aime', attention: 'decoder-self', layer: 0, head: 0, query: 1 }) }],
    ['attention, tiny-gpt', { type: 'attention', result: panelAttentionOf(handle({ kind: 'attention', model: 'tiny-gpt', text: TEXT, record: 'weights' }), words) }],
    ['attention, T5', { type: 'attention', result: panelAttentionOf(handle({ kind: 'attention', model: T5, text: 'I love you', target: 'Je t\'aime', record: 'weights' }), words) }],
    ['attention, tiny-bert', { type: 'attention', result: panelAttentionOf(handle({ kind: 'attention', model: 'tiny-bert', text: 'the [MASK] sat on the mat', record: 'weights' }), words) }],
    ['maskDemo', { type: 'maskDemo', result: handle({ kind: 'maskDemo', model: 'tiny-bert', text: 'the cat sat on the mat', seed: 3 }) }],
    ['trace', { type: 'trace', result: handle({ kind: 'trace', tokenizer: 'gpt2', text: TEXT, special: 'default', tokenIndex: 2 }) }],
    ['trained', { type: 'trained', result: handle({ kind: 'train', text: TEXT.repeat(3), mode: 'byte-level', merges: 10, minFrequency: 2 }) }],
    ...generated,
    ['generateDone', { type: 'generateDone', run: 1, summary }],
    ['residual', { type: 'residual', ...shown }],
    ['embedding', { type: 'embedding', result: handle({ kind: 'embedding', model: 'tiny-gpt', word: 'bank', contextA: 'the river bank', contextB: 'the bank account' }) }],
    ['compared', { type: 'compared', result: handle({ kind: 'compare', tokenizers: ['gpt2', 'cl100k_base'], text: TEXT, shownChars: 1000 }) }],
    ['chatted', { type: 'chatted', result: handle({ kind: 'chat', tokenizer: 'gpt2', messages: [{ role: 'user', content: TEXT }], addGenerationPrompt: true, genericTemplate: true }) }],
    ['verified', { type: 'verified', view: 'attention', result: handle({ kind: 'verify', check: 'model', model: 'tiny-gpt', text: TEXT }) }],
  ];
}

describe('host → webview messages through VS Code\'s channel', () => {
  const messages = hostMessages();

  it('the causal step trace holds −∞ for the later keys, and the bare channel turns them into null (what the encoding is for)', () => {
    const [, step] = messages[0];
    assert.ok(step.type === 'step' && step.trace.causal && step.trace.T > 4);
    assert.equal(step.trace.mask.filter((m) => m === -Infinity).length, step.trace.T - 4);
    const bare = throughVsCodeChannel(step) as { trace: { mask: unknown[]; masked: unknown[]; shifted: unknown[] } };
    for (const f of ['mask', 'masked', 'shifted'] as const) assert.equal(bare.trace[f].filter((m) => m === null).length, step.trace.T - 4, f);
  });

  for (const [name, message] of messages) {
    it(`${name}: arrives equal to the host's message, typed arrays and non-finite numbers included`, () => {
      const got = delivered(message);
      assert.deepStrictEqual(got, withoutUndefined(message));
      assert.ok(isHostToWebview(got), 'the webview accepts it');
      assert.deepEqual(lossyNumbers(got), lossyNumbers(message));
    });
  }

  it('a message without such numbers is posted as the very object the host made (no copy)', () => {
    const [, last] = messages[1];
    assert.deepEqual(lossyNumbers(last), []);
    assert.equal(encodeNonFinite(last), last);
  });

  it('every number JSON loses comes back, at any depth; typed arrays and strings that spell them are left alone', () => {
    const m = { a: [1, -Infinity, [NaN, { b: Infinity }]], z: -0, f: new Float32Array([-Infinity, NaN]), s: ['NaN', '-Infinity'], o: { [NON_FINITE_KEY]: 'nope' } };
    const sent = encodeNonFinite(m);
    assert.notEqual(sent, m);
    assert.equal(sent.f, m.f, 'the typed array is the same object');
    assert.deepStrictEqual(decodeNonFinite(throughVsCodeChannel(sent)), m);
    assert.deepEqual(m.a, [1, -Infinity, [NaN, { b: Infinity }]], 'the host\'s own message is not changed');
  });
});
