#!/usr/bin/env python3
"""Trains one bundled model on CPU and writes it in Hugging Face layout.

    /usr/bin/python3 tools/train/train.py --model gpt  --steps 3000 --threads 1
    /usr/bin/python3 tools/train/train.py --model bert --steps 3000 --threads 1

Reads build/train/{train,heldout}.u16 and probes.json (made by tools/train/corpus.ts and
tools/train/tokenizer.ts). Writes media/models/tiny-{gpt,bert}/ (config.json,
model.safetensors, card.json, loss.png, README.md) and
test/fixtures/bundled/tiny-{gpt,bert}.probes.json (logits the TypeScript engine must
reproduce). Needs Debian's python3-torch and python3-matplotlib.

Training: random windows of 2,048 tokens a step, most of them short (32 × 64 tokens,
where position-based heads form sooner) and one step in four long (8 × 256, so every
position is trained); q/k projections start at N(0, 1/C) so attention logits start at
GPT-2-small's scale rather than near zero; AdamW (β 0.9/0.95, weight decay 0.01 unless
--weight-decay, on every matrix unless --undecayed), linear warm-up then cosine decay to a
tenth, gradient clipping at 1, dropout 0.1 unless --dropout / --attn-dropout. tiny-bert uses
BERT's masking: 15% of the non-special positions are predicted; of those 80% become
[MASK], 10% a random token, 10% stay as they are.
"""
import argparse
import json
import math
import os
import random
import sys
import time


# Debian's OpenBLAS (libopenblas0-pthread) keeps a thread pool of its own beside torch's, one
# thread a core unless told. With both pools a --threads 2 run puts four threads on two cores
# and is slower than --threads 1; a --threads 1 run keeps a second core busy. OpenBLAS is held
# to one thread and torch's pool (torch.set_num_threads) does --threads.
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')

import torch  # noqa: E402 (after OPENBLAS_NUM_THREADS, which OpenBLAS reads when it loads)
import torch.nn.functional as F  # noqa: E402

import evaluate
import export
from models import TinyModel

BPE_VOCAB = 6000  # tools/train/tokenizer.ts BPE_VOCAB
SPECIALS = {'gpt': ['<|endoftext|>'], 'bert': ['[PAD]', '[CLS]', '[SEP]', '[MASK]']}


def read_stream(path):
    with open(path, 'rb') as f:
        data = f.read()
    return torch.frombuffer(bytearray(data), dtype=torch.int16).to(torch.int64) & 0xFFFF


def gpt_batch(stream, batch, gen, window=evaluate.GPT_WINDOW, bos=None):
    """Random windows of the stream; with bos, each window starts with it, as the
    tokenizer's post-processor starts every text the panel shows."""
    starts = torch.randint(0, len(stream) - window - 1, (batch,), generator=gen)
    x = torch.stack([stream[s:s + window + 1] for s in starts.tolist()])
    if bos is not None:
        x = torch.cat([torch.full((batch, 1), bos), x[:, :-1]], 1)
    return x[:, :-1], x[:, 1:]


def bert_batch(stream, batch, gen, ids, window=evaluate.GPT_WINDOW):
    body_len = window - 2
    starts = torch.randint(0, len(stream) - body_len, (batch,), generator=gen)
    body = torch.stack([stream[s:s + body_len] for s in starts.tolist()])
    body = torch.where(body == ids['doc_end'], torch.tensor(ids['[SEP]']), body)
    x = torch.cat([torch.full((batch, 1), ids['[CLS]']), body, torch.full((batch, 1), ids['[SEP]'])], 1)
    chosen = (torch.rand(x.shape, generator=gen) < 0.15) & (x != ids['[CLS]']) & (x != ids['[SEP]'])
    roll = torch.rand(x.shape, generator=gen)
    inputs = x.clone()
    inputs[chosen & (roll < 0.8)] = ids['[MASK]']
    randomised = chosen & (roll >= 0.8) & (roll < 0.9)
    inputs[randomised] = torch.randint(0, BPE_VOCAB, x.shape, generator=gen)[randomised]
    targets = torch.where(chosen, x, torch.tensor(-100))
    return inputs, targets


def sinusoidal_table(positions, width):
    """PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(…) (Vaswani et al. 2017)."""
    pos = torch.arange(positions, dtype=torch.float64).unsqueeze(1)
    freq = 10000.0 ** (-torch.arange(0, width, 2, dtype=torch.float64) / width)
    table = torch.zeros(positions, width, dtype=torch.float64)
    table[:, 0::2], table[:, 1::2] = torch.sin(pos * freq), torch.cos(pos * freq)
    return table.float()


