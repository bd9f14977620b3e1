"""A tokenizer whose vocabulary, merges and added tokens hold canonically equivalent but byte-different spellings
("é" U+00E9 and "e" + U+0301 COMBINING ACUTE ACCENT), with Hugging Face `tokenizers`' encodings, for the Swift
tokenizer's parity test (tokens must be told apart by their bytes, as tokenizers does).

  /work/venvs/tok/bin/python Experiments/models/tools/make_exact_key_tokenizer_fixture.py   (pip install tokenizers)

Writes Tests/DiffusionEngineTests/Fixtures/tokenizers/exact-keys.json (a hand-written BPE vocabulary, no
normalizer, so nothing composes the two spellings; decoder Fuse) and exact-keys-golden.json:
{"cases": [{"text", "ids", "decoded"}]} from `Tokenizer.encode(text, add_special_tokens=False)` and `decode`.
"""
import json
import os

from tokenizers import AddedToken, Tokenizer, decoders, models

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "Tests", "DiffusionEngineTests", "Fixtures", "tokenizers")
ACUTE = "\u0301"
COMPOSED, DECOMPOSED = "\u00e9", "e" + ACUTE
PIECES = ["c", "a", "f", "e", ACUTE, COMPOSED, " ", "<unk>", "ca", "caf", DECOMPOSED, "caf" + COMPOSED, "caf" + DECOMPOSED]
MERGES = [("c", "a"), ("ca", "f"), ("e", ACUTE), ("caf", COMPOSED), ("caf", DECOMPOSED)]
ADDED = ["<" + COMPOSED + ">", "<" + DECOMPOSED + ">"]
TEXTS = [
    "caf" + COMPOSED,
    "caf" + DECOMPOSED,
    COMPOSED + " " + DECOMPOSED,
    COMPOSED + DECOMPOSED + DECOMPOSED + COMPOSED,
    ADDED[0] + ADDED[1] + "caf",
    ADDED[1] + " " + ADDED[0],
]


def main():
    vocab = {piece: index for index, piece in enumerate(PIECES)}
    assert len(vocab) == len(PIECES)
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=MERGES, unk_token="<unk>"))
    tokenizer.decoder = decoders.Fuse()
    tokenizer.add_special_tokens([AddedToken(text, special=True, normalized=False) for text in ADDED])
    path = os.path.join(OUT, "exact-keys.json")
    tokenizer.save(path)
    reloaded = Tokenizer.from_file(path)
    cases = []
    for text in TEXTS:
        ids = reloaded.encode(text, add_special_tokens=False).ids
        cases.append({"text": text, "ids": ids, "decoded": reloaded.decode(ids, skip_special_tokens=False)})
    # Both spellings must stay distinct tokens, or the fixture tests nothing.
    assert reloaded.token_to_id(COMPOSED) != reloaded.token_to_id(DECOMPOSED)
    assert cases[0]["ids"] != cases[1]["ids"]
    with open(os.path.join(OUT, "exact-keys-golden.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": cases}, f, ensure_ascii=True, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
