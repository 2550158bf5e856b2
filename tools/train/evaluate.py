"""Held-out measurements for the model cards, defined exactly as the TypeScript test
(test/engine/model/bundledModels.test.ts) recomputes them through our engine:

- windows: the held-out token stream (documents separated by the document-end id) cut
  into consecutive, non-overlapping windows; tiny-gpt takes 256 tokens (a `train.py --bos`
  model: 255 after `<|endoftext|>`, as its post-processor starts every text), tiny-bert 254
  wrapped as [CLS] … [SEP] with each document end written as [SEP];
- perplexity (tiny-gpt): exp of the mean next-token negative log-likelihood over every
  position after the first of each window;
- masked-token accuracy (tiny-bert): in window w, position j (1 … 254) is masked when
  (w·1000 + j) · 2654435761 mod 2^32 mod 100 < 15 and it is not [SEP]; all masked
  positions become [MASK] at once, and top-1 must equal the original token;
- head scores, mean over every query position i ≥ 1 of every window: previous token
  A[i, i−1], first token A[i, 0], and (tiny-bert) the total weight on separator keys:
  [SEP] and punctuation (tokens whose text, spaces stripped, is all Unicode punctuation).
"""
import json
import math
import unicodedata

import torch

GPT_WINDOW = 256
BERT_WINDOW = 254


def gpt_windows(stream, bos=None):
    if bos is None:
        return [stream[s:s + GPT_WINDOW] for s in range(0, len(stream) - 1, GPT_WINDOW) if len(stream[s:s + GPT_WINDOW]) >= 2]
    body = GPT_WINDOW - 1
    return [[bos] + stream[s:s + body] for s in range(0, len(stream), body)]


def bert_windows(stream, ids):
    body = [ids['[SEP]'] if t == ids['doc_end'] else t for t in stream]
    return [[ids['[CLS]']] + body[s:s + BERT_WINDOW] + [ids['[SEP]']] for s in range(0, len(body), BERT_WINDOW)]


def _byte_decoder():
    """GPT-2's byte-level alphabet, character → byte."""
    printable = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    codes, extra = printable[:], 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, codes)}


def punctuation_ids(tokenizer_json_path):
    """Ids of the BPE tokens whose text, spaces stripped, is one or more punctuation characters."""
    decode, out = _byte_decoder(), set()
    for token, i in json.load(open(tokenizer_json_path, encoding='utf8'))['model']['vocab'].items():
        try:
            text = bytes(decode[c] for c in token).decode('utf-8').strip()
        except (KeyError, UnicodeDecodeError):
            continue
        if text and all(unicodedata.category(c).startswith('P') for c in text):
            out.add(i)
    return out


def separator_ids(ids, tokenizer_json_path='media/models/tiny-bert/tokenizer.json'):
    return {ids['[SEP]']} | punctuation_ids(tokenizer_json_path)


def _device(model):
    return next(model.parameters()).device


def is_eval_masked(w, j):
    return ((w * 1000 + j) * 2654435761) % (1 << 32) % 100 < 15


@torch.no_grad()
def perplexity(model, windows):
    nll, count = 0.0, 0
    for win in windows:
        logits, _ = model(torch.tensor([win], device=_device(model)))
        logp = logits[0, :-1].double().log_softmax(-1)
        nll -= logp.gather(1, torch.tensor(win[1:], device=logp.device).unsqueeze(1)).sum().item()
        count += len(win) - 1
    return math.exp(nll / count), nll / count


@torch.no_grad()
def masked_accuracy(model, windows, ids):
    right, total, nll = 0, 0, 0.0
    for w, win in enumerate(windows):
        positions = [j for j in range(1, len(win) - 1) if is_eval_masked(w, j) and win[j] != ids['[SEP]']]
        if not positions:
            continue
        masked = list(win)
        for j in positions:
            masked[j] = ids['[MASK]']
        logits, _ = model(torch.tensor([masked], device=_device(model)))
        for j in positions:
            right += int(logits[0, j].argmax().item() == win[j])
            nll -= logits[0, j].double().log_softmax(-1)[win[j]].item()
        total += len(positions)
    return right / total, nll / total, total


@torch.no_grad()
def head_scores(model, windows, separators=None):
    """{pattern: [L][NH] scores}; `separators`, the ids of [SEP] and the punctuation tokens (tiny-bert)."""
    L, NH = model.L, model.NH
    sums = {k: torch.zeros(L, NH, dtype=torch.float64) for k in ('previous', 'first') + (('sep',) if separators is not None else ())}
    queries = 0
    for win in windows:
        _, weights = model(torch.tensor([win], device=_device(model)), return_weights=True)
        for l, w in enumerate(weights):
            a = w[0].double().cpu()  # (NH, T, T)
            T = a.shape[-1]
            idx = torch.arange(1, T)
            sums['previous'][l] += a[:, idx, idx - 1].sum(-1)
            sums['first'][l] += a[:, 1:, 0].sum(-1)
            if separators is not None:
                keys = torch.tensor([t in separators for t in win])
                sums['sep'][l] += a[:, 1:, :][:, :, keys].sum((-1, -2))
        queries += len(win) - 1
    return {k: (v / queries).tolist() for k, v in sums.items()}


def key_share(windows, keys):
    """What a head spreading its weight evenly over a window scores on `keys` (same mean over queries i ≥ 1)."""
    total = sum((len(w) - 1) * sum(t in keys for t in w) / len(w) for w in windows)
    return total / sum(len(w) - 1 for w in windows)


def best_heads(scores):
    out = []
    for pattern, table in scores.items():
        l, h = max(((l, h) for l in range(len(table)) for h in range(len(table[0]))), key=lambda lh: table[lh[0]][lh[1]])
        out.append({'pattern': pattern, 'layer': l, 'head': h, 'score': table[l][h]})
    return out
