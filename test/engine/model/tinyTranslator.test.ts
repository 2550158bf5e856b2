/**
 * The bundled tiny-translator (media/models/tiny-translator, a Marian-shaped encoder–decoder
 * trained by tools/train/train_translator.py on a made-up English → French grammar):
 *   - our engine equals transformers (float32 on the F16 weights, test/fixtures/bundled/
 *     tiny-translator.golden.json): the three attentions and both last hidden states within
 *     1e-4, logits within 1e-3, the top-10 ids, and greedy decoding token for token;
 *   - greedy "I love you" gives the model card's translation;
 *   - on the 20 committed held-out sentences (unseen subject–verb–object combinations,
 *     tiny-translator.heldout.json) the engine's greedy exact match is within 0.15 of the
 *     card's 1,000-sentence number, and the card's alignment head, run through our engine,
 *     puts its argmax on the aligned source word as often as its label promises (≥ 0.8) —
 *     or, when the card's score is under the bar, the head is not labelled.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundledModelFolder, NAMED_HEAD_MIN_SCORE, readNamedHeads, resolveModelPath } from '../../../src/engine/model/bundledModels';
import { generate } from '../../../src/engine/model/generate';
import { logitsAt, topLogits } from '../../../src/engine/model/heads';
import { loadModel, type LoadedModel } from '../../../src/engine/model/loadModel';
import { modelTokenizer } from '../../../src/engine/model/modelTokenizer';
import { runSeq2Seq } from '../../../src/engine/model/seq2seq';
import type { Tokenizer } from '../../../src/engine/tokenizers/types';
import { runCli as run } from '../runCli';

interface GoldenCase {
  kind: string; source: string; input_ids: number[]; decoder_input_ids: number[]; greedy_ids: number[]; greedy_text: string;
  encoder_attentions: number[][][][]; decoder_attentions: number[][][][]; cross_attentions: number[][][][];
  encoder_last_hidden_state: number[][]; decoder_hidden_states_last: number[][]; logits_first8_each_pos: number[][];
  last_logits_top10: { ids: number[] };
}
interface HeldOut { source: string; target: string; target_ids: number[]; aligned_source_positions: number[] }
interface Card {
  metrics: { exact_match_test: number; notes_example: { source: string; translation: string } };
  heads: { pattern: 'alignment'; layer: number; head: number; score: number; row: 'predicting' | 'reading' }[];
}

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'bundled');
const folder = bundledModelFolder('tiny-translator');
const card = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8')) as Card;
const golden = JSON.parse(readFileSync(join(FIXTURES, 'tiny-translator.golden.json'), 'utf8')) as { cases: GoldenCase[] };
const heldout = (JSON.parse(readFileSync(join(FIXTURES, 'tiny-translator.heldout.json'), 'utf8')) as { sentences: HeldOut[] }).sentences;
const EOS = 1;
const MAX_NEW = 24;

function maxDiff(expected: number[][], actual: Float32Array): number {
  let d = 0;
  const width = expected[0].length;
  expected.forEach((row, i) => row.forEach((v, j) => { d = Math.max(d, Math.abs(v - actual[i * width + j])); }));
  return d;
}

/** Greedy decoding through the engine's generate(): the new ids, the final </s> dropped. */
function translate(model: LoadedModel, ids: number[]): number[] {
  const r = generate(model, ids, { maxNewTokens: MAX_NEW, eosIds: [EOS] });
  return r.newIds.filter((id, i) => !(i === r.newIds.length - 1 && id === EOS));
}


