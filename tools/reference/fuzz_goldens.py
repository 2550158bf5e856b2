#!/usr/bin/env python3
"""
Differential fuzz goldens: a seeded corpus of random hostile strings and the ids the real
libraries give for each, written to test/fixtures/differential/fuzz.json.gz for
test/engine/differential.test.ts (which needs no Python).

Oracles (the Rust cores, not js-tiktoken, which shares our JavaScript regex semantics):
- Python `tiktoken` `encode_ordinary` for r50k_base, p50k_base, cl100k_base, o200k_base,
  with the rank files the extension ships (media/tokenizers), checked by tiktoken itself
  against the sha256 it expects for each.
- Hugging Face `tokenizers` `Tokenizer.from_file(...).encode(text).ids` for the gpt2 and
  bert-base-uncased tokenizer.json files in ../shared/fixtures/hf/tokenizers.

The corpus mixes scripts, whitespace runs (every White_Space character and the look-alikes
that are not: U+FEFF, U+200B, U+180E), controls, emoji with ZWJ/skin tones/flags,
combining marks, private-use, unassigned and noncharacter code points, contractions with
odd case (`'S`, `'ſ`), digits of many scripts. Lone surrogates are left out: Hugging Face
`tokenizers` cannot take them from Python.

Run: /work/ref-venv/bin/python tools/reference/fuzz_goldens.py [--count 20000] [--seed 19]
"""
import argparse
import gzip
import json
import os
import random
import tempfile

import tiktoken
import tiktoken.load
import tokenizers
from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEDIA = os.path.join(ROOT, 'media', 'tokenizers')
HF = os.path.join(ROOT, '..', 'shared', 'fixtures', 'hf', 'tokenizers')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'differential', 'fuzz.json.gz')
ENCODINGS = ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base']

WHITESPACE = [0x9, 0xA, 0xB, 0xC, 0xD, 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
              0x202F, 0x205F, 0x3000]
NOT_WHITESPACE = [0xFEFF, 0x200B, 0x180E, 0x2060, 0x200C, 0x200D, 0xAD]
CONTROLS = [*range(0x0, 0x20), *range(0x7F, 0xA0)]
SCRIPTS = [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x530, 0x58F),
           (0x590, 0x5FF), (0x600, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F), (0x10A0, 0x10FF),
           (0x1200, 0x137F), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x1100, 0x11FF),
           (0x20000, 0x2A6DF), (0x1E900, 0x1E95F), (0xA7C0, 0xA7DF), (0x1D400, 0x1D7FF), (0xFF00, 0xFFEF)]
DIGITS = [(0x30, 0x39), (0x660, 0x669), (0x966, 0x96F), (0xFF10, 0xFF19), (0xB2, 0xB3), (0x2070, 0x2079),
          (0x2160, 0x2188), (0x2460, 0x249B), (0x1D7CE, 0x1D7FF), (0x11DE0, 0x11DE9)]
MARKS = [(0x300, 0x36F), (0x483, 0x489), (0x591, 0x5BD), (0x64B, 0x65F), (0x93A, 0x94F), (0x1AB0, 0x1ADF),
         (0x20D0, 0x20F0), (0xFE20, 0xFE2F)]
PRIVATE = [(0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)]
NONCHARACTERS = [0xFFFE, 0xFFFF, 0xFDD0, 0xFDEF, 0x1FFFE, 0x10FFFF, 0xFFFD]
EMOJI = [(0x1F300, 0x1F5FF), (0x1F600, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F900, 0x1F9FF), (0x2600, 0x26FF),
         (0x1FA70, 0x1FAFF)]
PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ['\u2019', '\u201c', '\u3002', '\u00bf', '\u2026', '\u00a7',
                                                     '\u060c', '\u3001', '\uff01', '/']
WORDS = ["the", "The", "HELLO", "don't", "I'M", "we've", "they'RE", "it'S", "you'll", "I'd", "'s", "'ſ", "'K",
         "\u212a", "ſ", "café", "naïve", "İstanbul", "ΣΊΣΥΦΟΣ", "straße", "ﬁ", "unaffable", "Ǆemal",
         "東京", "ありがとう", "서울", "Привет", "مرحبا", "שלום", "नमस्ते", "ภาษาไทย", "hello_world",
         "x=1;", "http://a.b/c?d=e", "<|endoftext|>", "[CLS]", "##ing", "1234567", "3.14", "1,000,000"]


