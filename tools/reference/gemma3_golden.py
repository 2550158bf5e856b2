"""Reference golden for the Gemma 3 text decoder (Gemma3ForCausalLM, model_type gemma3_text), made
with Hugging Face transformers (eager attention, float32) on a tiny seeded random checkpoint:
RMSNorm with (1 + w), embeddings × √hidden, GeGLU (gelu_pytorch_tanh), query_pre_attn_scalar,
sandwich norms (post-attention and pre/post-feedforward), q/k norm, alternating sliding/full layers
with their own RoPE θ. Random token ids over a 96-entry vocabulary (no tokenizer: ids only matter).
Usage: python tools/reference/gemma3_golden.py OUTDIR  (writes OUTDIR/gemma3-tiny/)"""
import json, os, sys
import torch, transformers
from transformers import Gemma3TextConfig, Gemma3ForCausalLM

def tolist(x): return x.detach().double().numpy().round(7).tolist()

def main(out):
    cfg = Gemma3TextConfig(vocab_size=96, hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=4,
                           num_key_value_heads=2, head_dim=16, sliding_window=4, max_position_embeddings=64,
                           query_pre_attn_scalar=12, layer_types=['sliding_attention', 'full_attention', 'sliding_attention'],
                           rope_parameters={'sliding_attention': {'rope_type': 'default', 'rope_theta': 10000.0},
                                            'full_attention': {'rope_type': 'linear', 'factor': 2.0, 'rope_theta': 1000000.0}},
                           pad_token_id=0, bos_token_id=2, eos_token_id=1)
    torch.manual_seed(0)
    m = Gemma3ForCausalLM(cfg).eval()
    g = torch.Generator().manual_seed(4321)
    with torch.no_grad():
        for n, p in m.named_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * (0.25 if p.dim() >= 2 else 0.1))
    m.tie_weights()
    d = os.path.join(out, 'gemma3-tiny')
    os.makedirs(d, exist_ok=True)
    m.save_pretrained(d, safe_serialization=True)
    m = Gemma3ForCausalLM.from_pretrained(d, attn_implementation='eager', dtype=torch.float32).eval()
    cases = []
    for seed, T in ((1, 9), (2, 17)):
        ids = [2] + torch.randint(3, 96, (T - 1,), generator=torch.Generator().manual_seed(seed)).tolist()
        x = torch.tensor([ids])
        with torch.no_grad():
            o = m(input_ids=x, output_attentions=True, output_hidden_states=True, use_cache=False)
            base = m.model(input_ids=x, use_cache=False).last_hidden_state
            gen = m.generate(x, attention_mask=torch.ones_like(x), max_new_tokens=6, do_sample=False, use_cache=False, pad_token_id=0)
        t = torch.topk(o.logits[0, -1], 10)
        cases.append({'kind': 'single', 'text': f'random ids (seed {seed})', 'input_ids': ids,
                      'attentions': [tolist(a[0]) for a in o.attentions], 'embeddings_out': tolist(o.hidden_states[0][0]),
                      'hidden_states_last': tolist(base[0]), 'last_logits_top10': {'ids': t.indices.tolist(), 'values': tolist(t.values)},
                      'logits_first8_each_pos': tolist(o.logits[0, :, :8]), 'greedy_new_ids': gen[0, len(ids):].tolist()})
    json.dump({'model': 'gemma3-tiny', 'class': 'Gemma3ForCausalLM', 'made_with': f'torch {torch.__version__}, transformers {transformers.__version__}',
               'cases': cases}, open(os.path.join(d, 'golden.json'), 'w'))
    print('gemma3-tiny', [len(c['input_ids']) for c in cases], cases[0]['greedy_new_ids'])

if __name__ == '__main__':
    main(sys.argv[1])
