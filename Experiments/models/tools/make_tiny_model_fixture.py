"""Golden logits of the shipped tiny model, for the Swift parity test on real trained weights.

  /work/venv/bin/python Experiments/models/tools/make_tiny_model_fixture.py [--model Experiments/models/tiny-llada-moe]

Reads prompts from JSONL files exported by `dlab tasks export` (one per task, --data), masks every answer
position, runs the PyTorch reference (lladamoe.py) and writes
Tests/DiffusionEngineTests/Fixtures/tiny-llada-moe-golden.json: a list of {name, tokens, logits [T, V]}.
The model itself is not copied: the Swift test loads it from Experiments/models/.
"""
import argparse
import json
import os
import sys

import torch

torch.set_num_threads(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lladamoe import load_hf_folder, load_tokenizer  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "Experiments", "models", "tiny-llada-moe"))
    ap.add_argument("--data", nargs="+", required=True, help="JSONL from `dlab tasks export`, one per task")
    ap.add_argument("--per-task", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(ROOT, "Tests", "DiffusionEngineTests", "Fixtures",
                                                  "tiny-llada-moe-golden.json"))
    args = ap.parse_args()
    model, config = load_hf_folder(args.model)
    tokenizer = load_tokenizer(args.model)
    mask = config["mask_token_id"]
    cases = []
    for path in args.data:
        with open(path) as f:
            rows = [json.loads(line) for line in f][: args.per_task]
        for row in rows:
            prompt = tokenizer.encode(row["prompt"]).ids
            answer = tokenizer.encode(row["answer"]).ids
            # Half the answer masked: a canvas in the middle of denoising, as samplers see it.
            canvas = [mask if i % 2 == 0 else token for i, token in enumerate(answer)]
            tokens = prompt + canvas
            with torch.no_grad():
                logits = model(torch.tensor(tokens))[0]
            cases.append({"name": f"{row['task']}-{row['index']}", "tokens": tokens,
                          "logits": [[float(f"{v:.9g}") for v in row_] for row_ in logits.tolist()]})
    with open(args.out, "w") as f:
        json.dump(cases, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