def pick(rng, ranges):
    a, b = rng.choice(ranges)
    return chr(rng.randint(a, b))


def any_code_point(rng):
    while True:
        c = rng.randint(0, 0x10FFFF)
        if not 0xD800 <= c <= 0xDFFF:
            return chr(c)


def emoji(rng):
    e = pick(rng, EMOJI)
    r = rng.random()
    if r < 0.25:
        e += chr(rng.randint(0x1F3FB, 0x1F3FF))  # skin tone
    elif r < 0.5:
        e += '\u200d' + pick(rng, EMOJI) + rng.choice(['', '\ufe0f'])  # ZWJ sequence
    elif r < 0.6:
        e = chr(rng.randint(0x1F1E6, 0x1F1FF)) + chr(rng.randint(0x1F1E6, 0x1F1FF))  # flag
    elif r < 0.7:
        e = rng.choice('0123456789#*') + '\ufe0f\u20e3'  # keycap
    return e


def unit(rng):
    r = rng.random()
    if r < 0.14: return rng.choice(WORDS)
    if r < 0.26: return ''.join(pick(rng, SCRIPTS) for _ in range(rng.randint(1, 6)))
    if r < 0.38: return ''.join(chr(rng.choice(WHITESPACE)) for _ in range(rng.randint(1, 5)))
    if r < 0.42: return ' ' * rng.randint(1, 8)
    if r < 0.46: return chr(rng.choice(NOT_WHITESPACE))
    if r < 0.50: return chr(rng.choice(CONTROLS))
    if r < 0.56: return ''.join(pick(rng, DIGITS) for _ in range(rng.randint(1, 7)))
    if r < 0.62: return pick(rng, SCRIPTS) + ''.join(pick(rng, MARKS) for _ in range(rng.randint(1, 4)))
    if r < 0.66: return pick(rng, PRIVATE)
    if r < 0.68: return chr(rng.choice(NONCHARACTERS))
    if r < 0.76: return emoji(rng)
    if r < 0.86: return ''.join(rng.choice(PUNCT) for _ in range(rng.randint(1, 4)))
    return ''.join(any_code_point(rng) for _ in range(rng.randint(1, 3)))  # mostly unassigned


# Named cases, one per hazard, written readable to cases.json: (name, text).
CASES = [
    ('leading BOM', '\ufeffhello'),
    ('BOM inside', 'a\ufeffb'),
    ('NEL is White_Space', 'a\u0085b'),
    ('NEL run before a word', 'a \u0085\u0085 b'),
    ('LINE SEPARATOR', 'first\u2028second'),
    ('PARAGRAPH SEPARATOR', 'first\u2029second'),
    ('no-break spaces', 'x\u00a0\u00a0y'),
    ('ideographic space run', '\u3000\u3000x'),
    ('vertical tab and form feed', 'a\x0b\x0cb'),
    ('spaces before a newline', 'line   \n\n  next'),
    ('trailing whitespace run', 'end   '),
    ('zero-width space is not whitespace', 'a\u200bb'),
    ('Mongolian vowel separator', 'a\u180eb'),
    ('soft hyphen', 'co\u00adoperate'),
    ('contraction with long s', "it\u2019s it'\u017f IT'S"),
    ('contraction with Kelvin sign', "'\u212a 'k"),
    ('upper-case contractions', "WE'VE THEY'RE I'LL YOU'D"),
    ('Unicode 17 letter U+088F', 'a\u088fb'),
    ('Unicode 17 digits U+11DE0', 'x\U00011de0\U00011de1y'),
    ('Unicode 17 capital U+A7CE', '\ua7ce\ua7cfz'),
    ('CJK Extension E gap U+2B874 in a word', 'abc\U0002b874def'),
    ('CJK Extension E U+2B920', 'abc\U0002b920def'),
    ('unassigned U+0381 beside a word', '\u0381 done'),
    ('plane-15 private use beside a word', '\U000f8f9d done'),
    ('private use inside a word', 'x\U000f8f9dy'),
    ('BMP private use', 'a\ue000b'),
    ('noncharacters', '\ufffe\uffff\U0010ffff'),
    ('replacement character', 'a\ufffdb'),
    ('NUL and controls', 'a\x00b\x01c\x7f\x9f'),
    ('mixed scripts', '\u01c4emal \u03a3\u038a\u03a3\u03a5\u03a6\u039f\u03a3 \u0130stanbul stra\u00dfe \ufb01'),
    ('Cyrillic Greek Latin in one word', 'abc\u0430\u0431\u0432\u03b1\u03b2'),
    ('Arabic-Indic digits', '\u0661\u0662\u0663\u0664\u0665'),
    ('superscripts and Roman numerals', '12345 \u00b2\u00b3 \u2160\u2161'),
    ('fullwidth', '\uff28\uff45\uff4c\uff4c\uff4f\uff01\uff11\uff12'),
    ('stacked combining marks', 'e\u0301\u0301\u0301\u0301x'),
    ('combining mark after a space', 'a \u0301b'),
    ('emoji ZWJ family', '\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466'),
    ('flags and keycaps', '\U0001f1ef\U0001f1f5 1\ufe0f\u20e3'),
    ('skin tones', '\U0001f44d\U0001f3fd\U0001f44d\U0001f3ff'),
    ('Hangul jamo', '\u1100\u1161\u11a8\u1100'),
    ('Thai without spaces', '\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22'),
    ('Devanagari with virama', '\u0928\u092e\u0938\u094d\u0924\u0947'),
    ('word of 100 letters', 'a' * 100),
    ('word of 101 letters', 'a' * 101),
    ('word of 60 astral letters (120 UTF-16 units)', '\U0001d400' * 60),
    ('word of 101 accented letters', '\u00e9' * 101),
    ('special-token text as plain text', 'x<|endoftext|>y'),
    ('digits run', '1234567890123'),
    ('punctuation run then newline', '!!!???\n\n'),
    ('slash after punctuation', 'a?/b'),
]


