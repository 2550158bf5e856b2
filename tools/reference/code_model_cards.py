"""What the code hovers' model cards (src/engine/code/modelCard.ts) must say for the shared
fixture models, as transformers reads them: parameter count (model.num_parameters()), layers,
heads, KV heads, width and vocabulary from the loaded config. Writes
test/fixtures/code/model_cards.json.
  /work/ref-venv/bin/python tools/reference/code_model_cards.py
"""
import json
import pathlib

from transformers import AutoConfig, AutoModelForCausalLM

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODELS = ROOT.parent / "shared" / "fixtures" / "hf" / "models"

cards = {}
for name in ["llama-tiny", "qwen2-tiny"]:
    folder = MODELS / name
    config = AutoConfig.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder)
    cards[name] = {
        "architecture": config.architectures[0],
        "modelType": config.model_type,
        "layers": config.num_hidden_layers,
        "heads": config.num_attention_heads,
        "kvHeads": config.num_key_value_heads,
        "width": config.hidden_size,
        "vocab": config.vocab_size,
        "parameters": model.num_parameters(),
    }
out = ROOT / "test" / "fixtures" / "code" / "model_cards.json"
out.write_text(json.dumps(cards, indent=2) + "\n")
print(json.dumps(cards, indent=2))
