/**
 * Hostile Unicode, one named case per hazard (BOM, NEL, U+2028/U+2029, long s in
 * contractions, code points new in Unicode 17, the CJK Extension-E gap, private-use and
 * unassigned code points, over-long words, ZWJ emoji…), each checked against the ids and
 * decoded text Python `tiktoken` and Hugging Face `tokenizers` gave
 * (test/fixtures/differential/cases.json, made by tools/reference/fuzz_goldens.py).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuiltinTokenizer } from '../../../src/engine/tokenizers/builtin';
import { loadTokenizerJson } from '../../../src/engine/tokenizers/hf/loadTokenizerJson';
import type { Tokenizer } from '../../../src/engine/tokenizers/types';
import { readFixture } from '../fixtures';
import type { JsonObject } from '../../../src/engine/tokenizers/hf/json';
import { NormalizedString } from '../../../src/engine/tokenizers/hf/normalizedString';
import { buildNormalizer } from '../../../src/engine/tokenizers/hf/normalizers';
import { buildPreTokenizer } from '../../../src/engine/tokenizers/hf/preTokenizers';

interface ReferenceCase {
  name: string;
  text: string;
  ids: Record<string, number[]>;
  decoded: Record<string, string>;
}

interface ComponentCase {
  kind: 'pre_tokenizer' | 'normalizer';
  spec: JsonObject;
  text: string;
  pieces?: string[];
  normalized?: string;
}

const reference = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'differential', 'cases.json'), 'utf8'));
const cases: ReferenceCase[] = reference.cases;
const components: ComponentCase[] = reference.components;

/** Our tokenizer under test → the oracle whose ids and decoded text it must give. */
const subjects: { label: string; oracle: string; load: () => Tokenizer }[] = [
  ...['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'].map((name) => ({ label: `built-in ${name}`, oracle: name, load: () => loadBuiltinTokenizer(name) })),
  { label: 'built-in gpt2', oracle: 'r50k_base', load: () => loadBuiltinTokenizer('gpt2') },
  { label: 'gpt2 tokenizer.json', oracle: 'hf:gpt2', load: () => loadTokenizerJson(readFixture('tokenizers', 'gpt2', 'tokenizer.json'), 'gpt2/tokenizer.json') },
  { label: 'built-in bert-base-uncased', oracle: 'hf:bert-base-uncased', load: () => loadBuiltinTokenizer('bert-base-uncased') },
  { label: 'bert tokenizer.json', oracle: 'hf:bert-base-uncased', load: () => loadTokenizerJson(readFixture('tokenizers', 'bert-base-uncased', 'tokenizer.json'), 'bert/tokenizer.json') },
];

describe(`hostile Unicode: ${cases.length} named cases against tiktoken and tokenizers`, () => {
  it('has the cases the generator writes', () => assert.ok(cases.length >= 50));

  for (const subject of subjects) {
    describe(subject.label, () => {
      let tok: Tokenizer;
      before(() => { tok = subject.load(); });
      for (const c of cases) {
        it(`${c.name}: ids and decoded text`, () => {
          const ids = tok.encode(c.text);
          assert.deepEqual(ids, c.ids[subject.oracle], `ids for ${JSON.stringify(c.text)}`);
          assert.equal(tok.decode(ids), c.decoded[subject.oracle], `decode for ${JSON.stringify(c.text)}`);
        });
      }
    });
  }

  it('decode keeps a leading U+FEFF: tiktoken gives the text back whole', () => {
    const bom = cases.find((c) => c.name === 'leading BOM')!;
    assert.equal(bom.decoded.cl100k_base, '\ufeffhello');
    assert.equal(loadBuiltinTokenizer('cl100k_base').decode(bom.ids.cl100k_base), '\ufeffhello');
  });

  it('BERT treats U+2028 and U+2029 as whitespace, not [UNK], as tokenizers does', () => {
    const bert = loadBuiltinTokenizer('bert-base-uncased');
    for (const name of ['LINE SEPARATOR', 'PARAGRAPH SEPARATOR']) {
      const c = cases.find((x) => x.name === name)!;
      assert.ok(!c.ids['hf:bert-base-uncased'].includes(100), `${name}: tokenizers gives no [UNK]`);
      assert.deepEqual(bert.encode(c.text), c.ids['hf:bert-base-uncased']);
    }
  });

  describe(`pre-tokenizers and normalizers alone: ${components.length} cases against tokenizers`, () => {
    for (const c of components) {
      it(`${c.kind} ${JSON.stringify(c.spec)} on ${JSON.stringify(c.text)}`, () => {
        if (c.kind === 'pre_tokenizer') {
          const pieces = buildPreTokenizer(c.spec).split([NormalizedString.from(c.text)]).map((p) => p.text);
          assert.deepEqual(pieces, c.pieces);
        } else {
          assert.equal(buildNormalizer(c.spec).normalize(NormalizedString.from(c.text)).text, c.normalized);
        }
      });
    }
  });
});
