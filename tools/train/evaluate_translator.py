#!/usr/bin/env python3
"""Held-out measurements for tiny-translator's model card, defined as the TypeScript test
(test/engine/model/tinyTranslator.test.ts) recomputes them through our engine:

- exact match: greedy decoding of the English source (words + </s>) from the decoder start
  token until </s> (at most 24 tokens) gives exactly the grammar's French tokens;
- alignment, per cross-attention head (layer l, head h): the decoder reads [start] + the
  reference French tokens (teacher forcing); for each French token y_t, the head's
  attention row is taken at one of two positions —
    'predicting': row t, the position whose output is y_t (it reads y_{t−1}, or the start token),
    'reading':    row t + 1, the position that reads y_t;
  the score is the fraction of French tokens whose row's argmax over the source tokens
  (</s> included) is the English word the lexicon aligns them to. The grammar has no
  punctuation, so every French token counts. The head and row convention are chosen on the
  validation split, and reported on the test split.

    /work/ref-venv/bin/python tools/train/evaluate_translator.py media/models/tiny-translator
"""
import json
import os
import sys

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import translator_grammar as grammar  # noqa: E402

MAX_NEW_TOKENS = 24
CONVENTIONS = ('predicting', 'reading')


def encode_source(tokenizer, words):
    return tokenizer.encode(' '.join(words)).ids


def target_ids(vocab, tokens):
    return [vocab[t] for t in tokens]


@torch.no_grad()
def greedy(model, src_ids, eos, start, max_new=MAX_NEW_TOKENS):
    """Greedy decoding without transformers' generate (so nothing it adds by default — forced
    tokens, length rules — can differ from the engine's plain argmax loop)."""
    enc = model.get_encoder()(input_ids=torch.tensor([src_ids]))
    out = [start]
    for _ in range(max_new):
        logits = model(encoder_outputs=enc, decoder_input_ids=torch.tensor([out])).logits[0, -1]
        nxt = int(logits.argmax())
        if nxt == eos:
            break
        out.append(nxt)
    return out[1:]


@torch.no_grad()
def exact_match(model, tokenizer, sentences, eos, start):
    vocab = tokenizer.get_vocab()
    hits = 0
    wrong = []
    for en, fr, _ in sentences:
        got = greedy(model, encode_source(tokenizer, en), eos, start)
        if got == target_ids(vocab, fr):
            hits += 1
        elif len(wrong) < 10:
            inv = {i: t for t, i in vocab.items()}
            wrong.append({'source': ' '.join(en), 'expected': grammar.render(fr), 'got': grammar.render([inv[i] for i in got])})
    return hits / len(sentences), wrong


@torch.no_grad()
def cross_attentions(model, src_ids, dec_ids):
    """[L][H, Td, Te] cross-attention weights for one source and decoder input."""
    out = model(input_ids=torch.tensor([src_ids]), decoder_input_ids=torch.tensor([dec_ids]), output_attentions=True)
    return [a[0] for a in out.cross_attentions]


@torch.no_grad()
def alignment_scores(model, tokenizer, sentences, start):
    """{convention: [L][H] fraction of French tokens whose row argmax is their aligned English word}."""
    vocab = tokenizer.get_vocab()
    hits = {c: None for c in CONVENTIONS}
    total = 0
    for en, fr, align in sentences:
        src = encode_source(tokenizer, en)
        dec = [start] + target_ids(vocab, fr)
        cross = torch.stack(cross_attentions(model, src, dec))  # [L, H, Td, Te]
        want = torch.tensor(align)
        n = len(fr)
        for c in CONVENTIONS:
            rows = cross[:, :, 0:n] if c == 'predicting' else cross[:, :, 1:n + 1]
            h = (rows.argmax(-1) == want).sum(-1).double()  # [L, H]
            hits[c] = h if hits[c] is None else hits[c] + h
        total += n
    return {c: (hits[c] / total).tolist() for c in CONVENTIONS}


def best_head(scores):
    """(convention, layer, head, score) with the highest score."""
    return max(((c, l, h, s) for c, grid in scores.items() for l, row in enumerate(grid) for h, s in enumerate(row)), key=lambda x: x[3])


def evaluate(model, tokenizer, eos, start, n_test=1000, n_val=400):
    model.eval()
    val, test = grammar.fixed_set('validation', n_val, seed=7), grammar.fixed_set('test', n_test, seed=11)
    val_scores = alignment_scores(model, tokenizer, val, start)
    convention, layer, head, val_score = best_head(val_scores)
    test_scores = alignment_scores(model, tokenizer, test, start)
    em_test, wrong = exact_match(model, tokenizer, test, eos, start)
    em_val, _ = exact_match(model, tokenizer, val, eos, start)
    return {
        'exact_match_test': em_test, 'exact_match_validation': em_val, 'test_sentences': len(test), 'validation_sentences': len(val),
        'test_target_tokens': sum(len(fr) for _, fr, _ in test),
        'alignment': {'convention': convention, 'layer': layer, 'head': head, 'validation': val_score, 'test': test_scores[convention][layer][head]},
        'alignment_validation': val_scores, 'alignment_test': test_scores, 'wrong_examples': wrong,
    }


def load(folder):
    from tokenizers import Tokenizer
    from transformers import MarianMTModel
    model = MarianMTModel.from_pretrained(folder, dtype=torch.float32, attn_implementation='eager')
    return model, Tokenizer.from_file(os.path.join(folder, 'tokenizer.json'))


if __name__ == '__main__':
    torch.set_num_threads(1)
    folder = sys.argv[1] if len(sys.argv) > 1 else 'media/models/tiny-translator'
    model, tok = load(folder)
    r = evaluate(model, tok, model.config.eos_token_id, model.config.decoder_start_token_id)
    print(json.dumps({k: v for k, v in r.items() if not k.startswith('alignment_')}, indent=1, ensure_ascii=False))
