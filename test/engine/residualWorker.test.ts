/**
 * The worker's residual-stream requests (src/engine/worker/residualHandler.ts) against the
 * engine functions they wrap, called on their own: the lens and loss equal runLensJob /
 * runLossJob (residualStream.ts, checked there against transformers), the embeddings
 * answer equals tokenVector / nearestTokens / contextualSimilarity; BERT and a one-token
 * text are refused with the reason. Prints the lens + loss time for 256 tokens of tiny-gpt
 * beyond the forward pass (a measurement, not an assertion).
 */
import { strict as assert } from 'node:assert';
import { handle } from '../../src/engine/worker/handlers';
import { runLensJob, runLossJob } from '../../src/engine/model/lensJob';
import { prepare } from '../../src/engine/model/attentionJob';
import { contextualSimilarity, nearestTokens, tokenVector } from '../../src/engine/model/embeddings';
import { isPanelEmbedding, isPanelLens, isPanelLoss } from '../../src/shared/residualProtocol';
import { wordToken } from '../../src/engine/worker/residualHandler';

const TEXT = 'The quick brown fox jumps over the lazy dog.';

describe('worker: logit lens, per-token loss and embeddings', function () {
  this.timeout(120_000);

  it('lens + loss (one pass) equal runLensJob and runLossJob, and pass the panel validators', () => {
    const a = handle({ kind: 'lens', model: 'tiny-gpt', text: TEXT });
    const lens = runLensJob({ model: 'tiny-gpt', text: TEXT }).lens;
    const loss = runLossJob({ model: 'tiny-gpt', text: TEXT }).loss;
    assert.ok(isPanelLens(a.lens) && a.loss && isPanelLoss(a.loss));
    assert.equal(a.lens.layers, 4);
    assert.deepEqual(a.lens.top, lens.cells.map((l) => l.map((c) => c.top)));
    assert.deepEqual(a.lens.finalIds, lens.finalIds);
    assert.deepEqual(a.lens.finalRank, lens.cells.map((l) => l.map((c) => c.finalRank)));
    a.lens.probs.forEach((l, li) => l.forEach((c, p) => c.forEach((v, i) => assert.ok(Math.abs(v - lens.cells[li][p].probs[i]) < 1e-6))));
    assert.deepEqual(a.loss.rank, loss.rank);
    a.loss.nll.forEach((v, i) => assert.ok(v === null ? loss.nll[i] === null : Math.abs(v - loss.nll[i]!) < 1e-5, `nll ${i}`));
    assert.ok(Math.abs(a.loss.perplexity - loss.perplexity) < 1e-4);
    // token text is decoded (the bundled vocabulary is byte-level: Ġ stands for a space)
    assert.equal(a.lens.tokens.map((t) => t.text).join(''), `<|endoftext|>${TEXT}`.replace('<|endoftext|>', a.lens.tokens[0].text));
    assert.ok(a.lens.tokens.slice(1).every((t) => !t.text.includes('Ġ')));
    for (const id of a.lens.top.flat(2)) assert.equal(typeof a.lens.vocab[id], 'string');
  });

  it('the loss request alone equals runLossJob, with offsets into the text', () => {
    const r = handle({ kind: 'loss', model: 'tiny-gpt', text: TEXT });
    const loss = runLossJob({ model: 'tiny-gpt', text: TEXT }).loss;
    assert.ok(isPanelLoss(r));
    assert.deepEqual(r.rank, loss.rank);
    assert.deepEqual(r.top.map((g) => g?.map((e) => e.id) ?? null), loss.top.map((g) => g?.map((e) => e.id) ?? null));
    const spelled = r.tokens.filter((t) => t.start !== undefined).map((t) => TEXT.slice(t.start, t.end)).join('');
    assert.equal(spelled, TEXT);
  });

  it('refuses BERT by name and a one-token text for the loss', () => {
    assert.throws(() => handle({ kind: 'lens', model: 'tiny-bert', text: 'paris is the [MASK] of france .' }), /needs a causal language model; this is a masked language model/);
    assert.throws(() => handle({ kind: 'loss', model: 'tiny-bert', text: 'hello there' }), /needs a causal language model/);
    assert.throws(() => handle({ kind: 'loss', model: 'tiny-gpt', text: '' }), /one token has no loss to show/);
    const lensOnly = handle({ kind: 'lens', model: 'tiny-gpt', text: '' });
    assert.equal(lensOnly.lens.T, 1);
    assert.equal(lensOnly.loss, undefined);
    assert.match(lensOnly.lossProblem ?? '', /one token has no loss/);
  });

  it('embeddings: the row, nearest tokens and the layer-by-layer cosine equal the engine functions', () => {
    const e = handle({ kind: 'embedding', model: 'tiny-gpt', word: 'bank', contextA: 'We sat on the river bank.', contextB: 'She opened a bank account.' });
    assert.ok(isPanelEmbedding(e));
    const { model } = prepare({ model: 'tiny-gpt', text: 'x' }).entry;
    assert.equal(e.token.text, ' bank');
    assert.deepEqual(e.row, Array.from(tokenVector(model, e.token.id)));
    assert.deepEqual(e.nearest.map((n) => n.id), nearestTokens(model, e.token.id, 10).map((n) => n.id));
    const ids = (c: 0 | 1) => e.contexts[c].tokens.map((t) => t.id);
    const ref = contextualSimilarity(model, ids(0), e.contexts[0].position, ids(1), e.contexts[1].position);
    assert.deepEqual(e.layers, ref);
    assert.equal(e.layers.length, 5);
    assert.ok(Math.abs(e.staticCosine - 1) < 1e-6, 'the same id in both texts');
    assert.equal(e.positions, 'table');
    // another token's row on request
    const other = handle({ kind: 'embedding', model: 'tiny-gpt', word: 'bank', contextA: 'We sat on the river bank.', contextB: 'She opened a bank account.', tokenId: e.nearest[0].id });
    assert.equal(other.token.id, e.nearest[0].id);
    assert.throws(() => handle({ kind: 'embedding', model: 'tiny-gpt', word: 'bank', contextA: 'a river', contextB: 'a bank' }), /does not occur in the first text/);
  });

  it('wordToken: the last token overlapping the word', () => {
    const tokens = [{ id: 1, text: 'fl', start: 0, end: 2 }, { id: 2, text: 'ies', start: 2, end: 5 }, { id: 3, text: ' like', start: 5, end: 10 }];
    assert.deepEqual(wordToken(tokens, 'flies like', 'flies'), { position: 1, pieces: 2 });
    assert.deepEqual(wordToken(tokens, 'flies like', 'like'), { position: 2, pieces: 1 });
    assert.throws(() => wordToken(tokens, 'flies like', 'arrow'), /does not occur/);
  });

  it('prints the lens and loss time for 256 tokens of tiny-gpt beyond the forward pass', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
    let best = { forward: Infinity, lens: Infinity, loss: Infinity };
    for (let i = 0; i < 3; i++) {
      const r = handle({ kind: 'lens', model: 'tiny-gpt', text });
      assert.equal(r.lens.T, 256);
      if (r.lens.timings.lens + r.lens.timings.loss < best.lens + best.loss) best = r.lens.timings;
    }
    console.log(`      256 tokens, tiny-gpt: forward ${best.forward.toFixed(1)} ms; beyond it lens ${best.lens.toFixed(1)} ms + loss ${best.loss.toFixed(1)} ms = ${(best.lens + best.loss).toFixed(1)} ms (best of 3)`);
  });
});
