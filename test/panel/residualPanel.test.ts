/**
 * The Residual stream tab's pure parts: message validation (residualProtocol.ts), GLTR's
 * rank buckets, the lens grid and a position's trajectory, the colour scale, the three
 * query–key scores (against the engine's similarities(), written separately in
 * src/engine/model/embeddings.ts) and the CSV exports, on a worked 2-layer × 3-position lens.
 */
import { strict as assert } from 'node:assert';
import { isHostToWebview, isWebviewToHost } from '../../src/shared/protocol';
import type { PanelLens, PanelLoss } from '../../src/shared/residualProtocol';
import { rankBucket } from '../../src/shared/rankBuckets';
import { similarities } from '../../src/engine/model/embeddings';
import { bestKeys, bucketCounts, divergingColour, lensCellGuesses, lensCsv, lensGrid, lossCsv, meanNll, scores, settlesAt, trajectory } from '../../webview/views/residual/residualMath';

/** Two layers, three positions, k = 2: the final prediction at position 1 (id 7) is only rank 3 after layer 1. */
const LENS: PanelLens = {
  model: 'worked', tokens: [{ id: 1, text: 'a' }, { id: 2, text: ' b' }, { id: 3, text: ',c' }], layers: 2, T: 3, k: 2,
  top: [[[5, 6], [8, 9], [4, 5]], [[5, 6], [7, 8], [4, 6]]],
  probs: [[[0.5, 0.2], [0.4, 0.3], [0.6, 0.1]], [[0.7, 0.1], [0.9, 0.05], [0.5, 0.2]]],
  finalRank: [[0, 3, 0], [0, 0, 0]], finalProb: [[0.5, 0.01, 0.6], [0.7, 0.9, 0.5]], finalIds: [5, 7, 4],
  vocab: { 4: ' x', 5: ' y', 6: ' z', 7: ' w', 8: ' v', 9: ' u' }, timings: { forward: 1, lens: 2, loss: 3 },
};
const LOSS: PanelLoss = {
  model: 'worked', tokens: LENS.tokens, nll: [null, 0.5, 2.5], rank: [null, 0, 1234],
  top: [null, [{ id: 2, prob: 0.6, text: ' b' }], [{ id: 9, prob: 0.3, text: ' u' }]], perplexity: Math.exp(1.5), timings: { forward: 1, loss: 3 },
};

describe('residual stream panel: messages', () => {
  it('accepts the worked lens and loss, and the requests', () => {
    assert.ok(isHostToWebview({ type: 'residual', lens: LENS, loss: LOSS }));
    assert.ok(isHostToWebview({ type: 'residual', lens: LENS, lossProblem: 'one token has no loss' }));
    assert.ok(isHostToWebview({ type: 'residualError', message: 'no', notCausal: true }));
    assert.ok(isWebviewToHost({ type: 'requestResidual' }));
    assert.ok(isWebviewToHost({ type: 'requestEmbedding', word: 'bank', contextA: 'river bank', contextB: 'bank account' }));
  });

  it('refuses wrong shapes and bad questions', () => {
    const bad: unknown[] = [
      { ...LENS, top: LENS.top.slice(1) }, // L rows
      { ...LENS, top: [LENS.top[0], [[5, 6], [7, 8]]] }, // T columns
      { ...LENS, probs: [[[0.5, 0.2], [0.4, 0.3], [0.6]], LENS.probs[1]] }, // k per cell
      { ...LENS, probs: [[[1.5, 0.2], [0.4, 0.3], [0.6, 0.1]], LENS.probs[1]] }, // a probability above 1
      { ...LENS, finalRank: [[0, -1, 0], [0, 0, 0]] },
      { ...LENS, tokens: LENS.tokens.slice(1) },
    ];
    for (const lens of bad) assert.equal(isHostToWebview({ type: 'residual', lens }), false, JSON.stringify(lens).slice(0, 80));
    assert.equal(isHostToWebview({ type: 'residual', lens: LENS, loss: { ...LOSS, nll: [0, 0.5, 2.5] } }), false, 'position 0 has no loss');
    assert.equal(isHostToWebview({ type: 'residual', lens: LENS, loss: { ...LOSS, rank: [null, 0] } }), false);
    assert.equal(isWebviewToHost({ type: 'requestEmbedding', word: 'bank', contextA: 'river bank', contextB: 'a loan' }), false, 'the word is in both texts');
    assert.equal(isWebviewToHost({ type: 'requestEmbedding', word: ' ', contextA: ' a', contextB: ' b' }), false);
    assert.equal(isWebviewToHost({ type: 'requestEmbedding', word: 'a', contextA: 'a'.repeat(2001), contextB: 'a' }), false);
    assert.equal(isWebviewToHost({ type: 'requestEmbedding', word: 'a', contextA: 'a', contextB: 'a', tokenId: -1 }), false);
  });
});

