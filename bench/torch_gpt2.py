"""The benchmark's peer: the same GPT-2 forward pass in PyTorch (CPU), on the same
safetensors weights, returning every layer's attention weights (eager attention, as
transformers does with output_attentions=True). Prints one JSON line.
usage: python3 bench/torch_gpt2.py MODEL_DIR IDS_JSON RUNS THREADS"""
import json, math, struct, sys, time
import torch
import torch.nn.functional as F

def load(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    out = {}
    for name, t in header.items():
        if name == '__metadata__':
            continue
        b, e = t['data_offsets']
        out[name] = torch.frombuffer(data, dtype=torch.float32, count=(e - b) // 4, offset=b).reshape(t['shape'])
    return out

def main():
    folder, ids, runs, threads = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    cfg = json.load(open(folder + '/config.json'))
    w = load(folder + '/model.safetensors')
    C, NH, L = cfg['n_embd'], cfg['n_head'], cfg['n_layer']
    HS = C // NH
    T = len(ids)
    x_ids = torch.tensor(ids)
    mask = torch.full((T, T), float('-inf')).triu(1)

    def forward():
        x = w['transformer.wte.weight'][x_ids] + w['transformer.wpe.weight'][:T]
        atts = []
        for l in range(L):
            p = f'transformer.h.{l}.'
            a = F.layer_norm(x, (C,), w[p + 'ln_1.weight'], w[p + 'ln_1.bias'], 1e-5)
            qkv = torch.addmm(w[p + 'attn.c_attn.bias'], a, w[p + 'attn.c_attn.weight'])
            q, k, v = qkv.split(C, dim=1)
            q, k, v = (t.view(T, NH, HS).transpose(0, 1) for t in (q, k, v))
            s = (q @ k.transpose(1, 2)) / math.sqrt(HS) + mask
            att = torch.softmax(s, dim=-1)
            atts.append(att)
            y = (att @ v).transpose(0, 1).reshape(T, C)
            x = x + torch.addmm(w[p + 'attn.c_proj.bias'], y, w[p + 'attn.c_proj.weight'])
            h = F.layer_norm(x, (C,), w[p + 'ln_2.weight'], w[p + 'ln_2.bias'], 1e-5)
            h = F.gelu(torch.addmm(w[p + 'mlp.c_fc.bias'], h, w[p + 'mlp.c_fc.weight']), approximate='tanh')
            x = x + torch.addmm(w[p + 'mlp.c_proj.bias'], h, w[p + 'mlp.c_proj.weight'])
        x = F.layer_norm(x, (C,), w['transformer.ln_f.weight'], w['transformer.ln_f.bias'], 1e-5)
        logits = w['transformer.wte.weight'] @ x[-1]
        return x, atts, logits

    with torch.no_grad():
        forward()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            x, atts, logits = forward()
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({'ms': times[len(times) // 2], 'torch': torch.__version__, 'threads': torch.get_num_threads(),
                      'hidden_last_row': x[-1].tolist(), 'attn_l11_h0_last_row': atts[-1][0][-1].tolist(),
                      'top_logit_id': int(logits.argmax())}))

main()
