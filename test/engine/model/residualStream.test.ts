/**
 * Logit lens and per-token loss. The lens at the last layer is the model's own output
 * (transformers' last_logits_top10 in golden.json); at every other layer it is checked
 * against an independent path written here: the residual stream recorded by a level-'all'
 * pass, the final norm by its formula (LayerNorm or RMSNorm, float64) and the head as plain
 * dot products with the decoder matrix. Token losses are −log softmax of logits that match
 * the goldens' logits_first8_each_pos (goldenModels.test.ts), recomputed here in float64.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logitsAt } from '../../../src/engine/model/heads';
import { loadModel, runModel, type LoadedModel } from '../../../src/engine/model/loadModel';
import { logitLens, tokenLoss } from '../../../src/engine/model/residualStream';
import { HF_FIXTURES } from '../fixtures';

const FOLDERS: [string, string][] = [
  ['gpt2-tiny', join(HF_FIXTURES, 'models', 'gpt2-tiny')],
  ['llama-tiny', join(HF_FIXTURES, 'models', 'llama-tiny')],
  ['qwen2-tiny', join(HF_FIXTURES, 'models', 'qwen2-tiny')],
  ['gemma3-tiny', join(__dirname, '..', '..', 'fixtures', 'decoders', 'gemma3-tiny')],
];

/** The final norm and LM head by their formulas, float64: logits[V] of one residual row. */
function referenceLogits(model: LoadedModel, x: Float32Array): Float64Array {
  const cfg = model.config, w = model.weights, C = cfg.hidden, V = cfg.vocabSize;
  const mean = cfg.normKind === 'layernorm' ? x.reduce((a, b) => a + b, 0) / C : 0;
  const msq = x.reduce((a, b) => a + (b - mean) * (b - mean), 0) / C;
  const n = Array.from(x, (v, c) => ((v - mean) / Math.sqrt(msq + cfg.layerNormEps)) * (cfg.normOffset + w.finalLnW![c]) + (w.finalLnB ? w.finalLnB[c] : 0));
  const out = new Float64Array(V);
  for (let v = 0; v < V; v++) { let s = 0; for (let c = 0; c < C; c++) s += w.head!.decoder[v * C + c] * n[c]; out[v] = s; }
  return out;
}

const softmax = (l: Float64Array | Float32Array) => { const m = Math.max(...l); const e = Array.from(l, (v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s); };

for (const [name, folder] of FOLDERS) {
  describe(`logit lens and token loss on ${name}`, () => {
    let model: LoadedModel;
    before(() => { model = loadModel(folder, { threads: 1 }); });
    after(() => model.dispose());
    const c = (JSON.parse(readFileSync(join(folder, 'golden.json'), 'utf8')) as { cases: { input_ids: number[]; last_logits_top10: { ids: number[] } }[] }).cases[0];

    it('the last layer is the model\'s own output (transformers\' top-10 at the last position)', () => {
      const r = runModel(model, { ids: c.input_ids }, { record: 'none', keepResiduals: true });
      const lens = logitLens(model.config, model.weights, r, 5, model.kernels);
      assert.equal(lens.cells.length, model.config.layers);
      const last = lens.cells[model.config.layers - 1][c.input_ids.length - 1];
      assert.deepEqual(last.top, c.last_logits_top10.ids.slice(0, 5));
      assert.equal(last.finalRank, 0);
      lens.finalIds.forEach((id, pos) => assert.equal(lens.cells.at(-1)![pos].top[0], id));
    });

    it('every layer = the final norm and head applied by formula to the recorded residual stream', () => {
      const r = runModel(model, { ids: c.input_ids }, { record: 'all', keepResiduals: true });
      const lens = logitLens(model.config, model.weights, r, 5, model.kernels);
      const C = model.config.hidden;
      for (let l = 0; l < model.config.layers; l++) {
        for (const pos of [0, Math.floor(c.input_ids.length / 2), c.input_ids.length - 1]) {
          const ref = referenceLogits(model, r.layers[l].output!.subarray(pos * C, (pos + 1) * C));
          const p = softmax(ref);
          const cell = lens.cells[l][pos];
          const order = [...p.keys()].sort((a, b) => p[b] - p[a]).slice(0, 5);
          assert.deepEqual(cell.top, order, `layer ${l + 1} position ${pos}`);
          cell.probs.forEach((q, i) => assert.ok(Math.abs(q - p[order[i]]) < 1e-4, `p ${i}`));
          const final = lens.finalIds[pos];
          assert.ok(Math.abs(cell.finalProb - p[final]) < 1e-4);
          assert.equal(cell.finalRank, p.filter((q) => q > p[final]).length);
        }
      }
    });

    it('token loss: −log p(token | before), its rank, perplexity = exp(mean)', () => {
      const r = runModel(model, { ids: c.input_ids }, { record: 'none' });
      const loss = tokenLoss(model.config, model.weights, r, c.input_ids, 5, model.kernels);
      assert.equal(loss.nll[0], null);
      assert.equal(loss.rank[0], null);
      let sum = 0;
      for (let t = 1; t < c.input_ids.length; t++) {
        const p = softmax(logitsAt(model.config, model.weights, r.hidden, t - 1, model.kernels));
        const target = p[c.input_ids[t]];
        assert.ok(Math.abs(loss.nll[t]! + Math.log(target)) < 1e-4, `nll ${t}`);
        assert.equal(loss.rank[t], p.filter((q) => q > target).length);
        assert.ok(Math.abs(loss.top[t]![0].prob - Math.max(...p)) < 1e-6);
        sum += -Math.log(target);
      }
      assert.ok(Math.abs(loss.perplexity - Math.exp(sum / (c.input_ids.length - 1))) < 1e-3 * loss.perplexity);
    });
  });
}

describe('logit lens and loss: bad input', () => {
  it('BERT is refused with what it can do instead; one token has no loss', () => {
    const bert = loadModel(join(HF_FIXTURES, 'models', 'bert-tiny'), { threads: 1 });
    try {
      const r = runModel(bert, { ids: [101, 102] }, { keepResiduals: true });
      assert.throws(() => logitLens(bert.config, bert.weights, r), /needs a causal language model; this is a masked language model/);
    } finally { bert.dispose(); }
    const gpt = loadModel(join(HF_FIXTURES, 'models', 'gpt2-tiny'), { threads: 1 });
    try {
      const r = runModel(gpt, { ids: [464] });
      assert.throws(() => tokenLoss(gpt.config, gpt.weights, r, [464]), /one token has no loss to show/);
      assert.throws(() => logitLens(gpt.config, gpt.weights, r), /kept each layer's residual stream/);
    } finally { gpt.dispose(); }
  });
});
