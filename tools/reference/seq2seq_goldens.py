"""Reference goldens for the families the shared fixtures do not cover, made with Hugging Face
transformers (eager attention, float32) on tiny seeded random checkpoints over a 96-entry
vocabulary (random ids; no tokenizer):
  mbart-tiny      MBartForConditionalGeneration: pre-LN, final layer norms, layernorm_embedding, scaled embeddings
  t5-gated-tiny   T5ForConditionalGeneration, feed_forward_proj gated-gelu (T5 v1.1 / FLAN-T5), untied lm_head
  albert-tiny     AlbertForMaskedLM: factorized embeddings (128 → 32), one layer shared by every layer
Usage: python tools/reference/seq2seq_goldens.py OUTDIR"""
import json, os, sys
import torch, transformers
from transformers import (MBartConfig, MBartForConditionalGeneration, T5Config, T5ForConditionalGeneration,
                          AlbertConfig, AlbertForMaskedLM)

OUT = sys.argv[1]
MADE = f'torch {torch.__version__}, transformers {transformers.__version__}'

def tolist(x): return x.detach().double().numpy().round(7).tolist()

def reinit(m, seed=4321):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for n, p in m.named_parameters():
            if p.dim() >= 2: p.copy_(torch.randn(p.shape, generator=g) * 0.25)
            elif 'norm' in n.lower() or 'LayerNorm' in n: p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else: p.copy_(0.1 * torch.randn(p.shape, generator=g))
    if getattr(m.config, 'tie_word_embeddings', False): m.tie_weights()

def ids_of(seed, n, lo=4, hi=96): return torch.randint(lo, hi, (n,), generator=torch.Generator().manual_seed(seed)).tolist()

def save(m, cls, name):
    d = os.path.join(OUT, name); os.makedirs(d, exist_ok=True)
    m.save_pretrained(d, safe_serialization=True)
    return d, cls.from_pretrained(d, attn_implementation='eager', dtype=torch.float32).eval()

def seq2seq(name, cls, cfg, eos, start):
    torch.manual_seed(0); m = cls(cfg).eval(); reinit(m)
    d, m = save(m, cls, name)
    cases = []
    for seed, (ns, nt) in ((1, (6, 5)), (2, (11, 8))):
        src = ids_of(seed, ns - 1) + [eos]
        tgt = [start] + ids_of(seed + 100, nt - 1)
        x, y = torch.tensor([src]), torch.tensor([tgt])
        with torch.no_grad():
            o = m(input_ids=x, attention_mask=torch.ones_like(x), decoder_input_ids=y, output_attentions=True, output_hidden_states=True, use_cache=False)
            g = m.generate(x, attention_mask=torch.ones_like(x), max_new_tokens=6, min_new_tokens=6, do_sample=False, num_beams=1, use_cache=False)
        t = torch.topk(o.logits[0, -1], 10)
        cases.append({'kind': 'single', 'source': f'random ids (seed {seed})', 'input_ids': src, 'attention_mask': [1] * len(src), 'decoder_input_ids': tgt,
                      'encoder_attentions': [tolist(a[0]) for a in o.encoder_attentions], 'decoder_attentions': [tolist(a[0]) for a in o.decoder_attentions],
                      'cross_attentions': [tolist(a[0]) for a in o.cross_attentions], 'encoder_embeddings_out': tolist(o.encoder_hidden_states[0][0]),
                      'encoder_last_hidden_state': tolist(o.encoder_last_hidden_state[0]), 'decoder_hidden_states_last': tolist(o.decoder_hidden_states[-1][0]),
                      'last_logits_top10': {'ids': t.indices.tolist(), 'values': tolist(t.values)}, 'logits_first8_each_pos': tolist(o.logits[0, :, :8]),
                      'greedy_ids': g[0].tolist()})
    json.dump({'model': name, 'class': cls.__name__, 'made_with': MADE, 'cases': cases}, open(os.path.join(d, 'golden.json'), 'w'))
    print(name, cases[0]['greedy_ids'])

def albert():
    cfg = AlbertConfig(vocab_size=96, embedding_size=16, hidden_size=32, num_hidden_layers=3, num_attention_heads=4, intermediate_size=64,
                       max_position_embeddings=64, hidden_act='gelu_new', pad_token_id=0)
    torch.manual_seed(0); m = AlbertForMaskedLM(cfg).eval(); reinit(m)
    d, m = save(m, AlbertForMaskedLM, 'albert-tiny')
    cases = []
    for seed, n in ((1, 9), (2, 14)):
        ids = [2] + ids_of(seed, n - 2) + [3]
        x = torch.tensor([ids])
        with torch.no_grad():
            o = m(input_ids=x, output_attentions=True, output_hidden_states=True)
        cases.append({'kind': 'single', 'text': f'random ids (seed {seed})', 'input_ids': ids, 'attentions': [tolist(a[0]) for a in o.attentions],
                      'embeddings_out': tolist(o.hidden_states[0][0]), 'hidden_states_last': tolist(o.hidden_states[-1][0]),
                      'logits_top5_each_pos': [{'ids': t.indices.tolist(), 'values': tolist(t.values)} for t in (torch.topk(o.logits[0, p], 5) for p in range(len(ids)))]})
    json.dump({'model': 'albert-tiny', 'class': 'AlbertForMaskedLM', 'made_with': MADE, 'cases': cases}, open(os.path.join(d, 'golden.json'), 'w'))
    print('albert-tiny', len(cases))

seq2seq('mbart-tiny', MBartForConditionalGeneration, MBartConfig(vocab_size=96, d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
        decoder_attention_heads=4, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64, scale_embedding=True, pad_token_id=1, eos_token_id=2,
        bos_token_id=0, decoder_start_token_id=2, forced_eos_token_id=None), eos=2, start=2)
seq2seq('t5-gated-tiny', T5ForConditionalGeneration, T5Config(vocab_size=96, d_model=32, d_kv=8, d_ff=48, num_layers=2, num_decoder_layers=3, num_heads=4,
        feed_forward_proj='gated-gelu', tie_word_embeddings=False, relative_attention_num_buckets=8, relative_attention_max_distance=16,
        decoder_start_token_id=0, eos_token_id=1, pad_token_id=0), eos=1, start=0)
albert()
