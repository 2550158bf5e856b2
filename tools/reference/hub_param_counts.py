"""Parameter counts of the Hub models the download tests describe, as transformers builds them.

test/engine/hub/hubSizes.test.ts serves Mistral-7B-v0.1- and Llama-3.2-1B-shaped repos (their
real config.json sizes, declared file sizes, no weights) and expects these counts, which are
also what the Hub's API reports under safetensors.parameters. Built on the meta device: no
memory, no download. Run: /work/ref-venv/bin/python tools/reference/hub_param_counts.py
"""
import torch
from transformers import AutoModelForCausalLM, LlamaConfig, MistralConfig, Qwen2Config, Qwen3Config

CONFIGS = {
    "mistralai/Mistral-7B-v0.1": MistralConfig(
        hidden_size=4096, intermediate_size=14336, num_hidden_layers=32, num_attention_heads=32,
        num_key_value_heads=8, vocab_size=32000, max_position_embeddings=32768, tie_word_embeddings=False),
    "meta-llama/Llama-3.2-1B": LlamaConfig(
        hidden_size=2048, intermediate_size=8192, num_hidden_layers=16, num_attention_heads=32,
        num_key_value_heads=8, head_dim=64, vocab_size=128256, max_position_embeddings=131072, tie_word_embeddings=True),
    # the other README "Hub models" (their config.json sizes): the memory figures there are these × 4 bytes
    "HuggingFaceTB/SmolLM2-135M": LlamaConfig(
        hidden_size=576, intermediate_size=1536, num_hidden_layers=30, num_attention_heads=9,
        num_key_value_heads=3, vocab_size=49152, max_position_embeddings=8192, tie_word_embeddings=True),
    "Qwen/Qwen2.5-0.5B": Qwen2Config(
        hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
        num_key_value_heads=2, vocab_size=151936, max_position_embeddings=32768, tie_word_embeddings=True),
    "Qwen/Qwen3-0.6B": Qwen3Config(
        hidden_size=1024, intermediate_size=3072, num_hidden_layers=28, num_attention_heads=16,
        num_key_value_heads=8, head_dim=128, vocab_size=151936, max_position_embeddings=40960, tie_word_embeddings=True),
    "TinyLlama/TinyLlama-1.1B-Chat-v1.0": LlamaConfig(
        hidden_size=2048, intermediate_size=5632, num_hidden_layers=22, num_attention_heads=32,
        num_key_value_heads=4, vocab_size=32000, max_position_embeddings=2048, tie_word_embeddings=False),
}

for repo, config in CONFIGS.items():
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    print(repo, sum(p.numel() for p in model.parameters()))
