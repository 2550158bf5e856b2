"""Peer for bench/tokenizerJson.ts: Hugging Face `tokenizers` (the Rust library) on the
same tokenizer.json and the same texts. Reads one JSON request on stdin:
  {"tokenizer": "path/to/tokenizer.json", "texts": ["path/to/text.txt", ...], "runs": 2}
and prints one JSON line: {"version": "...", "results": [{"ms": best of runs in process CPU time, "ids": [...]}, ...]}
(encode with add_special_tokens=False, one string at a time, as the engine encodes).
"""
import json
import sys
import time

import tokenizers
from tokenizers import Tokenizer


def main() -> None:
    req = json.load(sys.stdin)
    tok = Tokenizer.from_file(req["tokenizer"])
    runs = int(req.get("runs", 2))
    results = []
    for path in req["texts"]:
        with open(path, encoding="utf-8", newline="") as f:  # keep \r\n as it is
            text = f.read()
        tok.encode(text[:10_000], add_special_tokens=False)  # warm-up
        best = float("inf")
        ids = []
        for _ in range(runs):
            t0 = time.process_time()
            ids = tok.encode(text, add_special_tokens=False).ids
            best = min(best, (time.process_time() - t0) * 1000)
        results.append({"ms": best, "ids": ids})
    print(json.dumps({"version": tokenizers.__version__, "results": results}))


if __name__ == "__main__":
    main()
