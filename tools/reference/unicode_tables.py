#!/usr/bin/env python3
"""
Write src/engine/tokenizers/unicodeTables.ts: the character classes exactly as the
reference libraries see them, probed from the libraries themselves over every code point.

Why: JavaScript's `\\p{..}` follows the runtime's ICU (Node 20 here: Unicode 17; VS Code's
Electron: another version), and its `\\s` is not Unicode White_Space (it has U+FEFF, lacks
U+0085). tiktoken (Rust `regex`) and Hugging Face `tokenizers` (Oniguruma for patterns,
Rust `char` and the `unicode_categories` crate for BERT) each have their own tables. The
engine compiles patterns and BERT's classes from these tables so its splits are theirs on
every runtime.

Probes:
- regex classes: a tiktoken Encoding whose pattern is just the class, over one string of
  all code points: what it encodes is what the class matches (tiktoken drops unmatched
  text). The same class through a `tokenizers` Split (Oniguruma) must agree, or we stop.
- BERT: BertNormalizer clean_text alone on each code point (removed → control, → " " →
  whitespace); BertPreTokenizer on "a" + c + "a" (three pieces → punctuation);
  BertNormalizer strip_accents alone on each code point ("" → a non-spacing mark);
  handle_chinese_chars alone (" c " → a CJK character it pads: note 0x2B920, not
  google-research/bert's 0x2B820, starts its Extension-E range); the Digits pre-tokenizer on
  "a" + c + "a" (three pieces → Rust `char::is_numeric`, whose std tables are newer than
  the regex crate's: U+11DE0 is a digit to it and not to `\\p{N}`).

Run (offline wheel mirror): python3 -m venv /work/ref-venv &&
  /work/ref-venv/bin/pip install tiktoken tokenizers &&
  /work/ref-venv/bin/python tools/reference/unicode_tables.py
"""
import os
import sys

import tiktoken
import tokenizers
from tokenizers import Regex, normalizers, pre_tokenizers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'src', 'engine', 'tokenizers', 'unicodeTables.ts')

CODE_POINTS = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
ALL = ''.join(map(chr, CODE_POINTS))

# General categories and their groups, as `\p{X}`; plus the escapes patterns use.
CATEGORIES = ['L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No',
              'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'S', 'Sm', 'Sc', 'Sk', 'So',
              'Z', 'Zs', 'Zl', 'Zp', 'C', 'Cc', 'Cf', 'Co', 'Cn']
ESCAPES = {'s': r'\s', 'd': r'\d', 'w': r'\w'}


def ranges(cps):
    out = []
    for c in sorted(set(cps)):
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


BYTE_RANKS = {bytes([b]): b for b in range(256)}


def rust_regex_class(pattern):
    enc = tiktoken.Encoding('probe', pat_str=pattern, mergeable_ranks=BYTE_RANKS, special_tokens={})
    return ranges(map(ord, bytes(enc.encode_ordinary(ALL)).decode('utf-8')))


def oniguruma_class(pattern):
    split = pre_tokenizers.Split(Regex(pattern), behavior='removed', invert=True)
    return ranges(ord(c) for piece, _ in split.pre_tokenize_str(ALL) for c in piece)


def probe_regex_classes():
    tables = {}
    for name in CATEGORIES:
        pattern = r'\p{%s}' % name
        if name == 'Cn':  # neither engine names Cn: it is what no other category has
            assigned = set()
            for other in ('L', 'M', 'N', 'P', 'S', 'Z', 'Cc', 'Cf', 'Co'):
                for a, b in tables[other]:
                    assigned.update(range(a, b + 1))
            tables[name] = ranges(c for c in CODE_POINTS if c not in assigned)
            continue
        tables[name] = rust_regex_class(pattern)
        onig = oniguruma_class(pattern)
        if onig != tables[name]:
            sys.exit(f'{pattern}: tiktoken (Rust regex) and tokenizers (Oniguruma) disagree; one table cannot serve both')
    for name, pattern in ESCAPES.items():
        tables[name] = rust_regex_class(pattern)
        tables['onig_' + name] = oniguruma_class(pattern)
    return tables


def probe_bert():
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    chinese_pad = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    pre = pre_tokenizers.BertPreTokenizer()
    digits = pre_tokenizers.Digits(individual_digits=True)
    control, whitespace, punctuation, mark, chinese, numeric = [], [], [], [], [], []
    for c in CODE_POINTS:
        ch = chr(c)
        cleaned = clean.normalize_str(ch)
        if cleaned == '':
            control.append(c)
        elif cleaned == ' ':
            whitespace.append(c)
        if len(pre.pre_tokenize_str('a' + ch + 'a')) == 3:
            punctuation.append(c)
        if strip.normalize_str(ch) == '':
            mark.append(c)
        if chinese_pad.normalize_str(ch) == f' {ch} ':
            chinese.append(c)
        if len(digits.pre_tokenize_str('a' + ch + 'a')) == 3:
            numeric.append(c)
    return {'bertControl': ranges(control), 'bertWhitespace': ranges(whitespace),
            'bertPunctuation': ranges(punctuation), 'bertNonspacingMark': ranges(mark), 'bertChinese': ranges(chinese),
            'rustNumeric': ranges(numeric)}


def encode(rs):
    return ','.join(f'{a:x}' if a == b else f'{a:x}-{b:x}' for a, b in rs)


def main():
    tables = probe_regex_classes()
    tables.update(probe_bert())
    lines = [
        '/**',
        ' * GENERATED by tools/reference/unicode_tables.py from the reference libraries',
        f' * (tiktoken {tiktoken.__version__}, tokenizers {tokenizers.__version__}); do not edit.',
        ' * Character classes as code-point ranges, hex `a-b` or `a`, comma-separated, probed over',
        ' * every code point: `\\p{X}` general categories, `\\s` `\\d` `\\w` as Rust regex',
        ' * (tiktoken) sees them (`onig_*`: as Oniguruma, tokenizers\' Split/ByteLevel, does),',
        ' * and BERT\'s clean-text, whitespace, punctuation and strip-accents classes.',
        ' */',
        '',
        'export const UNICODE_TABLES = {',
    ]
    for name, rs in tables.items():
        lines.append(f"  {name}: '{encode(rs)}',")
    lines += ['} as const;', '', 'export type UnicodeTableName = keyof typeof UNICODE_TABLES;', '']
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))
    print(f'wrote {OUT}: ' + ', '.join(f'{k} {len(v)}' for k, v in tables.items()))


if __name__ == '__main__':
    main()
