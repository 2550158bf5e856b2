#!/usr/bin/env python3
"""Re-exports a bundled model from its own files (model.safetensors, config.json,
card.json), e.g. to store it as F16 or to regenerate the probes, metrics and card after
changing export.py, without training again.

    /usr/bin/python3 tools/train/reexport.py tiny-gpt [--dtype F16|F32]
"""
import argparse
import json
import types

import torch

import evaluate
import export
from models import TinyModel
from train import BPE_VOCAB, SPECIALS, read_stream


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('name', choices=['tiny-gpt', 'tiny-bert'])
    ap.add_argument('--dtype', choices=['F16', 'F32'], default='F16')
    a = ap.parse_args()
    folder = f'media/models/{a.name}'
    config, card = json.load(open(f'{folder}/config.json')), json.load(open(f'{folder}/card.json'))
    kind = 'gpt' if config['model_type'] == 'gpt2' else 'bert'
    t = card['training']
    model = TinyModel(kind, config['vocab_size'], 256, config.get('n_layer') or config['num_hidden_layers'],
                      config.get('n_head') or config['num_attention_heads'], config.get('n_embd') or config['hidden_size'])
    model.load_hf_state_dict(export.read_safetensors(f'{folder}/model.safetensors'))
    model.eval()
    ids = {tok: BPE_VOCAB + i for i, tok in enumerate(SPECIALS[kind])}
    ids['doc_end'] = BPE_VOCAB
    stream = read_stream('build/train/heldout.u16').tolist()
    windows = evaluate.gpt_windows(stream, ids['doc_end'] if t.get('bos') else None) if kind == 'gpt' else evaluate.bert_windows(stream, ids)
    defaults = {'tokens': 2048, 'short_window': 256, 'long_every': 1, 'warmup': 0, 'dropout': 0.1, 'attn_dropout': None, 'weight_decay': 0.01, 'undecayed': 'none', 'bos': False, 'pos_init': 'normal', 'pos_rms': None}
    args = types.SimpleNamespace(model=kind, **{k: t.get(k, defaults.get(k)) for k in ('steps', 'threads', 'lr', 'seed', *defaults)})
    export.write_model(a.name, model, ids, args, card['loss'], t['minutes'], windows, t['command'], a.dtype)


if __name__ == '__main__':
    torch.set_num_threads(1)
    main()