def corpus(count, seed):
    rng = random.Random(seed)
    return [''.join(unit(rng) for _ in range(rng.randint(1, 16))) for _ in range(count)]


def tiktoken_encodings():
    """tiktoken's own definitions, its rank files read from media/ and hash-checked by tiktoken."""
    os.environ['TIKTOKEN_CACHE_DIR'] = tempfile.mkdtemp()
    tiktoken.load.read_file = lambda url: open(os.path.join(MEDIA, os.path.basename(url)), 'rb').read()
    return {name: tiktoken.get_encoding(name) for name in ENCODINGS}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--count', type=int, default=20000)
    ap.add_argument('--seed', type=int, default=19)
    args = ap.parse_args()
    texts = corpus(args.count, args.seed)
    ids = {}
    encodings = tiktoken_encodings()
    for name, enc in encodings.items():
        ids[name] = [enc.encode_ordinary(t) for t in texts]
    for name in ('gpt2', 'bert-base-uncased'):
        tok = Tokenizer.from_file(os.path.join(HF, name, 'tokenizer.json'))
        ids['hf:' + name] = [e.ids for e in tok.encode_batch(texts)]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    write_cases(encodings)
    doc = {'generatedBy': 'tools/reference/fuzz_goldens.py', 'seed': args.seed,
           'versions': {'tiktoken': tiktoken.__version__, 'tokenizers': tokenizers.__version__},
           'texts': texts, 'ids': share_equal_lists(ids)}
    with gzip.GzipFile(OUT, 'wb', mtime=0) as f:
        f.write(json.dumps(doc, ensure_ascii=True, separators=(',', ':')).encode('ascii'))
    print(f'wrote {OUT}: {len(texts)} texts, {os.path.getsize(OUT)} bytes')


COMPONENT_TEXTS = [
    'a\u0085b \ufeffc\u2028d\u3000e', '\u0085 x \ufeff', '\u2028\u2029 y \u0085', 'a\u0661\u0662b22c\u00b2\u216b d',
    'x\u2e5dy\u00bfz!w', 'caf\u00e9 e\u0301 \u1ab0\u1acf', 'A\u088fB \ua7ce\U00011de0', 'it\u2019s \u00ab\u00bb\u2026',
    'hello_world \u200bzero\u200dwidth', "it'\u017f IT'S we'VE 'k'\u212a", 'tab\tnew\nline\x0bvt\x0cff\rcr', '\U000f8f9d private \u0381 gap',
]


