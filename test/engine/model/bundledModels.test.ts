/**
 * The bundled models (media/models/tiny-gpt, tiny-bert) against what their training
 * script recorded (tools/train/train.py): logits on fixed sentences within 1e-4, and the
 * model cards' held-out numbers (perplexity, masked-token accuracy within 1%; named heads'
 * scores within 0.02) recomputed here through the ordinary loader and our tokenizer.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledModelFolder, type HeadPattern, NAMED_HEAD_MIN_SCORE, readNamedHeads, resolveModelPath } from '../../../src/engine/model/bundledModels';
import { logitsAt } from '../../../src/engine/model/heads';
import { loadModel, runModel, type LoadedModel } from '../../../src/engine/model/loadModel';
import { modelTokenizer } from '../../../src/engine/model/modelTokenizer';
import type { Tokenizer } from '../../../src/engine/tokenizers/types';
import { bertWindows, gptWindows, headScores, heldoutStream, maskedAccuracy, perplexity, punctuationIds } from './heldoutEval';

interface Probe { text: string; ids: number[]; positions: { top_ids: number[]; top_logits: number[]; first8: number[]; logsumexp: number }[] }
interface Card {
  metrics: { heldout_perplexity?: number; heldout_masked_accuracy?: number; masked_tokens?: number; windows: number };
  heads: { pattern: HeadPattern; layer: number; head: number; score: number }[];
  head_scores: Record<string, number[][]>;
}

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'bundled');
const MAX_BYTES = 8 * 1024 * 1024;

for (const name of ['tiny-gpt', 'tiny-bert'] as const) {
  describe(`bundled ${name}`, () => {
    const folder = bundledModelFolder(name);
    const card = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8')) as Card;
    let model: LoadedModel;
    let tok: Tokenizer;
    before(() => {
      model = loadModel(folder, { threads: 1 });
      const t = modelTokenizer(folder, model.config);
      assert.equal(t.source, 'tokenizer.json');
      tok = t.tokenizer;
    });
    after(() => model.dispose());

    it('resolves by name and loads through the ordinary loader', () => {
      assert.equal(resolveModelPath(name), folder);
      assert.equal(model.config.arch, name === 'tiny-gpt' ? 'gpt2' : 'bert');
      assert.ok(model.weights.head?.tied, 'the LM head is tied to the token embedding');
      assert.equal(tok.vocabSize, model.config.vocabSize);
    });

    it('is at most 8 MB of weights', () => {
      assert.ok(statSync(join(folder, 'model.safetensors')).size <= MAX_BYTES);
    });

    it('gives the logits the training script recorded, on fixed sentences (1e-4)', () => {
      const probes = JSON.parse(readFileSync(join(FIXTURES, `${name}.probes.json`), 'utf8')) as Probe[];
      assert.ok(probes.length >= 3);
      for (const p of probes) {
        assert.deepEqual(tok.encode(p.text), p.ids, `our tokenizer gives the ids training used for ${JSON.stringify(p.text)}`);
        const r = runModel(model, { ids: p.ids }, { record: 'none' });
        p.positions.forEach((pos, i) => {
          const logits = logitsAt(model.config, model.weights, r.hidden, i, model.kernels);
          let worst = 0;
          pos.first8.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - logits[j])); });
          pos.top_ids.forEach((id, j) => { worst = Math.max(worst, Math.abs(pos.top_logits[j] - logits[id])); });
          assert.ok(worst < 1e-4, `${JSON.stringify(p.text)} position ${i}: max |Δlogit| ${worst}`);
          assert.equal(logits.indexOf(Math.max(...logits)), pos.top_ids[0], `position ${i}: top-1 id`);
        });
      }
    });

    it('reproduces the model card on the held-out text', function () {
      this.timeout(300_000);
      if (name === 'tiny-gpt') {
        const eot = tok.tokenToId('<|endoftext|>')!;
        const windows = gptWindows(heldoutStream(tok, eot), tok.encode('')[0]);
        assert.equal(windows.length, card.metrics.windows);
        const { perplexity: ppl } = perplexity(model, windows);
        const expected = card.metrics.heldout_perplexity!;
        assert.ok(Math.abs(ppl - expected) / expected < 0.01, `perplexity ${ppl} vs card ${expected}`);
      } else {
        const sep = tok.tokenToId('[SEP]')!;
        const windows = bertWindows(heldoutStream(tok, sep), tok.tokenToId('[CLS]')!, sep);
        assert.equal(windows.length, card.metrics.windows);
        const { accuracy, masked } = maskedAccuracy(model, windows, tok.tokenToId('[MASK]')!, sep);
        assert.equal(masked, card.metrics.masked_tokens);
        const expected = card.metrics.heldout_masked_accuracy!;
        assert.ok(Math.abs(accuracy - expected) / expected < 0.01, `accuracy ${accuracy} vs card ${expected}`);
      }
    });

    it("reproduces the card's head scores (0.02), its best head per pattern, and names only heads at or over their pattern's bar", function () {
      this.timeout(300_000);
      const sep = name === 'tiny-bert' ? tok.tokenToId('[SEP]')! : undefined;
      const stream = heldoutStream(tok, sep ?? tok.tokenToId('<|endoftext|>')!);
      const windows = sep !== undefined ? bertWindows(stream, tok.tokenToId('[CLS]')!, sep) : gptWindows(stream, tok.encode('')[0]);
      const separators = sep !== undefined ? new Set([sep, ...punctuationIds(tok)]) : undefined;
      if (separators) assert.ok(['.', ',', '!', '?', ';'].every((p) => separators.has(tok.tokenToId(p)!)), 'punctuation tokens are counted');
      const scores = headScores(model, windows, separators);
      assert.deepEqual(card.heads.map((n) => n.pattern).sort(), (sep !== undefined ? ['first', 'previous', 'sep'] : ['first', 'previous']));
      for (const n of card.heads as { pattern: 'previous' | 'first' | 'sep'; layer: number; head: number; score: number }[]) {
        const ours = scores[n.pattern][n.layer][n.head];
        assert.ok(Math.abs(ours - n.score) < 0.02, `${n.pattern} head L${n.layer} H${n.head}: ${ours} vs card ${n.score}`);
        const best = Math.max(...scores[n.pattern].flat());
        assert.ok(ours >= best - 0.02, `${n.pattern}: the card's head is the best one here too`);
      }
      const named = readNamedHeads(folder, model.config.layers, model.config.heads);
      assert.deepEqual(named, card.heads.filter((n) => n.score >= NAMED_HEAD_MIN_SCORE[n.pattern]), 'the panel names exactly the card heads at or over the bar');
    });
  });
}

describe('named heads read from a model card', () => {
  let folder: string;
  beforeEach(() => { folder = mkdtempSync(join(tmpdir(), 'tt-card-')); });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const named = (heads: unknown) => {
    writeFileSync(join(folder, 'card.json'), JSON.stringify({ heads }));
    return readNamedHeads(folder, 4, 4).map((h) => `${h.pattern} L${h.layer}H${h.head}`);
  };

  it("names a head at or over its pattern's bar (previous 0.5, first token 0.2, [SEP] / punctuation 0.5) and no other", () => {
    assert.deepEqual(named([
      { pattern: 'previous', layer: 0, head: 2, score: 0.5 }, { pattern: 'previous', layer: 1, head: 0, score: 0.49 },
      { pattern: 'first', layer: 1, head: 2, score: 0.2 }, { pattern: 'first', layer: 2, head: 2, score: 0.19 },
      { pattern: 'sep', layer: 3, head: 3, score: 0.5 }, { pattern: 'sep', layer: 3, head: 1, score: 0.27 },
    ]), ['previous L0H2', 'first L1H2', 'sep L3H3']);
  });

  it('skips entries it cannot trust: an unknown pattern, a head outside the model, a missing score; a malformed card names none', () => {
    assert.deepEqual(named([
      { pattern: 'induction', layer: 0, head: 0, score: 0.9 }, { pattern: 'first', layer: 4, head: 0, score: 0.9 },
      { pattern: 'first', layer: 0, head: -1, score: 0.9 }, { pattern: 'previous', layer: 0, head: 1 }, { pattern: 'first', layer: 0, head: 3, score: 0.3 },
    ]), ['first L0H3']);
    writeFileSync(join(folder, 'card.json'), '{ not json');
    assert.deepEqual(readNamedHeads(folder, 4, 4), []);
  });
});
