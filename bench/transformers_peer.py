"""The benchmark's peer as a user would run it: Hugging Face transformers on PyTorch (CPU),
loading the same model folder the engine runs (AutoModelForCausalLM: GPT2LMHeadModel or
LlamaForCausalLM), float32. Times, median of RUNS after one warm-up (the two kinds of run
interleaved), with THREADS threads:
  eager: attn_implementation="eager", output_attentions=True (what our trace computes);
  sdpa:  attn_implementation="sdpa", no attentions (transformers' default path).
Both under torch.inference_mode() with logits_to_keep=1 (the LM head on the last position
only, as ours). Prints one JSON line; exits 1 with a message on stderr when transformers
or torch is missing.
With a fifth argument `decode:N`: greedy generate(do_sample=False, use_cache=True) of N new
tokens after the prompt (no EOS, so all N are made), sdpa (generate's default, no
attentions), and generate of 1 new token (the prefill and one choice); ms per decoded token
= (t_N − t_1) / (N − 1), as ours excludes the prefill step.
usage: python bench/transformers_peer.py MODEL_DIR IDS_JSON RUNS THREADS [decode:N]"""
import json, sys, time

try:
    import torch
    import transformers
    from transformers import AutoModelForCausalLM
except ImportError as e:
    sys.exit(f'transformers peer: {e}')


def median_ms(fns, runs):
    """Runs each fn once to warm up, then `runs` rounds of all of them in turn (interleaved,
    so a shared machine's drift hits them alike); each one's median ms and last output."""
    outs = [fn() for fn in fns]
    times = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            outs[i] = fn()
            times[i].append((time.perf_counter() - t0) * 1000)
    return [sorted(t)[len(t) // 2] for t in times], outs


def decode(folder, x, runs, n, result):
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    model.generation_config.eos_token_id = None  # random weights: never stop early, on either side
    model.generation_config.pad_token_id = 0
    gen = lambda k: lambda: model.generate(x, max_new_tokens=k, do_sample=False, use_cache=True)
    with torch.inference_mode():
        (many_ms, one_ms), (out, _) = median_ms([gen(n), gen(1)], runs)
    result.update({
        'class': type(model).__name__, 'attn': model.config._attn_implementation,
        'generate_ms': many_ms, 'generate_1_ms': one_ms, 'new_tokens': n,
        'ms_per_token': (many_ms - one_ms) / (n - 1), 'new_ids': out[0, x.shape[1]:].tolist(),
    })


def main():
    folder, ids, runs, threads = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    x = torch.tensor([ids])
    result = {'torch': torch.__version__, 'transformers': transformers.__version__, 'threads': torch.get_num_threads()}
    if len(sys.argv) > 5 and sys.argv[5].startswith('decode:'):
        decode(folder, x, runs, int(sys.argv[5].split(':')[1]), result)
        print(json.dumps(result))
        return
    load = lambda impl: AutoModelForCausalLM.from_pretrained(folder, attn_implementation=impl, dtype=torch.float32).eval()
    eager, sdpa = load('eager'), load('sdpa')
    with torch.inference_mode():
        (eager_ms, sdpa_ms), (out, sdpa_out) = median_ms([
            lambda: eager(x, output_attentions=True, output_hidden_states=True, use_cache=False, logits_to_keep=1),
            lambda: sdpa(x, use_cache=False, logits_to_keep=1),
        ], runs)
        result.update({
            'class': type(eager).__name__, 'eager_ms': eager_ms, 'sdpa_ms': sdpa_ms,
            'top5': torch.topk(out.logits[0, -1], 5).indices.tolist(),
            'sdpa_top5': torch.topk(sdpa_out.logits[0, -1], 5).indices.tolist(),
            'hidden_last_row': out.hidden_states[-1][0, -1].tolist(),
            'attn_last_layer_h0_last_row': out.attentions[-1][0, 0, -1].tolist(),
        })
    print(json.dumps(result))


main()
