#!/usr/bin/env python3
"""
Reference goldens for the modern-decoder features of the Llama family (Qwen3 q/k norm with
head_dim ≠ hidden / heads, Mistral and Qwen2 sliding windows, RoPE scaling llama3 / linear /
dynamic, MQA, attention and MLP biases, F16 and BF16 checkpoints, a pre-v5 config.json, a
SmolLM2-shaped config), written to test/fixtures/decoders/<name>/ for
test/engine/model/modernDecoders.test.ts (which needs no Python).

Oracle: Hugging Face transformers (eager attention, float32 compute) on tiny seeded random
checkpoints, the approach of ../shared/fixtures/hf/gen/make_goldens.py: every matrix
~N(0, 0.25²) so attention is far from uniform, norm weights 1 + N(0, 0.1²), biases
N(0, 0.1²); saved with save_pretrained and loaded back from the folder (so the golden is
what transformers computes from the files we ship: F16/BF16 weights are rounded, then run in
float32, as our engine does). Values rounded to 7 decimals.

Each golden.json case: input_ids (seeded random ids), attentions [L][H][T][T],
embeddings_out (hidden_states[0]), hidden_states_last (after the final norm),
last_logits_top10, logits_first8_each_pos, greedy_new_ids (6 tokens, generate(do_sample=False)
with use_cache=False: a full pass per step; EOS does not stop it).

Dynamic RoPE: transformers keeps inv_freq as module state (recomputed when the sequence grows
past the longest seen, reset when it falls back under max_position_embeddings), so a
forward's result can depend on earlier calls. The state is reset before every call here,
which makes each golden the stateless rule: T > max_position_embeddings →
base = θ · (factor · T / max_position_embeddings − (factor − 1))^(d / (d − 2)).

Run: /work/ref-venv/bin/python tools/reference/decoder_goldens.py [OUTDIR]
     (OUTDIR defaults to test/fixtures/decoders)
"""
import json
import os
import random
import sys

import torch
import transformers
from transformers import (LlamaConfig, LlamaForCausalLM, MistralConfig, MistralForCausalLM, Qwen2Config,
                          Qwen2ForCausalLM, Qwen3Config, Qwen3ForCausalLM)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'test', 'fixtures', 'decoders')
MADE = f'torch {torch.__version__}, transformers {transformers.__version__}'
VOCAB = 96
NEW_TOKENS = 6
# The common tiny shape: 2 layers, 32 wide, 4 heads of 8 (2 KV heads), FFN 32, 64 positions.
BASE = dict(vocab_size=VOCAB, hidden_size=32, intermediate_size=32, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6, tie_word_embeddings=False,
            bos_token_id=1, eos_token_id=2, pad_token_id=0)


def tolist(x):
    return x.detach().double().numpy().round(7).tolist()


def reinit(model, std=0.25, seed=4321):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if p.dim() >= 2:
                p.copy_(torch.randn(p.shape, generator=g) * std)
            elif n.endswith('norm.weight') or 'layernorm' in n:
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
    if model.config.tie_word_embeddings:
        model.tie_weights()


def reset_rope_state(m):
    """Dynamic RoPE's inv_freq back to the trained one (see the header)."""
    rot = m.model.rotary_emb
    if hasattr(rot, 'original_inv_freq'):
        rot.register_buffer('inv_freq', rot.original_inv_freq.clone(), persistent=False)
        rot.max_seq_len_cached = rot.original_max_seq_len


def random_ids(seed, lengths):
    rng = random.Random(seed)
    return [[rng.randrange(3, VOCAB) for _ in range(n)] for n in lengths]


def top(v, k=10):
    t = torch.topk(v, k)
    return {'ids': t.indices.tolist(), 'values': tolist(t.values)}


def run_case(m, ids, cached_greedy_too):
    x = torch.tensor([ids])
    with torch.no_grad():
        reset_rope_state(m)
        o = m(input_ids=x, output_attentions=True, output_hidden_states=True, use_cache=False)
        reset_rope_state(m)
        base = m.model(input_ids=x, use_cache=False).last_hidden_state
        reset_rope_state(m)
        g = m.generate(x, attention_mask=torch.ones_like(x), max_new_tokens=NEW_TOKENS, do_sample=False,
                       use_cache=False, pad_token_id=0)
        if cached_greedy_too:
            reset_rope_state(m)
            g2 = m.generate(x, attention_mask=torch.ones_like(x), max_new_tokens=NEW_TOKENS, do_sample=False,
                            use_cache=True, pad_token_id=0)
            assert g.tolist() == g2.tolist(), 'the KV cache changed the greedy output'
    assert g.shape[1] == len(ids) + NEW_TOKENS, 'generate stopped early'
    return {'kind': f'T={len(ids)}', 'input_ids': ids,
            'attentions': [tolist(a[0]) for a in o.attentions],
            'embeddings_out': tolist(o.hidden_states[0][0]),
            'hidden_states_last': tolist(base[0]),
            'last_logits_top10': top(o.logits[0, -1]),
            'logits_first8_each_pos': tolist(o.logits[0, :, :8]),
            'greedy_new_ids': g[0, len(ids):].tolist()}


def windowed(case, layer, window):
    """True when every weight of `layer` on a key `window` or more positions back is 0."""
    for head in case['attentions'][layer]:
        for q, row in enumerate(head):
            if any(row[k] != 0 for k in range(0, max(0, q - window + 1))):
                return False
    return True