def learning_rate(step, steps, peak, warmup):
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', choices=['gpt', 'bert'], required=True)
    ap.add_argument('--steps', type=int, default=3000)
    ap.add_argument('--tokens', type=int, default=2048, help='tokens per step')
    ap.add_argument('--short-window', type=int, default=64)
    ap.add_argument('--long-every', type=int, default=4, help='every Nth step uses 256-token windows')
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--warmup', type=int, default=200)
    ap.add_argument('--layers', type=int, default=4)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--width', type=int, default=128)
    ap.add_argument('--threads', type=int, default=2, help="torch's CPU threads")
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--attn-dropout', type=float, default=None, help='dropout on the attention weights (default: --dropout)')
    ap.add_argument('--weight-decay', type=float, default=0.01)
    ap.add_argument('--undecayed', choices=['none', 'embeddings', 'positions'], default='none',
                    help='matrices left out of weight decay: none; the token, position and type embeddings (as minGPT); or the position embeddings only')
    ap.add_argument('--dropout', type=float, default=0.1)
    ap.add_argument('--device', default='cpu', help='cpu (the documented way), or cuda to try settings quickly')
    ap.add_argument('--pos-init', choices=['normal', 'sinusoidal'], default='normal',
                    help='start the learned position embeddings at N(0, 0.02) or at the sinusoidal table')
    ap.add_argument('--pos-rms', type=float, default=0.02, help='root-mean-square of the sinusoidal start')
    ap.add_argument('--bos', action='store_true', help='tiny-gpt: every window starts with <|endoftext|>; needs the tokenizer made by tools/train/tokenizer.ts --bos')
    ap.add_argument('--out', default='.', help='repository root to write the model under (a trial run can go elsewhere)')
    ap.add_argument('--evaluate-only', action='store_true', help='print held-out metrics and head scores, write nothing')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    name = f'tiny-{args.model}'
    ids = {t: BPE_VOCAB + i for i, t in enumerate(SPECIALS[args.model])}
    ids['doc_end'] = BPE_VOCAB  # the document-end id in the .u16 streams
    train, heldout = read_stream('build/train/train.u16'), read_stream('build/train/heldout.u16')
    model = TinyModel(args.model, BPE_VOCAB + len(SPECIALS[args.model]), 256, args.layers, args.heads, args.width, args.dropout, args.attn_dropout).to(args.device)
    for block in model.blocks:
        for lin in (block.attn.q, block.attn.k):
            torch.nn.init.normal_(lin.weight, std=args.width ** -0.5)
    if args.pos_init == 'sinusoidal':
        with torch.no_grad():
            model.pos.weight.copy_(sinusoidal_table(256, args.width) * (args.pos_rms * math.sqrt(2)))
    spared = {id(m.weight) for m in {'none': [], 'positions': [model.pos],
                                     'embeddings': [m for m in model.modules() if isinstance(m, torch.nn.Embedding)]}[args.undecayed]}
    decay = [p for p in model.parameters() if p.dim() >= 2 and id(p) not in spared]
    no_decay = [p for p in model.parameters() if p.dim() < 2 or id(p) in spared]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': args.weight_decay}, {'params': no_decay, 'weight_decay': 0.0}], lr=args.lr, betas=(0.9, 0.95))
    gen = torch.Generator().manual_seed(args.seed)
    stream = heldout.tolist()
    separators = evaluate.separator_ids(ids) if args.model == 'bert' else None
    eval_windows = evaluate.gpt_windows(stream, ids['doc_end'] if args.bos else None) if args.model == 'gpt' else evaluate.bert_windows(stream, ids)

    def heldout_loss():
        model.eval()
        loss = evaluate.perplexity(model, eval_windows[:40])[1] if args.model == 'gpt' else evaluate.masked_accuracy(model, eval_windows[:40], ids)[1]
        model.train()
        return loss

    log = {'step': [], 'train_loss': [], 'eval_step': [], 'eval_loss': []}
    started, running = time.time(), []
    model.train()
    for step in range(args.steps):
        for g in opt.param_groups:
            g['lr'] = learning_rate(step, args.steps, args.lr, args.warmup)
        window = 256 if step % args.long_every == args.long_every - 1 else args.short_window
        batch = args.tokens // window
        x, y = gpt_batch(train, batch, gen, window, ids['doc_end'] if args.bos else None) if args.model == 'gpt' else bert_batch(train, batch, gen, ids, window)
        y = y.to(args.device)
        if args.model == 'gpt':
            logits, _ = model(x.to(args.device))
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        else:  # the MLM head runs at the masked positions only (15%): the same loss at a fraction of the head's cost
            chosen = y != -100
            logits, _ = model(x.to(args.device), predict_at=chosen)
            loss = F.cross_entropy(logits, y[chosen])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running.append(loss.item())
        if (step + 1) % 50 == 0 or step + 1 == args.steps:
            log['step'].append(step + 1)
            log['train_loss'].append(sum(running) / len(running))
            running = []
        if (step + 1) % 500 == 0 or step + 1 == args.steps:
            log['eval_step'].append(step + 1)
            log['eval_loss'].append(heldout_loss())
            model.eval()
            best = {b['pattern']: round(b['score'], 3) for b in evaluate.best_heads(evaluate.head_scores(model, eval_windows[:10], separators))}
            model.train()
            print(f'step {step + 1}/{args.steps}  train {log["train_loss"][-1]:.3f}  held-out {log["eval_loss"][-1]:.3f}  heads {best}  {time.time() - started:.0f} s', flush=True)
    minutes = (time.time() - started) / 60
    model.eval()
    model.to('cpu')
    if args.evaluate_only:
        scores = evaluate.head_scores(model, eval_windows, separators)
        metric = evaluate.perplexity(model, eval_windows)[0] if args.model == 'gpt' else evaluate.masked_accuracy(model, eval_windows, ids)[0]
        print(json.dumps({'args': vars(args), 'minutes': minutes, 'metric': metric, 'heads': evaluate.best_heads(scores)}))
        return
    kept = [a for i, a in enumerate(sys.argv[1:]) if a != '--out' and not a.startswith('--out=') and (i == 0 or sys.argv[i] != '--out')]  # the card's command writes in place
    export.write_model(name, model, ids, args, log, minutes, eval_windows, command=' '.join(['/usr/bin/python3 tools/train/train.py'] + kept), out=args.out)


if __name__ == '__main__':
    main()
