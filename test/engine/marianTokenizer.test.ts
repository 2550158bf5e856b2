/**
 * Marian's opus-mt tokenizer read from source.spm + target.spm + vocab.json (no
 * tokenizer.json), against references we did not write:
 *   - ../shared/fixtures/hf/models/marian-tiny/golden.json `tokenizer_cases`
 *     (transformers' MarianTokenizer: input_ids, their tokens, text_target ids);
 *   - test/fixtures/marian/fuzz.json (tools/reference/marian_goldens.py: MarianTokenizer
 *     and sentencepiece on 306 seeded strings over the corpus alphabet plus nmt_nfkc and
 *     special-token oddities — ids of both sides, decode with and without
 *     skip_special_tokens, and source.spm's own pieces, ids and offsets);
 *   - golden.json `cases` (the CLI: --text/--target → input_ids, decoder_input_ids, next token);
 * plus the bad folders the issue names: no target.spm, a cut or corrupt .spm, a
 * vocab.json without pieces or without <unk>.
 */
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { parseConfig } from '../../src/engine/model/config';
import { ModelError } from '../../src/engine/model/modelError';
import { modelTokenizer } from '../../src/engine/model/modelTokenizer';
import { loadMarianTokenizer, MarianFolderError, marianWarnings } from '../../src/engine/tokenizers/sentencepiece/loadMarian';
import type { MarianTokenizer } from '../../src/engine/tokenizers/sentencepiece/marianTokenizer';
import { parseSentencePieceModel, SentencePieceModelError } from '../../src/engine/tokenizers/sentencepiece/modelProto';
import { WireFormatError, WireReader } from '../../src/engine/tokenizers/sentencepiece/protobufWire';
import { SentencePieceProcessor } from '../../src/engine/tokenizers/sentencepiece/sentencePieceProcessor';
import { HF_FIXTURES, readFixture } from './fixtures';

const folder = join(HF_FIXTURES, 'models', 'marian-tiny');
interface TokenizerCase { text: string; source_ids: number[]; source_tokens: string[]; target_ids: number[] }
interface FuzzCase {
  text: string; source_ids: number[]; target_ids: number[];
  decode: string; decode_skip: string; target_decode: string; target_decode_skip: string;
  source_spm_pieces: [string, number, number, number][];
}
const golden = (JSON.parse(readFixture('models', 'marian-tiny', 'golden.json')) as { tokenizer_cases: TokenizerCase[] }).tokenizer_cases;
const fuzz = (JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'marian', 'fuzz.json'), 'utf8')) as { cases: FuzzCase[] }).cases;

