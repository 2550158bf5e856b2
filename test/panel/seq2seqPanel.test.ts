/**
 * The panel's encoder–decoder part: what the worker sends for T5, BART and Marian (shapes, and the
 * values against transformers' own attentions in ../shared/fixtures/hf/models/*-tiny/
 * golden.json and against the engine's runSeq2Seq), the cross step trace agreeing with
 * it, Translate's greedy ids against transformers' greedy_ids, the protocol (old files
 * without the part still valid, shapes checked when present, trace files round-trip), the
 * webview's copy of T5's bucket function against the engine's on a grid of distances, and
 * the real masks and the numbers the seed answer quotes.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../src/engine/model/loadModel';
import { relativeBucket as engineBucket } from '../../src/engine/model/relativePosition';
import { runSeq2Seq } from '../../src/engine/model/seq2seq';
import { handle } from '../../src/engine/worker/handlers';
import { parseTrace } from '../../src/host/panel/traceFile';
import { translateSource } from '../../src/host/panel/translate';
import type { EngineClient } from '../../src/host/engineClient';
import { isHostToWebview, isPanelAttention, isWebviewToHost, type PanelAttention } from '../../src/shared/protocol';
import type { PanelSeq2Seq } from '../../src/shared/seq2seqProtocol';
import { traceFileText } from '../../webview/views/attention/traceJson';
import { biasGrid, distanceRows, relativeBucket } from '../../webview/views/seq2seq/relativeBucket';
import { combineHeads, headSlice, maskFacts, realMask } from '../../webview/views/seq2seq/seq2seqMath';
import { HF_FIXTURES } from '../engine/fixtures';

const model = (name: string) => join(HF_FIXTURES, 'models', name);
interface Golden { kind: string; source: string; target: string; input_ids: number[][] | number[]; decoder_input_ids: number[][] | number[]; decoder_attentions: number[][][][]; cross_attentions: number[][][][]; greedy_ids: number[] | number[][] }
const golden = (name: string) => (JSON.parse(readFileSync(join(model(name), 'golden.json'), 'utf8')) as { cases: Golden[] }).cases.find((c) => c.kind === 'single')!;
const flat = (v: number[] | number[][]) => (Array.isArray(v[0]) ? (v as number[][])[0] : (v as number[]));

/** What panelSession.ts posts: the worker's answer as a PanelAttention. */
function panelMessage(a: ReturnType<typeof handle<'attention'>>): PanelAttention {
  return {
    model: a.model, description: a.description, tokens: a.tokens, causal: a.causal, layers: a.layers, heads: a.heads, T: a.T, notice: a.notice,
    weights: a.attentions, nextTokenTop: a.nextTokenTop, maskTop: a.maskTop, namedHeads: a.namedHeads, forwardMs: a.timings.forward, nextLogits: a.nextLogits,
    ...a.architecture, ...(a.seq2seq ? { seq2seq: a.seq2seq } : {}),
  };
}

function maxDiff(ours: Float32Array, theirs: number[][][] /* [H][rows][cols] */): number {
  let d = 0;
  theirs.flat(2).forEach((v, i) => { d = Math.max(d, Math.abs(v - ours[i])); });
  assert.equal(theirs.flat(2).length, ours.length, 'same number of cells');
  return d;
}