describe('residual stream panel: helpers', () => {
  it('GLTR buckets: ranks 0–9, 10–99, 100–999, 1000 and above', () => {
    assert.deepEqual([0, 9, 10, 99, 100, 999, 1000, 250_000].map(rankBucket), [0, 0, 1, 1, 2, 2, 3, 3]);
    assert.throws(() => rankBucket(-1), /whole number/);
    assert.deepEqual(bucketCounts(LOSS), [1, 0, 0, 1]);
    assert.equal(meanNll(LOSS), 1.5);
  });

  it('the lens grid, hover guesses and the trajectory of the final prediction', () => {
    const grid = lensGrid(LENS);
    assert.equal(grid.length, 2);
    assert.deepEqual(grid[0][1], { layer: 1, position: 1, id: 8, text: ' v', prob: 0.4, isFinal: false });
    assert.equal(grid[1][1].isFinal, true);
    assert.deepEqual(lensCellGuesses(LENS, 2, 1), [{ id: 7, text: ' w', prob: 0.9 }, { id: 8, text: ' v', prob: 0.05 }]);
    assert.deepEqual(trajectory(LENS, 1), [{ layer: 1, rank: 3, prob: 0.01 }, { layer: 2, rank: 0, prob: 0.9 }]);
    assert.equal(settlesAt(LENS, 1), 2);
    assert.equal(settlesAt(LENS, 0), 1);
  });

  it('the diverging colour scale: grey at 0, red at +max, blue at −max, clamped', () => {
    assert.deepEqual(divergingColour(0, 1), [128, 128, 128]);
    assert.deepEqual(divergingColour(1, 1), [220, 50, 47]);
    assert.deepEqual(divergingColour(-2, 1), [38, 110, 220]);
    assert.deepEqual(divergingColour(0.5, 0), [128, 128, 128]);
  });

  it('dot, cosine and −‖q−k‖² equal the engine\'s similarities(); each picks its own best key', () => {
    const q = [1, 2, -1], k = [0.5, -1, 3];
    const mine = scores(q, k), engine = similarities(Float32Array.from(q), Float32Array.from(k));
    for (const m of ['dot', 'cosine', 'negSquaredDistance', 'qNorm', 'kNorm'] as const) assert.ok(Math.abs(mine[m] - engine[m]) < 1e-6, m);
    assert.equal(mine.dot, 0.5 - 2 - 3);
    // a long key in q's direction wins on dot, a short one in the same direction on cosine ties, a near one on distance
    const keys = [[10, 20, -10], [0.1, 0.2, -0.1], [1, 2, -0.5]];
    assert.deepEqual(bestKeys(q, keys, [true, true, true]), { dot: 0, cosine: 0, negSquaredDistance: 2 });
    assert.deepEqual(bestKeys(q, keys, [false, true, true]), { dot: 2, cosine: 1, negSquaredDistance: 2 });
  });

  it('CSV exports: one row per layer × position, one per token, text quoted', () => {
    const lines = lensCsv(LENS).trim().split('\n');
    assert.equal(lines[0], 'layer,position,token,top1,p1,top2,p2,final_token,final_rank,final_prob');
    assert.equal(lines.length, 1 + 2 * 3);
    assert.equal(lines[2], '1,1, b, v,0.4, u,0.3, w,3,0.01');
    assert.equal(lines[3], '1,2,",c", x,0.6, y,0.1, x,0,0.6');
    const loss = lossCsv(LOSS).trim().split('\n');
    assert.equal(loss[1], '0,a,1,,,,');
    assert.equal(loss[3], '2,",c",3,2.5,1234,3, u 0.3000');
  });
});