describe('Marian tokenizer from source.spm + target.spm + vocab.json', () => {
  let tok: MarianTokenizer;
  before(() => { tok = loadMarianTokenizer(folder); });

  describe('marian-tiny tokenizer_cases (MarianTokenizer golden)', () => {
    it('has the six cases', () => assert.equal(golden.length, 6));
    for (const c of golden) {
      it(`source ids, tokens and target ids: ${JSON.stringify(c.text)}`, () => {
        const tokens = tok.encodeTokens(c.text);
        assert.deepEqual(tokens.map((t) => t.id), c.source_ids);
        assert.deepEqual(tokens.map((t) => t.text), c.source_tokens);
        assert.deepEqual(tok.target.encode(c.text), c.target_ids);
        assert.deepEqual(tok.encodeTarget(c.text), c.target_ids);
      });
    }
  });

  it('modelTokenizer picks it for the marian-tiny folder', () => {
    const cfg = parseConfig(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')));
    const { tokenizer, source } = modelTokenizer(folder, cfg);
    assert.equal(source, 'source.spm + target.spm + vocab.json');
    assert.equal(tokenizer.kind, 'unigram');
    assert.equal(tokenizer.vocabSize, cfg.vocabSize);
    assert.deepEqual(tokenizer.encode(golden[1].text), golden[1].source_ids);
  });

  it('the CLI on marian-tiny tokenizes --text and --target as the golden\'s input_ids and decoder_input_ids', async () => {
    const c = (JSON.parse(readFixture('models', 'marian-tiny', 'golden.json')) as { cases: { source: string; target: string; input_ids: number[]; decoder_input_ids: number[]; last_logits_top10: { ids: number[] } }[] }).cases[1];
    let out = '';
    const sink = (f: (s: string) => void) => Object.assign(new Writable({ write(chunk, _e, cb) { f(String(chunk)); cb(); } }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const code = await main(['attention', '--model', folder, '--text', c.source, '--target', c.target, '--json'], sink((s) => { out += s; }) as typeof process.stdout, sink(() => undefined) as typeof process.stderr);
    assert.equal(code, 0);
    const j = JSON.parse(out) as { tokens: { id: number }[]; decoder_tokens: { id: number }[]; next_token_top: { id: number }[] };
    assert.deepEqual(j.tokens.map((t) => t.id), c.input_ids);
    assert.deepEqual(j.decoder_tokens.map((t) => t.id), c.decoder_input_ids);
    assert.deepEqual(j.next_token_top.map((t) => t.id), c.last_logits_top10.ids);
  });

  describe(`fuzz against MarianTokenizer and sentencepiece (${fuzz.length} strings)`, () => {
    it('the fuzz set exercises unknowns, special-token text, language codes and NFKC', () => {
      assert.ok(fuzz.length >= 300);
      assert.ok(fuzz.filter((c) => c.source_ids.includes(1)).length > 100, 'unknown pieces');
      assert.ok(fuzz.filter((c) => /<\/s>|<unk>|<pad>/.test(c.text)).length > 20, 'special-token text');
      assert.ok(fuzz.filter((c) => c.text.startsWith('>>')).length > 20, 'language codes');
      assert.ok(fuzz.filter((c) => /[ﬁﬀﬃａｂⅫ①¼]/.test(c.text)).length > 10, 'compatibility characters');
    });
    const fails = (pick: (c: FuzzCase) => [unknown, unknown]) => fuzz.filter((c) => { const [a, b] = pick(c); return JSON.stringify(a) !== JSON.stringify(b); }).map((c) => JSON.stringify(c.text));
    it('input_ids', () => assert.deepEqual(fails((c) => [tok.encode(c.text), c.source_ids]), []));
    it('text_target ids (target.spm)', () => assert.deepEqual(fails((c) => [tok.target.encode(c.text), c.target_ids]), []));
    it('decode, specials kept and skipped, of both sides', () => {
      assert.deepEqual(fails((c) => [tok.decode(c.source_ids), c.decode]), []);
      assert.deepEqual(fails((c) => [tok.decode(c.source_ids, true), c.decode_skip]), []);
      assert.deepEqual(fails((c) => [tok.decode(c.target_ids), c.target_decode]), []);
      assert.deepEqual(fails((c) => [tok.decode(c.target_ids, true), c.target_decode_skip]), []);
    });
    it('source.spm pieces, spm ids and offsets as sentencepiece gives them', () => {
      const spm = tok.parts.source;
      assert.deepEqual(fails((c) => [spm.encode(c.text).map((p) => [p.piece, p.id, p.start, p.end]), c.source_spm_pieces]), []);
    });
  });

  it('decode(encode(text)) gives the text back for sentences the vocabulary covers', () => {
    for (const text of ['The quick brown fox jumps over the lazy dog.', 'The cat eats the apple']) {
      assert.equal(tok.decode(tok.encode(text), true), text);
      assert.equal(tok.decode(tok.encode(text)), `${text}</s>`);
    }
    const fr = 'Le renard brun rapide saute par-dessus le chien paresseux.';
    assert.equal(tok.decode(tok.target.encode(fr), true), fr);
  });

  it('options: no </s> without special tokens; special-token text as plain text', () => {
    assert.deepEqual(tok.encode('I love you', { addSpecialTokens: false }), golden[0].source_ids.slice(0, -1));
    const plain = tok.encodeTokens('a</s>', { specialTokens: 'plain' });
    assert.ok(plain.slice(0, -1).every((t) => !t.special), 'no special token matched inside the text');
    assert.equal(tok.encodeTokens('a</s>').filter((t) => t.special).length, 2);
  });

  it('the trace names the stages and each segment\'s pieces', () => {
    const tr = tok.encodeWithTrace('I love you');
    assert.deepEqual(tr.stages.map((s) => s.stage), ['normalize', 'pre-tokenize', 'model', 'post-process']);
    assert.match(tr.stages[0].name, /nmt_nfkc/);
    assert.equal(tr.normalized, '▁I▁love▁you');
    assert.deepEqual(tr.pieces.flatMap((p) => p.tokenIds), golden[0].source_ids.slice(0, -1));
    assert.ok(typeof tr.pieces[0].score === 'number' && tr.pieces[0].score < 0);
  });
});

describe('protobuf wire reader: worked examples', () => {
  it('int32 -1 is a 10-byte varint; 150 is 96 01', () => {
    assert.equal(new WireReader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).int32(), -1);
    assert.equal(new WireReader(Uint8Array.from([0x96, 0x01])).varint(), 150);
  });
  it('a length past the end is named with its offset', () => {
    const r = new WireReader(Uint8Array.from([0x0a, 0x05, 0x61]));
    r.nextField();
    assert.throws(() => r.lengthDelimited(), (e: unknown) => e instanceof WireFormatError && /runs past the end/.test(e.message) && e.offset === 1);
  });
});

describe('Marian tokenizer: bad input', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marian-'));
    for (const f of ['config.json', 'source.spm', 'target.spm', 'vocab.json', 'tokenizer_config.json']) copyFileSync(join(folder, f), join(dir, f));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const cfg = () => parseConfig(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')));

  it('a folder without target.spm: a named error at load', () => {
    rmSync(join(dir, 'target.spm'));
    assert.throws(() => loadMarianTokenizer(dir), (e: unknown) => e instanceof MarianFolderError && /has no target\.spm/.test(e.message));
    assert.throws(() => modelTokenizer(dir, cfg()), (e: unknown) => e instanceof ModelError && /target\.spm/.test(e.message));
  });

  it('a cut source.spm names the file, the problem and the byte', () => {
    const bytes = readFileSync(join(folder, 'source.spm'));
    writeFileSync(join(dir, 'source.spm'), bytes.subarray(0, 1000));
    assert.throws(() => loadMarianTokenizer(dir), (e: unknown) => e instanceof SentencePieceModelError
      && /^source\.spm is not a SentencePiece model: .* at byte \d+$/.test(e.message));
  });

  it('garbage, an empty file and a wrong wire type are refused by name', () => {
    assert.throws(() => parseSentencePieceModel(new TextEncoder().encode('{"not": "protobuf"}'), 'target.spm'), /target\.spm is not a SentencePiece model: unsupported wire type 3 \(field 15\) at byte 0/);
    assert.throws(() => parseSentencePieceModel(new Uint8Array(0), 'source.spm'), /source\.spm is not a SentencePiece model: it has no pieces/);
    // field 1 (pieces) as a varint instead of a sub-message
    assert.throws(() => parseSentencePieceModel(Uint8Array.from([0x08, 0x01]), 'source.spm'), /field pieces \(1\) has wire type 0, expected 2 at byte 1/);
  });

  it('a corrupt precompiled_charsmap is named', () => {
    const model = parseSentencePieceModel(readFileSync(join(folder, 'source.spm')), 'source.spm');
    const broken = { ...model, normalizer: { ...model.normalizer, precompiledCharsmap: Uint8Array.from([0xff, 0xff, 0, 0, 1, 2, 3, 4]) } };
    assert.throws(() => new SentencePieceProcessor(broken, 'source.spm'), /source\.spm: normalizer nmt_nfkc: precompiled_charsmap declares a 65535-byte trie in a 8-byte blob/);
  });

  it('vocab.json lacking a piece: that piece encodes as <unk> (as MarianTokenizer does) and a warning names it', () => {
    const vocab = JSON.parse(readFileSync(join(folder, 'vocab.json'), 'utf8')) as Record<string, number>;
    delete vocab['▁love'];
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify(vocab));
    const t = loadMarianTokenizer(dir);
    // golden[0]: "I love you" → [52, 22 (▁love), 58, 83, 30, 0]; MarianTokenizer._convert_token_to_id gives <unk> for a missing piece
    assert.deepEqual(t.encode('I love you'), [52, 1, 58, 83, 30, 0]);
    assert.deepEqual(marianWarnings(t), ['vocab.json lacks 1 piece of source.spm (▁love); they encode as <unk>, as MarianTokenizer does']);
  });

  it('vocab.json without <unk>, or not JSON: named errors, and nothing is kept', () => {
    const vocab = JSON.parse(readFileSync(join(folder, 'vocab.json'), 'utf8')) as Record<string, number>;
    delete vocab['<unk>'];
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify(vocab));
    assert.throws(() => loadMarianTokenizer(dir), /vocab\.json has no <unk> token/);
    writeFileSync(join(dir, 'vocab.json'), '{"▁the": ');
    assert.throws(() => modelTokenizer(dir, cfg()), (e: unknown) => e instanceof ModelError && /^vocab\.json is not valid JSON/.test(e.message));
    copyFileSync(join(folder, 'vocab.json'), join(dir, 'vocab.json'));
    assert.deepEqual(modelTokenizer(dir, cfg()).tokenizer.encode(golden[0].text), golden[0].source_ids, 'the repaired folder loads afresh');
  });
});
