#!/usr/bin/env python3
"""Trains the bundled tiny-translator (a Marian-shaped encoder–decoder) on CPU on the made-up
English → French grammar of tools/train/translator_grammar.py, and writes it in Hugging Face
layout:

    /work/ref-venv/bin/python tools/train/train_translator.py --minutes 27 --steps 8000 --eval-every 500 --threads 1
    /work/ref-venv/bin/python tools/train/train_translator.py --evaluate-only   # re-measure the saved weights

Writes media/models/tiny-translator/ (config.json, generation_config.json, model.safetensors
in F16, tokenizer.json, card.json; README.md by tools/train/translator_card.py) and the test
fixtures test/fixtures/bundled/tiny-translator.{golden,heldout}.json. Needs torch,
transformers and tokenizers (the reference venv); the engine's tests never run Python.

Training: fresh sentences every step from the training combinations (the validation and test
combinations never appear), a quarter of the sources lower-cased (`i love you` reads like
`I love you`); cross-entropy on the French tokens + </s>; AdamW (β 0.9/0.98, weight decay
0.01), linear warm-up then cosine decay to a tenth, gradient clipping at 1, dropout 0.1. The
run stops at --steps or after --minutes of wall time, whichever comes first. Every number on
the card is measured on the weights after rounding to F16. (The warm-up and decay follow
whichever budget runs out first, so a run on a busy machine still ends at a low rate.)
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import time

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import evaluate_translator as ev  # noqa: E402
import translator_grammar as grammar  # noqa: E402

NAME = 'tiny-translator'
FIXTURES = 'test/fixtures/bundled'
# Two sentences for the engine-vs-transformers golden: the notes' example and a held-out one with reordering.
GOLDEN_SOURCES = ['I love you']


def tokenizer_json(vocab):
    """WordPiece over whole words (## continuations after an elided j' m' t' l'), split on
    whitespace, </s> appended to every text by the post-processor (as MarianTokenizer does)."""
    ids = {t: i for i, t in enumerate(vocab)}
    return {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [{'id': ids[t], 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True} for t in grammar.SPECIALS],
        'normalizer': None,
        'pre_tokenizer': {'type': 'WhitespaceSplit'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'Sequence': {'id': 'A', 'type_id': 0}}, {'SpecialToken': {'id': grammar.EOS, 'type_id': 0}}],
            'pair': [{'Sequence': {'id': 'A', 'type_id': 0}}, {'Sequence': {'id': 'B', 'type_id': 0}}, {'SpecialToken': {'id': grammar.EOS, 'type_id': 0}}],
            'special_tokens': {grammar.EOS: {'id': grammar.EOS, 'ids': [ids[grammar.EOS]], 'tokens': [grammar.EOS]}},
        },
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': False},
        'model': {'type': 'WordPiece', 'unk_token': grammar.UNK, 'continuing_subword_prefix': '##', 'max_input_chars_per_word': 100, 'vocab': ids},
    }


def check_tokenizer(tok, sentences):
    """The tokenizer must give the grammar's own tokens, source and target, or training and the engine disagree."""
    vocab = tok.get_vocab()
    for en, fr, _ in sentences:
        src = tok.encode(' '.join(en))
        assert src.tokens == en + [grammar.EOS], (en, src.tokens)
        tgt = tok.encode(grammar.render(fr), add_special_tokens=False)
        assert tgt.tokens == fr, (fr, tgt.tokens)
        assert tok.decode(tgt.ids) == grammar.render(fr), (tok.decode(tgt.ids), grammar.render(fr))
        assert grammar.UNK not in src.tokens and all(t in vocab for t in fr)


def batch(rng, tok, vocab, n, pad, eos, start, lowercase=0.25):
    src, dec, lab = [], [], []
    for _ in range(n):
        en, fr, _ = grammar.sample(rng, 'train')
        text = ' '.join(en)
        src.append(tok.encode(text.lower() if rng.random() < lowercase else text).ids)
        y = [vocab[t] for t in fr]
        dec.append([start] + y)
        lab.append(y + [eos])
    def pad_to(rows, value):
        width = max(map(len, rows))
        return torch.tensor([r + [value] * (width - len(r)) for r in rows])
    s = pad_to(src, pad)
    return s, (s != pad).long(), pad_to(dec, pad), pad_to(lab, -100)


def lr_at(step, elapsed, args):
    """Warm-up, then cosine decay to a tenth over whichever budget runs out first, steps or
    minutes: on a shared CPU the step rate is not known in advance."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    p = min(1.0, max((step - args.warmup) / max(1, args.steps - args.warmup), elapsed / (args.minutes * 60)))
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p)))


def build_model(args, vocab_size, pad, eos):
    from transformers import MarianConfig, MarianMTModel
    config = MarianConfig(
        vocab_size=vocab_size, decoder_vocab_size=vocab_size, d_model=args.d_model,
        encoder_layers=args.layers, decoder_layers=args.layers, encoder_attention_heads=args.heads, decoder_attention_heads=args.heads,
        encoder_ffn_dim=args.ffn, decoder_ffn_dim=args.ffn, max_position_embeddings=64, activation_function='swish',
        dropout=args.dropout, attention_dropout=0.0, activation_dropout=0.0, scale_embedding=True, share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True, pad_token_id=pad, eos_token_id=eos, decoder_start_token_id=pad, forced_eos_token_id=None, bos_token_id=None,
    )
    return MarianMTModel(config)


def train(args, model, tok, vocab, pad, eos):
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    other = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.01}, {'params': other, 'weight_decay': 0.0}], lr=args.lr, betas=(0.9, 0.98))
    log = {'step': [], 'train_loss': [], 'eval_step': [], 'validation_exact_match': []}
    val = grammar.fixed_set('validation', 200, seed=3)
    t0, running, step = time.time(), [], 0
    model.train()
    while step < args.steps and time.time() - t0 < args.minutes * 60:
        for g in opt.param_groups:
            g['lr'] = lr_at(step, time.time() - t0, args)
        s, m, d, y = batch(rng, tok, vocab, args.batch, pad, eos, pad)
        logits = model(input_ids=s, attention_mask=m, decoder_input_ids=d).logits
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running.append(loss.item())
        step += 1
        if step % 100 == 0:
            log['step'].append(step)
            log['train_loss'].append(sum(running) / len(running))
            running = []
        if step % args.eval_every == 0:
            em, _ = ev.exact_match(model.eval(), tok, val, eos, pad)
            model.train()
            log['eval_step'].append(step)
            log['validation_exact_match'].append(em)
            print(f'step {step}  loss {log["train_loss"][-1]:.4f}  validation exact match {em:.3f}  {(time.time() - t0) / 60:.1f} min', flush=True)
    return step, (time.time() - t0) / 60, log


@torch.no_grad()
def golden_case(model, tok, source, kind):
    """What the engine must reproduce (float32 transformers on the F16 weights), in goldenSeq2Seq.test.ts's shape."""
    enc = tok.encode(source)
    greedy = ev.greedy(model, enc.ids, model.config.eos_token_id, model.config.decoder_start_token_id)
    dec = [model.config.decoder_start_token_id] + greedy
    out = model(input_ids=torch.tensor([enc.ids]), decoder_input_ids=torch.tensor([dec]), output_attentions=True, output_hidden_states=True)
    r = lambda x: [[round(float(v), 7) for v in row] for row in x]  # noqa: E731
    return {
        'kind': kind, 'source': source, 'input_ids': enc.ids, 'attention_mask': [1] * len(enc.ids), 'decoder_input_ids': dec,
        'greedy_ids': greedy, 'greedy_text': tok.decode(greedy),
        'encoder_attentions': [[r(h) for h in a[0]] for a in out.encoder_attentions],
        'decoder_attentions': [[r(h) for h in a[0]] for a in out.decoder_attentions],
        'cross_attentions': [[r(h) for h in a[0]] for a in out.cross_attentions],
        'encoder_embeddings_out': r(out.encoder_hidden_states[0][0]),
        'encoder_last_hidden_state': r(out.encoder_last_hidden_state[0]),
        'decoder_hidden_states_last': r(out.decoder_hidden_states[-1][0]),
        'logits_first8_each_pos': r(out.logits[0, :, :8]),
        'last_logits_top10': {'ids': out.logits[0, -1].topk(10).indices.tolist(), 'values': [round(float(v), 6) for v in out.logits[0, -1].topk(10).values]},
    }


def write_fixtures(model, tok):
    os.makedirs(FIXTURES, exist_ok=True)
    held = grammar.fixed_set('test', 20, seed=11)
    sources = GOLDEN_SOURCES + [' '.join(held[0][0])]
    cases = [golden_case(model, tok, s, k) for s, k in zip(sources, ['notes example', 'held-out'])]
    with open(f'{FIXTURES}/{NAME}.golden.json', 'w') as f:
        json.dump({'generator': 'tools/train/train_translator.py (transformers MarianMTModel, float32 on the F16 weights, eager attention)', 'cases': cases}, f, ensure_ascii=False)
    vocab = tok.get_vocab()
    sample = [{'source': ' '.join(en), 'target': grammar.render(fr), 'target_ids': [vocab[t] for t in fr], 'aligned_source_positions': al} for en, fr, al in held]
    with open(f'{FIXTURES}/{NAME}.heldout.json', 'w') as f:
        json.dump({'about': 'The first 20 test-split sentences of tools/train/evaluate_translator.py (grammar.fixed_set("test", n, seed=11)): unseen subject–verb–object combinations, the French tokens and the source position each is aligned to.', 'sentences': sample}, f, ensure_ascii=False, indent=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--minutes', type=float, default=25)
    p.add_argument('--steps', type=int, default=20000)
    p.add_argument('--warmup', type=int, default=300)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--d-model', type=int, default=128)
    p.add_argument('--ffn', type=int, default=256)
    p.add_argument('--layers', type=int, default=3)
    p.add_argument('--heads', type=int, default=4)
    p.add_argument('--dropout', type=float, default=0.1)
    p.add_argument('--eval-every', type=int, default=1000)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=1234)
    p.add_argument('--out', default=f'media/models/{NAME}')
    p.add_argument('--evaluate-only', action='store_true', help="measure the saved model again and rewrite card.json (keeping its training record) and the fixtures")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    from tokenizers import Tokenizer
    from transformers import GenerationConfig

    if args.evaluate_only:
        old = json.load(open(f'{args.out}/card.json'))
        model, tok = ev.load(args.out)
        finish(args, model, tok, old['training'], old['loss'])
        return

    vocab_list = grammar.vocabulary()
    os.makedirs(args.out, exist_ok=True)
    with open(f'{args.out}/tokenizer.json', 'w') as f:
        json.dump(tokenizer_json(vocab_list), f, ensure_ascii=False, indent=1)
    tok = Tokenizer.from_file(f'{args.out}/tokenizer.json')
    vocab = tok.get_vocab()
    check_tokenizer(tok, grammar.fixed_set('train', 300, 1) + grammar.fixed_set('test', 300, 11) + grammar.fixed_set('validation', 100, 7))
    pad, eos = vocab[grammar.PAD], vocab[grammar.EOS]

    model = build_model(args, len(vocab_list), pad, eos)
    steps, minutes, log = train(args, model, tok, vocab, pad, eos)
    model.eval()
    model.generation_config = GenerationConfig(decoder_start_token_id=pad, eos_token_id=eos, pad_token_id=pad, max_length=32, num_beams=1)
    torch.save(model.state_dict(), 'build/tiny-translator.f32.pt') if os.path.isdir('build') else None
    model.to(torch.float16).save_pretrained(args.out, safe_serialization=True)
    model, tok = ev.load(args.out)  # the F16 weights, widened to float32: what every number below is measured on
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    training = {
        'command': '/work/ref-venv/bin/python ' + ' '.join(['tools/train/train_translator.py'] + sys.argv[1:]), 'minutes': round(minutes, 1), 'steps': steps,
        'batch': args.batch, 'lr': args.lr, 'warmup': args.warmup, 'dropout': args.dropout, 'seed': args.seed, 'threads': args.threads,
        'torch': torch.__version__, 'transformers': __import__('transformers').__version__, 'commit': commit, 'dtype': 'F16',
    }
    finish(args, model, tok, training, log)


def finish(args, model, tok, training, log):
    """Measure the saved (F16) model, write card.json and the engine's fixtures."""
    eos, start = model.config.eos_token_id, model.config.decoder_start_token_id
    metrics = ev.evaluate(model, tok, eos, start)
    print(json.dumps({k: v for k, v in metrics.items() if not k.startswith('alignment_')}, ensure_ascii=False, indent=1))
    a = metrics['alignment']
    example = GOLDEN_SOURCES[0]
    en, fr, align = grammar.make_sentence(('pron', 'I'), 'love', ('pron', 'you'))
    assert ' '.join(en) == example
    src = tok.encode(example).ids
    cross = ev.cross_attentions(model, src, [start] + [tok.token_to_id(t) for t in fr])[a['layer']][a['head']]  # [Td, Te]
    src_tokens = tok.encode(example).tokens
    rows = [{'target': t, 'aligned': src_tokens[al], 'argmax': src_tokens[int(cross[i if a['convention'] == 'predicting' else i + 1].argmax())]} for i, (t, al) in enumerate(zip(fr, align))]
    card = {
        'name': NAME,
        'metrics': {
            **{k: metrics[k] for k in ('exact_match_test', 'exact_match_validation', 'test_sentences', 'validation_sentences', 'test_target_tokens')},
            'notes_example': {'source': example, 'translation': tok.decode(ev.greedy(model, src, eos, start)), 'alignment_head_rows': rows},
        },
        'heads': [{'pattern': 'alignment', 'attention': 'cross', 'layer': a['layer'], 'head': a['head'], 'score': a['test'], 'validation_score': a['validation'], 'row': a['convention']}],
        'head_scores': {'alignment': metrics['alignment_test']},
        'wrong_examples': metrics['wrong_examples'],
        'training': training,
        'loss': log,
    }
    with open(f'{args.out}/card.json', 'w') as f:
        json.dump(card, f, ensure_ascii=False, indent=1)
    write_fixtures(model, tok)


if __name__ == '__main__':
    main()