def fixture(name, cls, cfg, lengths=(12, 20), dtype=torch.float32, edit_config=None, check=None, seed=0):
    torch.manual_seed(0)
    m = cls(cfg).eval()
    reinit(m)
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    m.to(dtype).save_pretrained(d, safe_serialization=True)
    gen_cfg = os.path.join(d, 'generation_config.json')
    if os.path.exists(gen_cfg):
        os.remove(gen_cfg)
    if edit_config:
        path = os.path.join(d, 'config.json')
        j = json.load(open(path))
        edit_config(j)
        json.dump(j, open(path, 'w'), indent=2, sort_keys=True)
    m = cls.from_pretrained(d, attn_implementation='eager', dtype=torch.float32).eval()
    m.generation_config.eos_token_id = None  # plain argmax steps: an EOS is one more token, not the end
    assert all(p.dtype == torch.float32 for p in m.parameters())
    dynamic = m.config.rope_parameters.get('rope_type') == 'dynamic'
    cases = [run_case(m, ids, cached_greedy_too=not dynamic) for ids in random_ids(1000 + seed, lengths)]
    if check:
        check(m, cases)
    saved = json.load(open(os.path.join(d, 'config.json')))
    json.dump({'model': name, 'class': cls.__name__, 'saved_dtype': str(dtype), 'config': saved, 'made_with': MADE,
               'cases': cases}, open(os.path.join(d, 'golden.json'), 'w'), separators=(',', ':'))
    sizes = {f: os.path.getsize(os.path.join(d, f)) for f in sorted(os.listdir(d))}
    print(name, [len(c['input_ids']) for c in cases], 'greedy', cases[0]['greedy_new_ids'], sizes, flush=True)


def check_mistral(m, cases):
    for c in cases:
        assert all(windowed(c, l, 5) for l in range(2)), 'mistral: every layer slides over 5 keys'
        assert len(c['input_ids']) > 5


def check_qwen2_window(m, cases):
    assert m.config.layer_types == ['full_attention', 'sliding_attention'], m.config.layer_types
    for c in cases:
        assert windowed(c, 1, 4) and not windowed(c, 0, 4), 'qwen2: only layer 1 slides'


def check_dynamic(m, cases):
    """The long cases take the dynamic branch (their inv_freq differs from the trained one), the short one does not."""
    rot = m.model.rotary_emb
    for c in cases:
        T = len(c['input_ids'])
        reset_rope_state(m)
        with torch.no_grad():
            m(input_ids=torch.tensor([c['input_ids']]), use_cache=False)
        changed = not torch.equal(rot.inv_freq, rot.original_inv_freq)
        assert changed == (T > m.config.max_position_embeddings), (T, changed)
    reset_rope_state(m)


def check_oldconfig(m, cases):
    rp = m.config.rope_parameters
    assert rp['rope_type'] == 'linear' and rp['factor'] == 2.0 and rp['rope_theta'] == 500000.0, rp


def to_old_config(j):
    """The pre-v5 form: rope_theta at the top level, rope_scaling with "type"."""
    del j['rope_parameters']
    j['rope_theta'] = 500000.0
    j['rope_scaling'] = {'type': 'linear', 'factor': 2.0}


def llama(**kw):
    return LlamaConfig(**{**BASE, **kw})


if __name__ == '__main__':
    fixture('qwen3-tiny', Qwen3ForCausalLM, Qwen3Config(**{**BASE, 'head_dim': 16, 'tie_word_embeddings': True,
            'rope_parameters': {'rope_type': 'default', 'rope_theta': 1000000.0}}), seed=1)
    fixture('mistral-window', MistralForCausalLM, MistralConfig(**{**BASE, 'sliding_window': 5}),
            check=check_mistral, seed=2)
    fixture('qwen2-window', Qwen2ForCausalLM, Qwen2Config(**{**BASE, 'use_sliding_window': True, 'max_window_layers': 1,
            'sliding_window': 4, 'tie_word_embeddings': True}), check=check_qwen2_window, seed=3)
    fixture('llama-rope-llama3', LlamaForCausalLM, llama(rope_parameters={
            'rope_type': 'llama3', 'rope_theta': 10000.0, 'factor': 8.0, 'low_freq_factor': 1.0, 'high_freq_factor': 4.0,
            'original_max_position_embeddings': 16}), seed=4)
    fixture('llama-rope-linear', LlamaForCausalLM, llama(rope_parameters={
            'rope_type': 'linear', 'rope_theta': 10000.0, 'factor': 2.0}), seed=5)
    fixture('llama-rope-dynamic', LlamaForCausalLM, llama(max_position_embeddings=16, rope_parameters={
            'rope_type': 'dynamic', 'rope_theta': 10000.0, 'factor': 2.0}), lengths=(12, 16, 20, 24),
            check=check_dynamic, seed=6)
    fixture('llama-mqa', LlamaForCausalLM, llama(num_key_value_heads=1), seed=7)
    fixture('llama-bias', LlamaForCausalLM, llama(attention_bias=True, mlp_bias=True), seed=8)
    fixture('llama-f16', LlamaForCausalLM, llama(), dtype=torch.float16, seed=9)
    fixture('llama-bf16', LlamaForCausalLM, llama(), dtype=torch.bfloat16, seed=10)
    fixture('llama-oldconfig', LlamaForCausalLM, llama(rope_parameters={
            'rope_type': 'linear', 'rope_theta': 500000.0, 'factor': 2.0}), edit_config=to_old_config,
            check=check_oldconfig, seed=11)
    # SmolLM2-135M's shape, shrunk: 3 query heads per KV head (9 / 3 there), tied head, θ 100000, eps 1e-5.
    fixture('llama-smollm2-shape', LlamaForCausalLM, llama(hidden_size=24, num_attention_heads=6, num_key_value_heads=2,
            intermediate_size=48, tie_word_embeddings=True, rms_norm_eps=1e-5,
            rope_parameters={'rope_type': 'default', 'rope_theta': 100000.0}), seed=12)