def component_cases():
    """Pre-tokenizers and normalizers alone on COMPONENT_TEXTS: (kind, tokenizer.json object, output)."""
    from tokenizers import Regex, normalizers as N, pre_tokenizers as P
    pres = [
        ({'type': 'Whitespace'}, P.Whitespace()),
        ({'type': 'WhitespaceSplit'}, P.WhitespaceSplit()),
        ({'type': 'Digits', 'individual_digits': False}, P.Digits(individual_digits=False)),
        ({'type': 'Digits', 'individual_digits': True}, P.Digits(individual_digits=True)),
        ({'type': 'Punctuation', 'behavior': 'Isolated'}, P.Punctuation('isolated')),
        ({'type': 'BertPreTokenizer'}, P.BertPreTokenizer()),
        ({'type': 'Split', 'pattern': {'Regex': '\\s+|\\p{L}+|\\p{N}'}, 'behavior': 'Isolated', 'invert': False},
         P.Split(Regex('\\s+|\\p{L}+|\\p{N}'), 'isolated')),
        ({'type': 'Split', 'pattern': {'Regex': "(?i:'s|'t|'re|'ve|'m|'ll|'d)"}, 'behavior': 'Isolated', 'invert': False},
         P.Split(Regex("(?i:'s|'t|'re|'ve|'m|'ll|'d)"), 'isolated')),
        ({'type': 'Split', 'pattern': {'Regex': '[^\\s\\p{L}]+'}, 'behavior': 'Removed', 'invert': False},
         P.Split(Regex('[^\\s\\p{L}]+'), 'removed')),
    ]
    norms = [
        ({'type': 'Strip', 'strip_left': True, 'strip_right': True}, N.Strip()),
        ({'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True, 'strip_accents': None, 'lowercase': True},
         N.BertNormalizer()),
        ({'type': 'Sequence', 'normalizers': [{'type': 'NFD'}, {'type': 'StripAccents'}]}, N.Sequence([N.NFD(), N.StripAccents()])),
        ({'type': 'Replace', 'pattern': {'Regex': '\\s'}, 'content': '_'}, N.Replace(Regex('\\s'), '_')),
    ]
    out = []
    for text in COMPONENT_TEXTS:
        for spec, pre in pres:
            out.append({'kind': 'pre_tokenizer', 'spec': spec, 'text': text, 'pieces': [p for p, _ in pre.pre_tokenize_str(text)]})
        for spec, norm in norms:
            out.append({'kind': 'normalizer', 'spec': spec, 'text': text, 'normalized': norm.normalize_str(text)})
    return out


def write_cases(encodings):
    """cases.json: each named case's ids from every oracle, and what the oracles decode them to."""
    hf = {name: Tokenizer.from_file(os.path.join(HF, name, 'tokenizer.json')) for name in ('gpt2', 'bert-base-uncased')}
    cases = []
    for name, text in CASES:
        case = {'name': name, 'text': text, 'ids': {}, 'decoded': {}}
        for enc_name, enc in encodings.items():
            ids = enc.encode_ordinary(text)
            case['ids'][enc_name] = ids
            case['decoded'][enc_name] = enc.decode(ids)
        for tok_name, tok in hf.items():
            ids = tok.encode(text).ids
            case['ids']['hf:' + tok_name] = ids
            case['decoded']['hf:' + tok_name] = tok.decode(ids, skip_special_tokens=False)
        cases.append(case)
    path = os.path.join(os.path.dirname(OUT), 'cases.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({'generatedBy': 'tools/reference/fuzz_goldens.py', 'cases': cases, 'components': component_cases()},
                  f, ensure_ascii=True, indent=1)
        f.write('\n')
    print(f'wrote {path}: {len(cases)} cases')


def share_equal_lists(ids):
    """Where an oracle's ids for a text equal an earlier oracle's, store that oracle's name
    instead (r50k and p50k agree on most texts, the gpt2 tokenizer.json with r50k): the
    file shrinks by half and the test resolves the name."""
    names = list(ids)
    out = {}
    for k, name in enumerate(names):
        row = []
        for i, lst in enumerate(ids[name]):
            same = next((prev for prev in names[:k] if ids[prev][i] == lst and isinstance(out[prev][i], list)), None)
            row.append(same if same is not None else lst)
        out[name] = row
    return out


if __name__ == '__main__':
    main()