describe('bundled tiny-translator', () => {
  let model: LoadedModel;
  let tok: Tokenizer;
  before(() => {
    model = loadModel(resolveModelPath('tiny-translator'), { threads: 1 });
    const t = modelTokenizer(folder, model.config);
    assert.equal(t.source, 'tokenizer.json');
    tok = t.tokenizer;
  });
  after(() => model.dispose());

  it('is a Marian encoder–decoder of at most 4 MB in F16', () => {
    assert.equal(model.config.arch, 'marian');
    assert.equal(model.config.head, 'seq2seq');
    assert.ok(statSync(join(folder, 'model.safetensors')).size <= 4 * 1024 * 1024);
    assert.equal(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')).dtype, 'float16');
  });

  for (const kernels of ['wasm', 'typescript'] as const) {
    it(`equals transformers on the F16 weights (${kernels} kernels): attentions, hidden states, logits, greedy ids`, () => {
      const m = loadModel(folder, { kernels, threads: 1 });
      try {
        for (const c of golden.cases) {
          assert.deepEqual(tok.encode(c.source), c.input_ids, `${c.source}: source ids`);
          const r = runSeq2Seq(m, { ids: c.input_ids, decoderIds: c.decoder_input_ids }, { record: 'weights' });
          let worst = 0;
          c.encoder_attentions.forEach((layer, l) => layer.forEach((head, h) => { worst = Math.max(worst, maxDiff(head, r.encoder.layers[l].heads[h].weights!)); }));
          c.decoder_attentions.forEach((layer, l) => layer.forEach((head, h) => { worst = Math.max(worst, maxDiff(head, r.decoder.layers[l].heads[h].weights!)); }));
          c.cross_attentions.forEach((layer, l) => layer.forEach((head, h) => { worst = Math.max(worst, maxDiff(head, r.decoder.layers[l].cross![h].weights!)); }));
          assert.ok(worst < 1e-4, `${c.source}: attention max |Δ| ${worst}`);
          assert.ok(maxDiff(c.encoder_last_hidden_state, r.encoder.hidden) < 1e-4, 'encoder last hidden state');
          assert.ok(maxDiff(c.decoder_hidden_states_last, r.decoder.hidden) < 1e-4, 'decoder last hidden state');
          c.logits_first8_each_pos.forEach((row, t) => {
            const logits = logitsAt(m.config, m.weights, r.decoder.hidden, t, m.kernels);
            row.forEach((v, i) => assert.ok(Math.abs(v - logits[i]) < 1e-3, `logit [${t}][${i}] ${logits[i]} vs ${v}`));
          });
          const last = logitsAt(m.config, m.weights, r.decoder.hidden, r.decoder.T - 1, m.kernels);
          assert.deepEqual(topLogits(last, 10).map((e) => e.id), c.last_logits_top10.ids);
          assert.deepEqual(translate(m, c.input_ids), c.greedy_ids, `${c.source}: greedy ids`);
        }
      } finally {
        m.dispose();
      }
    });
  }

  it('translates "I love you" as its model card says', () => {
    const { source, translation } = card.metrics.notes_example;
    assert.equal(source, 'I love you');
    assert.equal(tok.decode(translate(model, tok.encode(source))), translation);
  });

  it(`held-out sentences: exact match within 0.15 of the card's ${card.metrics.exact_match_test.toFixed(3)}`, () => {
    let hits = 0;
    for (const s of heldout) {
      assert.deepEqual(tok.encode(s.target, { addSpecialTokens: false }), s.target_ids, `${s.target}: the tokenizer gives the grammar's tokens`);
      if (JSON.stringify(translate(model, tok.encode(s.source))) === JSON.stringify(s.target_ids)) hits++;
    }
    assert.equal(heldout.length, 20);
    assert.ok(hits / heldout.length >= card.metrics.exact_match_test - 0.15, `${hits} of ${heldout.length}`);
  });

  it('the alignment head is labelled exactly when it reaches the bar, and our engine confirms its score', () => {
    const [a] = card.heads.filter((h) => h.pattern === 'alignment');
    assert.ok(a, 'the card reports its best cross-attention head');
    const named = readNamedHeads(folder, model.config.decoder!.layers, model.config.decoder!.heads).filter((h) => h.pattern === 'alignment');
    const bar = NAMED_HEAD_MIN_SCORE.alignment;
    assert.equal(bar, 0.8);
    assert.deepEqual(named.map((h) => [h.layer, h.head]), a.score >= bar ? [[a.layer, a.head]] : []);
    let hits = 0, total = 0;
    for (const s of heldout) {
      const src = tok.encode(s.source);
      const r = runSeq2Seq(model, { ids: src, decoderIds: [model.config.decoderStartId!, ...s.target_ids] }, { record: 'weights' });
      const w = r.decoder.layers[a.layer].cross![a.head].weights!; // [Td, Te]
      s.aligned_source_positions.forEach((want, t) => {
        const row = a.row === 'predicting' ? t : t + 1;
        let best = 0;
        for (let k = 1; k < src.length; k++) if (w[row * src.length + k] > w[row * src.length + best]) best = k;
        if (best === want) hits++;
        total++;
      });
    }
    const score = hits / total;
    if (a.score >= bar) assert.ok(score >= bar, `alignment ${score.toFixed(3)} on ${total} held-out target tokens`);
    else assert.ok(score < bar + 0.1, `the card's ${a.score.toFixed(3)} is under the bar; the sample gives ${score.toFixed(3)}`);
  });

  it('trace attention labels the alignment head on cross attention only', async () => {
    const { code, out, err } = await run(['attention', '--model', 'tiny-translator', '--text', 'I love you', '--target', card.metrics.notes_example.translation]);
    assert.equal(code, 0, err);
    const titled = out.split('\n').filter((l) => l.includes('alignment (cross attention) head'));
    const [a] = card.heads;
    if (a.score >= NAMED_HEAD_MIN_SCORE.alignment) assert.deepEqual(titled, [`cross attention (decoder rows × source columns)  layer ${a.layer} head ${a.head}  alignment (cross attention) head`]);
    else assert.deepEqual(titled, []);
  });
});