describe('panel: encoder–decoders (seq2seq part of the attention)', () => {
  for (const name of ['t5-tiny', 'bart-tiny', 'marian-tiny']) {
    it(`${name}: the worker sends the decoder's and the cross attention, shaped and equal to transformers' and to the engine's`, () => {
      const g = golden(name);
      const a = handle({ kind: 'attention', model: model(name), ids: flat(g.input_ids), target: g.target, record: 'weights' });
      const s = a.seq2seq!;
      assert.ok(s, 'a seq2seq part');
      const Te = a.T, Td = s.Td;
      assert.deepEqual(s.decoderTokens.map((t) => t.id), flat(g.decoder_input_ids), 'the target is tokenized as transformers did');
      assert.equal(s.target, g.target);
      assert.equal(s.decoderWeights.length, s.layers);
      assert.ok(s.decoderWeights.every((w) => w.length === s.heads * Td * Td) && s.crossWeights.every((w) => w.length === s.heads * Td * Te));
      assert.deepEqual(s.sourceMask, Array(Te).fill(1));
      for (let l = 0; l < s.layers; l++) {
        assert.ok(maxDiff(s.decoderWeights[l], g.decoder_attentions[l]) < 1e-4, `decoder self attention, layer ${l}`);
        assert.ok(maxDiff(s.crossWeights[l], g.cross_attentions[l]) < 1e-4, `cross attention, layer ${l}`);
      }
      // the engine's own pass on the same ids gives the same arrays, bit for bit
      const m = loadModel(model(name));
      const r = runSeq2Seq(m, { ids: flat(g.input_ids), decoderIds: flat(g.decoder_input_ids) }, { record: 'weights' });
      r.decoder.layers.forEach((layer, l) => layer.cross!.forEach((h, i) => assert.deepEqual(headSlice(s.crossWeights[l], i, Td, Te), h.weights)));
      r.decoder.layers.forEach((layer, l) => layer.heads.forEach((h, i) => assert.deepEqual(headSlice(s.decoderWeights[l], i, Td, Td), h.weights)));
      const p = panelMessage(a);
      assert.ok(isPanelAttention(p), 'the panel accepts it');
      if (name === 't5-tiny') {
        assert.deepEqual(s.relative!.encoder, Array.from(m.weights.relBias!), 'the encoder\'s bias table');
        assert.deepEqual(s.relative!.decoder, Array.from(m.weights.decoder!.relBias!), 'the decoder\'s bias table');
        assert.deepEqual([s.relative!.buckets, s.relative!.maxDistance], [32, 128]); // config.json
      } else assert.equal(s.relative, undefined, 'BART has learned positions, no relative bias');
      m.dispose();
    });
  }

  it('the cross step trace (q from a decoder token, k and v from the source) matches the cross attention the panel shows', () => {
    const g = golden('t5-tiny');
    const a = handle({ kind: 'attention', model: model('t5-tiny'), text: g.source, target: g.target, record: 'weights' });
    const s = a.seq2seq!, Te = a.T, Td = s.Td;
    for (const [layer, head, query] of [[0, 1, 2], [1, 3, Td - 1]]) {
      const tr = handle({ kind: 'step', model: model('t5-tiny'), text: g.source, target: g.target, attention: 'cross', layer, head, query });
      assert.equal(tr.kind, 'cross');
      assert.equal(tr.T, Te, 'keys: the source tokens');
      assert.equal(tr.queries, Td, 'rows: the decoder tokens');
      assert.equal(tr.scores.length, Td * Te, 'scores [queries, T]');
      const row = headSlice(s.crossWeights[layer], head, Td, Te).subarray(query * Te, (query + 1) * Te);
      tr.weights.forEach((w, k) => assert.ok(Math.abs(w - row[k]) < 1e-6, `weight ${k}`));
      assert.ok(tr.mask.every((v) => v === 0), 'no padding: no source key masked');
    }
    const dec = handle({ kind: 'step', model: model('t5-tiny'), text: g.source, target: g.target, attention: 'decoder-self', layer: 0, head: 0, query: 2 });
    assert.deepEqual(dec.mask.map((v) => v === -Infinity), Array.from({ length: Td }, (_, k) => k > 2), 'causal: keys after the query');
  });

  it('Translate asks the worker for greedy decoding: the ids transformers\' greedy search chose (t5-tiny, marian-tiny)', async () => {
    const g = golden('t5-tiny');
    const greedy = flat(g.greedy_ids).slice(1); // after the decoder start token
    // the fixture's tokenizer.json has no T5 post-processor (no </s>): the stub checks the request, then runs it on transformers' input ids
    const engine = { request: (req: Parameters<typeof handle>[0]) => {
      assert.ok(req.kind === 'generate' && req.text === g.source && req.settings.sampling === undefined && req.settings.maxNewTokens === greedy.length, JSON.stringify(req));
      return Promise.resolve(handle({ ...req, text: undefined, ids: flat(g.input_ids) }));
    } } as unknown as EngineClient;
    const r = await translateSource(engine, model('t5-tiny'), g.source, greedy.length);
    assert.deepEqual(r.newIds, greedy);
    assert.equal(r.text, r.text.trim());
    assert.ok(r.text.length > 0);
    // marian-tiny's source.spm tokenizes the text as MarianTokenizer did: the real request, end to end
    const m = golden('marian-tiny');
    const forward = { request: (req: Parameters<typeof handle>[0]) => Promise.resolve(handle(req)) } as unknown as EngineClient;
    const mr = await translateSource(forward, model('marian-tiny'), m.source, flat(m.greedy_ids).length - 1);
    assert.deepEqual(mr.newIds, flat(m.greedy_ids).slice(1));
  });

  it('protocol: old trace files without the part stay valid; shapes are checked when present; trace files round-trip', () => {
    const a = panelMessage(handle({ kind: 'attention', model: model('t5-tiny'), text: 'I love you', target: 'Je t\'aime', record: 'weights' }));
    const { seq2seq, ...old } = a;
    assert.ok(isPanelAttention(old), 'a PanelAttention without seq2seq (files saved before)');
    assert.ok(isPanelAttention(a));
    const s = seq2seq!;
    const bad: [string, Partial<PanelSeq2Seq>][] = [
      ['a cross layer [H, Td, Td] instead of [H, Td, Te]', { crossWeights: s.crossWeights.map(() => new Float32Array(s.heads * s.Td * s.Td + 1)) }],
      ['one decoder layer missing', { decoderWeights: s.decoderWeights.slice(1) }],
      ['a source mask of the wrong length', { sourceMask: [1] }],
      ['a mask value 2', { sourceMask: s.sourceMask.map(() => 2) }],
      ['decoder tokens ≠ Td', { decoderTokens: s.decoderTokens.slice(1) }],
      ['a bias table of the wrong size', { relative: { ...s.relative!, encoder: [1, 2, 3] } }],
      ['weights as number lists', { decoderWeights: s.decoderWeights.map((w) => Array.from(w)) as unknown as Float32Array[] }],
    ];
    for (const [why, patch] of bad) assert.ok(!isPanelAttention({ ...a, seq2seq: { ...s, ...patch } }), why);
    const back = parseTrace(traceFileText(a)) as PanelAttention;
    assert.ok(isPanelAttention(back), 'a saved encoder–decoder trace reopens');
    assert.deepEqual(back.seq2seq!.crossWeights, s.crossWeights);
    assert.deepEqual(back.seq2seq!.relative, s.relative);
    assert.throws(() => parseTrace(JSON.stringify({ format: 'transformer-tracer-trace', version: 1, attention: { weights: [[1]], seq2seq: { crossWeights: 'x' } } })), /seq2seq/);
  });

  it('protocol: the view\'s messages (target, Translate, which attention to trace) and the host\'s answers', () => {
    for (const ok of [{ type: 'setTarget', target: '' }, { type: 'setTarget', target: 'Je t\'aime' }, { type: 'requestTranslate', maxNewTokens: 64 },
      { type: 'requestStep', layer: 0, head: 0, query: 1, attention: 'cross' }, { type: 'requestStep', layer: 0, head: 0, query: 1, attention: 'decoder-self' }]) assert.ok(isWebviewToHost(ok), JSON.stringify(ok));
    for (const bad of [{ type: 'setTarget' }, { type: 'setTarget', target: 'x'.repeat(5000) }, { type: 'requestTranslate', maxNewTokens: 0 }, { type: 'requestTranslate', maxNewTokens: 513 },
      { type: 'requestStep', layer: 0, head: 0, query: 1, attention: 'self' }]) assert.ok(!isWebviewToHost(bad), JSON.stringify(bad));
    assert.ok(isHostToWebview({ type: 'translated', text: 'Je t\'aime', newIds: [1, 2] }));
    assert.ok(isHostToWebview({ type: 'translateError', message: 'no' }));
    assert.ok(!isHostToWebview({ type: 'translated', text: 'x', newIds: [-1] }));
  });

  it('the webview\'s T5 buckets are the engine\'s own function (src/shared/relativeBucket.ts), and the worked examples', () => {
    assert.equal(relativeBucket, engineBucket, 'one implementation, not a copy');
    // 32 buckets, 128: encoder halves (16 a side, 8 exact); decoder 32 one-sided (16 exact)
    assert.deepEqual([-3, 3, -8, -200, 0].map((d) => relativeBucket(d, true, 32, 128)), [3, 19, 8, 15, 0]);
    assert.deepEqual([3, 0, -1, -15, -16, -127, -128, -1000].map((d) => relativeBucket(d, false, 32, 128)), [0, 0, 1, 15, 16, 31, 31, 31]);
  });

  it('bias grid and distance table read the [B, H] table at bucket · H + head (t5-tiny\'s own)', () => {
    const a = handle({ kind: 'attention', model: model('t5-tiny'), text: 'I love you so much', record: 'weights' });
    const rel = a.seq2seq!.relative!, H = a.seq2seq!.heads;
    const g = biasGrid(rel.encoder, H, 2, a.T, a.T, true, rel.buckets, rel.maxDistance);
    assert.equal(g.buckets[0 * a.T + 1], 17); // key 1 after query 0: 16 + 1
    assert.equal(g.bias[0 * a.T + 1], Math.fround(rel.encoder[17 * H + 2]));
    assert.equal(g.bias[3 * a.T + 1], Math.fround(rel.encoder[2 * H + 2])); // two keys back
    const rows = distanceRows(rel.decoder, H, 0, 4, false, rel.buckets, rel.maxDistance);
    assert.deepEqual(rows.map((r) => [r.distance, r.bucket]), [[-3, 3], [-2, 2], [-1, 1], [0, 0], [1, 0], [2, 0], [3, 0]]);
  });

  it('real masks and the seed answer\'s numbers: encoder and cross mask padding only, the decoder is causal with weights exactly 0 above the diagonal', () => {
    const p = panelMessage(handle({ kind: 'attention', model: model('t5-tiny'), text: 'I love you', target: 'Je t\'aime', record: 'weights' }));
    const s = p.seq2seq!, Te = p.T, Td = s.Td;
    const f = maskFacts(p, s, 1, 2);
    assert.deepEqual([f.Te, f.Td, f.padded, f.encoderMasked, f.crossMasked], [Te, Td, 0, 0, 0]);
    assert.equal(f.decoderMasked, (Td * (Td - 1)) / 2);
    assert.equal(f.decoderFutureMax, 0, 'exp(−∞) = 0 exactly');
    assert.equal(f.startOnLastSource, headSlice(s.crossWeights[1], 2, Td, Te)[Te - 1]);
    assert.ok(f.encoderLaterRead > 0, 'the encoder reads later source tokens');
    // a padded source: its last key is hidden from the encoder and from cross attention, not from the decoder
    const padded = { ...s, sourceMask: [...s.sourceMask.slice(0, -1), 0] };
    const enc = realMask(padded, 'encoder-self'), cross = realMask(padded, 'cross'), dec = realMask(padded, 'decoder-self');
    assert.deepEqual([enc.rows, enc.cols, cross.rows, cross.cols, dec.rows, dec.cols], [Te, Te, Td, Te, Td, Td]);
    assert.ok(Array.from(cross.mask).every((v, i) => (i % Te === Te - 1) === (v === -Infinity)));
    assert.equal(maskFacts(p, padded, 0, 0).encoderMasked, Te);
    // heads combined: the mean of two cross heads is their average, the max their larger
    const m0 = headSlice(s.crossWeights[0], 0, Td, Te), m1 = headSlice(s.crossWeights[0], 1, Td, Te);
    const mean = combineHeads(s.crossWeights[0], Td, Te, [0, 1], 'mean'), max = combineHeads(s.crossWeights[0], Td, Te, [0, 1], 'max');
    for (let i = 0; i < Td * Te; i++) { assert.ok(Math.abs(mean[i] - (m0[i] + m1[i]) / 2) < 1e-7); assert.equal(max[i], Math.max(m0[i], m1[i])); }
  });
});
