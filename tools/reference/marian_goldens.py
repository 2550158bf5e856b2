#!/usr/bin/env python3
"""
Marian tokenizer goldens: a seeded set of strings over the marian-tiny corpus alphabet
(../shared/fixtures/hf/gen/spm/corpus.py: English and French words, punctuation, é è ’)
mixed with what SentencePiece's nmt_nfkc normalizer and MarianTokenizer treat specially
(ligatures, full-width forms, Roman numerals, tabs, NBSP, ideographic and zero-width
spaces, runs of spaces, unknown letters and digits, emoji, combining accents, the text
of </s> <unk> <pad>, >>fr<< language codes), and what transformers' MarianTokenizer
(slow, sentencepiece) gives for each: input_ids, text_target ids, and decode of both
with and without skip_special_tokens; and, straight from sentencepiece on source.spm, the
pieces, their spm ids and their offsets (converted from UTF-8 bytes to UTF-16 units).
Written to test/fixtures/marian/fuzz.json for
test/engine/marianTokenizer.test.ts, which needs no Python.

Needs transformers, sentencepiece and protobuf (for the offsets).
Run: /work/ref-venv/bin/python tools/reference/marian_goldens.py [--count 300] [--seed 23]
"""
import argparse
import json
import os
import random
import warnings

import sentencepiece as spm

warnings.filterwarnings('ignore')
from transformers import MarianTokenizer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, '..', 'shared', 'fixtures', 'hf', 'models', 'marian-tiny')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'marian', 'fuzz.json')

WORDS = ('I you the cat dog my friend teacher we they quick brown fox lazy student model love see like eat read '
         'learn write want understand jump over book apple house lunch attention transformer river bank sentence '
         'word je tu le chat chien mon ami professeur nous ils renard brun rapide paresseux l\'étudiant modèle aime '
         'vois bien mange lis apprends écris veux comprends saute par-dessus livre la pomme maison déjeuner '
         'l\'attention transformeur rive banque phrase mot Thank for have a Merci pour j’ai un Je t\'aime').split()
ODD = ['ﬁ', 'ﬀ', 'ａｂ', 'Ⅻ', '①', '\t', '\u00a0', '\u3000', '\u200b', '  ', '   ', '\n', 'Z', 'Q', '123', '7',
       '😀', 'e\u0301', 'A\u0300', '</s>', '<unk>', '<pad>', '>>fr<<', '>>', '<<', '.', ',', '!', '?', "'", '’',
       'ß', 'ÉCOLE', 'İ', 'ﬃ', '¼', '™', '\u2581', 'x\u2581y', '<s>', '\r\n']


def sample(rng):
    parts = []
    for _ in range(rng.randint(1, 9)):
        r = rng.random()
        if r < 0.6:
            w = rng.choice(WORDS)
            parts.append(w.capitalize() if rng.random() < 0.2 else w)
        elif r < 0.9:
            parts.append(rng.choice(ODD))
        else:
            parts.append(''.join(rng.choice('abcdefghijklmnopqrstuvwxyzéèàç') for _ in range(rng.randint(1, 6))))
        parts.append(rng.choice([' ', ' ', ' ', '', '  ', '\t']))
    s = ''.join(parts)
    if rng.random() < 0.1:
        s = '>>fr<< ' + s
    if rng.random() < 0.1:
        s = '  ' + s
    return s


def utf16_offsets(text):
    """UTF-8 byte offset → UTF-16 offset, for every byte boundary of `text`."""
    at, u16 = {0: 0}, 0
    b = 0
    for ch in text:
        b += len(ch.encode('utf-8'))
        u16 += 2 if ord(ch) > 0xFFFF else 1
        at[b] = u16
    return at


def spm_pieces(sp, text):
    proto = sp.encode(text, return_type='proto')
    at = utf16_offsets(text)
    return [[p.piece, p.id, at[p.begin], at[p.end]] for p in proto.pieces]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--count', type=int, default=300)
    ap.add_argument('--seed', type=int, default=23)
    args = ap.parse_args()
    tok = MarianTokenizer.from_pretrained(MODEL)
    source_spm = spm.SentencePieceProcessor(model_file=os.path.join(MODEL, 'source.spm'))
    rng = random.Random(args.seed)
    texts = ['', ' ', 'I love you', 'a<unk>b', '>>fr<<', '>>fr<< I love you'] + [sample(rng) for _ in range(args.count)]
    cases = []
    for text in texts:
        ids = tok(text)['input_ids']
        target_ids = tok(text_target=text)['input_ids']
        cases.append({
            'text': text, 'source_ids': ids, 'target_ids': target_ids,
            'decode': tok.decode(ids), 'decode_skip': tok.decode(ids, skip_special_tokens=True),
            'target_decode': tok.decode(target_ids), 'target_decode_skip': tok.decode(target_ids, skip_special_tokens=True),
            'source_spm_pieces': spm_pieces(source_spm, text),
        })
    import transformers
    doc = {'made_with': f'transformers {transformers.__version__}, sentencepiece {spm.__version__}, MarianTokenizer (slow)',
           'model': 'marian-tiny', 'seed': args.seed, 'cases': cases}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(doc, f, ensure_ascii=False, indent=0)
    print(f'{len(cases)} cases → {OUT}')


if __name__ == '__main__':
    main()
