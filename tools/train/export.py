"""Writes a trained model the way the extension ships it: Hugging Face layout plus the
model card and the numbers the TypeScript tests check.

    media/models/NAME/config.json, model.safetensors   the model (F16, tied heads left out)
    media/models/NAME/card.json                        metrics, named heads, training facts
    media/models/NAME/loss.png, README.md              the model card
    test/fixtures/bundled/NAME.probes.json             logits on fixed sentences
"""
import json
import os
import struct
import subprocess

import torch

import evaluate

PATTERN_TEXT = {
    'previous': 'previous token (mean weight on position i−1)',
    'first': 'first token / attention sink (mean weight on position 0)',
    'sep': '[SEP] or punctuation (mean total weight on [SEP] and punctuation keys)',
}


NUMPY_TYPE = {'F32': '<f4', 'F16': '<f2'}


def write_safetensors(path, tensors, dtype='F16'):
    """The safetensors format by hand (Debian's torch 1.13 has no safetensors package)."""
    header, offset, size = {'__metadata__': {'format': 'pt'}}, 0, int(NUMPY_TYPE[dtype][-1])
    for name, t in tensors.items():
        n = t.numel() * size
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + n]}
        offset += n
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text)
        for t in tensors.values():
            f.write(t.numpy().astype(NUMPY_TYPE[dtype]).tobytes())


def read_safetensors(path):
    import numpy as np
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        start, end = info['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(data[start:end], dtype=NUMPY_TYPE[info['dtype']]).astype('float32').reshape(info['shape']).copy())
    return out


@torch.no_grad()
def probe_logits(model, probes):
    out = []
    for p in probes:
        logits, _ = model(torch.tensor([p['ids']]))
        rows = []
        for row in logits[0]:
            top = row.topk(5)
            rows.append({'top_ids': top.indices.tolist(), 'top_logits': top.values.tolist(), 'first8': row[:8].tolist(),
                         'logsumexp': row.double().logsumexp(-1).item()})
        out.append({'text': p['text'], 'ids': p['ids'], 'positions': rows})
    return out


def plot_loss(path, name, log):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 3.2), dpi=100)
    ax.plot(log['step'], log['train_loss'], label='training (mean of 50 steps)')
    ax.plot(log['eval_step'], log['eval_loss'], 'o-', label='held-out (first 40 windows)')
    ax.set_xlabel('step')
    ax.set_ylabel('cross-entropy (nats)')
    ax.set_title(f'{name} loss')
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, metadata={'Software': None})
    plt.close(fig)


@torch.no_grad()
def write_model(name, model, ids, args, log, minutes, eval_windows, command, dtype='F16', out='.'):
    """Rounds the weights to `dtype` first, so every number below is measured on what ships.
    `out` is the repository root to write under (another folder keeps a trial run apart)."""
    folder = f'{out}/media/models/{name}'
    os.makedirs(folder, exist_ok=True)
    os.makedirs(f'{out}/test/fixtures/bundled', exist_ok=True)
    if dtype == 'F16':
        for p in model.parameters():
            p.copy_(p.half().float())
    write_safetensors(f'{folder}/model.safetensors', model.hf_state_dict(), dtype)
    with open(f'{folder}/config.json', 'w') as f:
        json.dump(model.hf_config(ids), f, indent=2)
        f.write('\n')
    probes = json.load(open('build/train/probes.json'))[args.model]
    with open(f'{out}/test/fixtures/bundled/{name}.probes.json', 'w') as f:
        json.dump(probe_logits(model, probes), f)
    if args.model == 'gpt':
        ppl, nll = evaluate.perplexity(model, eval_windows)
        metrics = {'heldout_perplexity': ppl, 'heldout_nll': nll, 'windows': len(eval_windows)}
        scores = evaluate.head_scores(model, eval_windows)
    else:
        acc, nll, masked = evaluate.masked_accuracy(model, eval_windows, ids)
        metrics = {'heldout_masked_accuracy': acc, 'heldout_masked_nll': nll, 'masked_tokens': masked, 'windows': len(eval_windows)}
        separators = evaluate.separator_ids(ids)
        scores = evaluate.head_scores(model, eval_windows, separators)
        metrics['separator_share'] = evaluate.key_share(eval_windows, separators)
    plot_loss(f'{folder}/loss.png', name, log)
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    card = {
        'name': name, 'metrics': metrics, 'heads': evaluate.best_heads(scores), 'head_scores': scores,
        'training': {'command': command,
                     'minutes': round(minutes, 1), 'steps': args.steps, 'tokens_per_step': args.tokens, 'short_window': args.short_window, 'long_every': args.long_every, 'warmup': args.warmup, 'lr': args.lr, 'weight_decay': args.weight_decay, 'undecayed': args.undecayed,
                     'dropout': args.dropout, 'attn_dropout': args.dropout if args.attn_dropout is None else args.attn_dropout, 'bos': args.bos, 'pos_init': args.pos_init, 'pos_rms': args.pos_rms if args.pos_init == 'sinusoidal' else None,
                     'seed': args.seed, 'torch': torch.__version__, 'threads': args.threads, 'commit': commit, 'dtype': dtype},
        'loss': log,
    }
    with open(f'{folder}/card.json', 'w') as f:
        json.dump(card, f, indent=1)
        f.write('\n')
    print(json.dumps({'metrics': metrics, 'heads': card['heads']}, indent=1))
