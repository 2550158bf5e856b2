/**
 * encode()'s ids-only path (src/engine/tokenizers/hf/idsOnlyPath.ts) on the real
 * tokenizer.json files: taken for the byte-level ones (Llama 3, Qwen3, DeepSeek V3, GPT-4o),
 * not for Llama 2 and Gemma 3; its ids equal Hugging Face tokenizers' on the golden texts
 * (../shared/fixtures/hf/tokenizers/real/golden.json) with and without the specials, and the
 * full path's on 300 KB of mixed text with special-token text in it (a long input runs
 * the piece cache through many hits). Also: the pre-tokenizers' text-only split gives the
 * pieces' texts exactly, for every split behavior, inverted or not.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mixedCorpus } from '../../bench/corpus';
import { IdsOnlyPath } from '../../src/engine/tokenizers/hf/idsOnlyPath';
import { loadTokenizerJson } from '../../src/engine/tokenizers/hf/loadTokenizerJson';
import { NormalizedString } from '../../src/engine/tokenizers/hf/normalizedString';
import { splitByPattern, splitTextByPattern, type SplitBehavior } from '../../src/engine/tokenizers/hf/preTokenizers';
import { readFixture } from './fixtures';

interface RealGolden { texts: string[]; tokenizers: Record<string, { package: string; cases: { ids: number[]; ids_plain: number[] }[] }> }
const golden = JSON.parse(readFixture('tokenizers', 'real', 'golden.json')) as RealGolden;

describe('encode(): the ids-only path of tokenizer.json pipelines', () => {
  const long = `${mixedCorpus(resolve(__dirname, '..', '..'), 300_000)} <|endoftext|><|im_start|> <｜begin▁of▁sentence｜>`;
  for (const [model, taken] of [['llama3', true], ['qwen3', true], ['deepseek_v3', true], ['gpt4o', true], ['llama2', false], ['gemma3', false]] as const) {
    it(`${model}: ${taken ? 'taken; ids = Hugging Face tokenizers\' (golden texts) and the full path\'s (300 KB mixed)' : 'not taken (one long piece: the full path\'s BPE serves it)'}`, () => {
      const entry = golden.tokenizers[model];
      const tok = loadTokenizerJson(readFileSync(require.resolve(`${entry.package}/models/tokenizer.json`), 'utf8'), model);
      const path = IdsOnlyPath.of(tok.parts);
      assert.equal(path !== undefined, taken);
      if (!path) return;
      golden.texts.forEach((text, i) => {
        assert.deepEqual(path.encode(text, true, true), entry.cases[i].ids, `ids of text ${i}`);
        assert.deepEqual(path.encode(text, true, false), entry.cases[i].ids_plain, `ids_plain of text ${i}`);
      });
      const full = tok.encodeTokens(long, { addSpecialTokens: false }).map((t) => t.id);
      assert.deepEqual(path.encode(long, true, false), full);
      assert.deepEqual(path.encode(long, true, false), full, 'again, from the piece cache');
      assert.deepEqual(tok.encode(long, { addSpecialTokens: false }), full, 'encode() takes it');
      assert.deepEqual(tok.encode(long, { specialTokens: 'plain' }), tok.encodeTokens(long, { specialTokens: 'plain' }).map((t) => t.id), 'special-token text read as text');
    });
  }

  it('splitTextByPattern gives splitByPattern\'s pieces\' texts, every behavior, inverted or not', () => {
    const text = 'a, b,, c ,d,';
    for (const behavior of ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'] as SplitBehavior[]) {
      for (const invert of [false, true]) {
        const want = splitByPattern(NormalizedString.from(text), /,/gu, behavior, invert).map((p) => p.text);
        assert.deepEqual(splitTextByPattern(text, /,/gu, behavior, invert), want, `${behavior}${invert ? ', inverted' : ''}`);
      }
    }
    assert.deepEqual(splitTextByPattern('a, b', /,/gu, 'Isolated'), ['a', ',', ' b']);
  });
});
