/**
 * The "verified" badge's worker checks (src/engine/worker/verify.ts): the engine's tiktoken
 * ids against js-tiktoken's on a selection, the first layer of a forward pass on both kernels,
 * the provenance line, and the failures a tampered copy must show. Requests go through the
 * worker's `handle`, so the protocol's validation is tested on the same path.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import { handle } from '../../../src/engine/worker/handlers';
import { firstDifference, maxAbsDelta, verifyModel, verifyTokenizer } from '../../../src/engine/worker/verify';
import type { ModelVerification, TokenizerVerification } from '../../../src/shared/verifyProtocol';
import type { ModelWeights } from '../../../src/engine/model/weights';
import { HF_FIXTURES } from '../fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsTiktoken = (name: string) => { const m = require(`js-tiktoken/ranks/${name}`); return new Tiktoken(m.default ?? m); };
const text = 'The quick brown fox <|endoftext|> 你好，世界！  tabs\tand\r\nnewlines 12345 ';
const model = (name: string) => join(HF_FIXTURES, 'models', name);

describe('verify: tokenizer ids against js-tiktoken', () => {
  for (const tokenizer of ['gpt2', 'r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base']) {
    it(`${tokenizer}: ids equal js-tiktoken's on the selection (special text read as text, and matched)`, () => {
      const r = handle({ kind: 'verify', check: 'tokenizer', tokenizer, text, special: 'default' }) as TokenizerVerification;
      assert.equal(r.status, 'ok', JSON.stringify(r));
      assert.equal(r.tokens, jsTiktoken(tokenizer === 'gpt2' ? 'gpt2' : tokenizer).encode(text, [], []).length);
      assert.ok(r.tokens > 20);
      const m = handle({ kind: 'verify', check: 'tokenizer', tokenizer, text, special: 'match' }) as TokenizerVerification;
      assert.equal(m.status, 'ok', JSON.stringify(m));
      // matched, <|endoftext|> is one token instead of its pieces
      assert.equal(m.tokens, jsTiktoken(tokenizer).encode(text, 'all').length);
      assert.ok(m.tokens < r.tokens);
    });
  }

  it('a tampered reference shows the failure with the first index that differs', () => {
    const tampered = (t: string) => { const ids = jsTiktoken('cl100k_base').encode(t, [], []); ids[7] += 1; return ids; };
    const r = verifyTokenizer({ kind: 'verify', check: 'tokenizer', tokenizer: 'cl100k_base', text, special: 'default' }, tampered);
    assert.equal(r.status, 'failed');
    assert.equal(r.firstMismatch?.index, 7);
    assert.equal(r.firstMismatch!.reference, r.firstMismatch!.engine! + 1);
    const shorter = verifyTokenizer({ kind: 'verify', check: 'tokenizer', tokenizer: 'gpt2', text, special: 'default' }, (t) => jsTiktoken('gpt2').encode(t, [], []).slice(0, 3));
    assert.deepEqual(shorter.firstMismatch && { index: shorter.firstMismatch.index, reference: shorter.firstMismatch.reference }, { index: 3, reference: undefined });
  });

  it('a tokenizer js-tiktoken does not have is "unavailable", with the reason', () => {
    const r = handle({ kind: 'verify', check: 'tokenizer', tokenizer: 'bert-base-uncased', text: 'hi', special: 'default' }) as TokenizerVerification;
    assert.equal(r.status, 'unavailable');
    assert.match(r.reason!, /bert-base-uncased is not a tiktoken encoding/);
  });

  it('firstDifference and maxAbsDelta', () => {
    assert.equal(firstDifference([1, 2, 3], [1, 2, 3]), -1);
    assert.equal(firstDifference([1, 2, 3], [1, 5, 3]), 1);
    assert.equal(firstDifference([1, 2], [1, 2, 3]), 2);
    assert.equal(maxAbsDelta(new Float32Array([1, 2, -3]), new Float32Array([1, 2.5, -3.25])), 0.5);
    assert.equal(maxAbsDelta(new Float32Array([1, NaN]), new Float32Array([1, 2])), Infinity);
    assert.equal(maxAbsDelta(new Float32Array(2), new Float32Array(3)), Infinity);
  });
});

describe('verify: the first layer on both kernels, and the provenance line', () => {
  for (const name of ['gpt2-tiny', 'bert-tiny', 'llama-tiny', 'qwen2-tiny', 't5-tiny', 'bart-tiny']) {
    it(`${name}: the WebAssembly and TypeScript kernels agree on the first layer; tested against transformers`, () => {
      const r = handle({ kind: 'verify', check: 'model', model: model(name), text: 'The quick brown fox jumps over the lazy dog' }) as ModelVerification;
      assert.equal(r.kernels.status, 'ok', JSON.stringify(r.kernels));
      assert.ok(r.kernels.maxDelta! <= 1e-4 && r.kernels.maxDelta! >= 0);
      assert.ok(r.kernels.tokens > 3);
      assert.equal(r.provenance.tested, true);
      assert.equal(r.provenance.transformers, '5.18');
    });
  }

  it('a tampered copy of the first layer\'s weights shows the kernels disagree', () => {
    const tamper = (w: ModelWeights): ModelWeights => {
      const layer = { ...w.layers[0] } as unknown as Record<string, unknown>;
      const key = Object.keys(layer).find((k) => layer[k] instanceof Float32Array && (layer[k] as Float32Array).length > 16)!;
      const copy = Float32Array.from(layer[key] as Float32Array, (v) => v * 1.05 + 0.01);
      layer[key] = copy;
      return { ...w, layers: [layer as unknown as ModelWeights['layers'][number]] };
    };
    const r = verifyModel({ kind: 'verify', check: 'model', model: model('gpt2-tiny'), text: 'The quick brown fox' }, { tamper });
    assert.equal(r.kernels.status, 'failed');
    assert.ok(r.kernels.maxDelta! > 1e-4, String(r.kernels.maxDelta));
    // the model itself is untouched: a fresh check agrees again
    assert.equal(verifyModel({ kind: 'verify', check: 'model', model: model('gpt2-tiny'), text: 'The quick brown fox' }).kernels.status, 'ok');
  });
});

describe('verify: request validation', () => {
  const bad: [unknown, RegExp][] = [
    [{ kind: 'verify', check: 'weights' }, /check must be "tokenizer" or "model", not "weights"/],
    [{ kind: 'verify', check: 'tokenizer', tokenizer: '', text: 'x', special: 'default' }, /tokenizer must be a non-empty string/],
    [{ kind: 'verify', check: 'tokenizer', tokenizer: 'gpt2', text: 3, special: 'default' }, /text must be a string/],
    [{ kind: 'verify', check: 'tokenizer', tokenizer: 'gpt2', text: 'x', special: 'all' }, /special must be default, match or plain/],
    [{ kind: 'verify', check: 'model', model: 'tiny-gpt' }, /give either text or ids/],
    [{ kind: 'verify', check: 'model', model: 'tiny-gpt', text: 'a', ids: [1] }, /give either text or ids/],
    [{ kind: 'verify', check: 'model', model: 'tiny-gpt', ids: [1, -2] }, /give either text or ids \(non-negative integers\)/],
  ];
  for (const [req, message] of bad) {
    it(`refuses ${JSON.stringify(req)}`, () => {
      assert.throws(() => handle(req as Parameters<typeof handle>[0]), message);
    });
  }
});
