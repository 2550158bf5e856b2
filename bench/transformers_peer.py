"""The benchmark's peer as a user would run it: Hugging Face transformers on PyTorch (CPU),
loading the same model folder the engine runs (AutoModelForCausalLM: GPT2LMHeadModel or
LlamaForCausalLM), float32. Times, median of RUNS after one warm-up (the two kinds of run
interleaved), with THREADS threads:
  eager: attn_implementation="eager", output_attentions=True (what our trace computes);
  sdpa:  attn_implementation="sdpa", no attentions (transformers' default path).
Both under torch.inference_mode() with logits_to_keep=1 (the LM head on the last position
only, as ours). Prints one JSON line; exits 1 with a message on stderr when transformers
or torch is missing.
usage: python bench/transformers_peer.py MODEL_DIR IDS_JSON RUNS THREADS"""
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


def main():
    folder, ids, runs, threads = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    x = torch.tensor([ids])
    result = {'torch': torch.__version__, 'transformers': transformers.__version__, 'threads': torch.get_num_threads()}
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
