"""Tokenizer fixtures: a byte-level BPE tokenizer trained with Hugging Face `tokenizers` (the kind that GPT-2,
Qwen and LLaDA ship) and its encodings of tricky strings, for the Swift tokenizer's parity test.

  /work/venv/bin/python Experiments/models/tools/make_tokenizer_fixtures.py

Writes Tests/DiffusionEngineTests/Fixtures/tokenizers/{byte-level-bpe,byte-level-bpe-legacy-merges}.json and
golden.json ({"cases": [{"text", "ids", "decoded"}]}). The legacy copy stores merges as "a b" strings, the
format older tokenizer.json files use.
"""
import json
import os

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "Tests", "DiffusionEngineTests", "Fixtures", "tokenizers")
CORPUS = [
    "The quick brown fox jumps over the lazy dog. It's 2026 and we're testing 12345 tokens!",
    "Diffusion language models write a whole canvas at once.\nSamplers choose positions to commit.",
    "Größe, naïve café — 日本語 text, emoji 🙂 and tabs\tand   spaces.",
    "def f(x):\n    return x ** 2  # square\n",
]
CASES = [
    "Hello  wörld, it's 42!",
    "The lazy dog's canvas\n\nwas written at once.",
    "  leading and trailing spaces   ",
    "Größe 日本語 🙂\ttab",
    "<|mask|><|mask|> 1+1=<|eos|>",
    "x**2 == 4 and we'll see; they've said I'd",
    "",
]


def main():
    os.makedirs(OUT, exist_ok=True)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=420, special_tokens=["<|mask|>", "<|eos|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS * 40, trainer)
    path = os.path.join(OUT, "byte-level-bpe.json")
    tok.save(path)
    with open(path) as f:
        legacy = json.load(f)
    legacy["model"]["merges"] = [" ".join(pair) for pair in legacy["model"]["merges"]]
    with open(os.path.join(OUT, "byte-level-bpe-legacy-merges.json"), "w") as f:
        json.dump(legacy, f, ensure_ascii=False)
    cases = []
    for text in CASES:
        ids = tok.encode(text).ids
        cases.append({"text": text, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False)})
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump({"cases": cases}, f, ensure_ascii=False, indent=1)
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
