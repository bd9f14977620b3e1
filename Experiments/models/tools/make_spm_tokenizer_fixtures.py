"""SentencePiece-style tokenizer fixtures, for the Swift tokenizer's parity tests.

  /work/venvs/tok/bin/python Experiments/models/tools/make_spm_tokenizer_fixtures.py   (pip install tokenizers)

Trains one small BPE vocabulary with byte fallback (`<0xXX>` tokens) with Hugging Face `tokenizers`, as the
Gemma family ships it, and writes it in each configuration the Swift side supports, with the library's own
encodings and decodings of texts with whitespace runs, newlines, CJK, emoji, combining marks, special tokens and
U+FFFD (from invalid UTF-8), and decodings of id lists whose bytes are invalid UTF-8:

  gemma.json           normalizer Replace(" ", "▁"), no pre-tokenizer, decoder Replace/ByteFallback/Fuse
  llama-legacy.json    normalizer Prepend("▁") + Replace, decoder Replace/ByteFallback/Fuse/Strip
  metaspace-first.json pre-tokenizer Metaspace(prepend "first", split false), decoder as llama-legacy
  metaspace-split.json pre-tokenizer Metaspace(prepend "always", split true), decoder ByteFallback + Metaspace
  gemma-split.json     gemma's, with pre-tokenizer Split("▁", MergedWithPrevious)
  gguf-vocab.json      the vocabulary as a GGUF `llama` vocabulary: tokens, scores (-id for normal tokens),
                       token_type (1 normal, 2 unknown, 3 control, 4 user-defined, 6 byte)

The GGUF vocabulary's reference is `tokenizers` running the same vocabulary with merges derived from the scores
the way transformers converts SentencePiece models (`SentencePieceExtractor`: every split of a token into two
tokens, ordered by the token's score), with add_space_prefix true (llama-legacy's normalizer and decoder) and
false (gemma's), both adding <bos> (id 2) as llama.cpp does for "llama" vocabularies. golden.json: {"configs":
{name: {"cases": [{text, ids, decoded, ids_with_special}], "decode_cases": [{ids, decoded}]}}}; ids_with_special:
`encode(text)` with the special tokens the post-processor adds (gemma and llama-legacy carry Gemma's
TemplateProcessing "<bos> $A").
byte-level: the existing byte-level fixture (byte-level-bpe.json) on the same texts; byte-level-llada-moe.json:
that vocabulary behind LLaDA-MoE's pre-tokenizer (Split on the released tokenizer's regex, which llama.cpp quotes
for its "llada-moe"/"bailingmoe" pre-tokenizer, then ByteLevel without its own regex).
"""
import json
import os

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BASE = os.path.join(ROOT, "Tests", "DiffusionEngineTests", "Fixtures", "tokenizers")
OUT = os.path.join(BASE, "spm")
LLADA_MOE_PATTERN = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"
SPECIALS = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>", "<start_of_turn>", "<end_of_turn>"]
CORPUS = [
    "The quick brown fox jumps over the lazy dog. It's 2026 and we're testing 12345 tokens!",
    "Diffusion language models write a whole canvas at once.\nSamplers choose positions to commit.",
    "Größe, naïve café — 日本語 text and tabs\tand   spaces.",
    "def f(x):\n    return x ** 2  # square\n",
    "user\nWhat is 2 + 2?\nmodel\nThe answer is 4.",
]
TEXTS = [
    "Hello  wörld, it's 42!",
    "  leading and trailing spaces   ",
    "tabs\tand\nnewlines\n\n\nend",
    "x          y",
    "日本語のテキスト and 中文",
    "emoji 🙂👍🏽 and 👨‍👩‍👧 family",
    "cafe\u0301 and café",
    "<start_of_turn>user\nWhat is 2 + 2?<end_of_turn>\n<start_of_turn>model\n",
    "<bos><mask><mask> fill the canvas",
    "[multimodal] inline[multimodal]x",
    "a▁b with a literal ▁",
    b"invalid \xe6\x97 bytes \xff end".decode("utf-8", "replace"),
    " ",
    "",
]


def byte_token(b):
    return f"<0x{b:02X}>"


def train():
    tok = Tokenizer(models.BPE(byte_fallback=True, unk_token="<unk>"))
    tok.normalizer = normalizers.Replace(" ", "▁")
    trainer = trainers.BpeTrainer(vocab_size=480, special_tokens=SPECIALS, show_progress=False)
    tok.train_from_iterator(CORPUS * 20, trainer)
    spec = json.loads(tok.to_str())
    # Put the 256 byte tokens after the special tokens, as SentencePiece vocabularies have them.
    old = sorted(spec["model"]["vocab"].items(), key=lambda kv: kv[1])
    pieces = [p for p, _ in old if p in SPECIALS] + [byte_token(b) for b in range(256)]
    pieces += [p for p, _ in old if p not in SPECIALS and p not in pieces]
    spec["model"]["vocab"] = {p: i for i, p in enumerate(pieces)}
    for added in spec["added_tokens"]:
        added["id"] = spec["model"]["vocab"][added["content"]]
    spec["decoder"] = None
    tok = Tokenizer.from_str(json.dumps(spec))
    tok.add_tokens([AddedToken("[multimodal]", normalized=True, special=False)])
    return tok


def configured(base, normalizer=None, pre_tokenizer=None, decoder=None, bos=False):
    tok = Tokenizer.from_str(base.to_str())
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoder
    if bos:  # as Gemma's and Llama's files do: <bos> before the sequence when special tokens are added
        tok.post_processor = bos_processor(tok.token_to_id("<bos>"))
    return tok


def bos_processor(bos_id):
    return processors.TemplateProcessing(single="<bos> $A", special_tokens=[("<bos>", bos_id)])


def spm_decoder(strip):
    steps = [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()]
    return decoders.Sequence(steps + ([decoders.Strip(" ", 1, 0)] if strip else []))


def legacy_normalizer():
    return normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])


def gguf_vocabulary(tok):
    vocab = tok.get_vocab(with_added_tokens=True)
    tokens = [p for p, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    types, scores = [], []
    for i, p in enumerate(tokens):
        if p == "<unk>":
            types.append(2)
        elif p in SPECIALS:
            types.append(3)
        elif p == "[multimodal]":
            types.append(4)
        elif p.startswith("<0x") and len(p) == 6:
            types.append(6)
        else:
            types.append(1)
        scores.append(float(-i) if types[-1] == 1 else 0.0)
    return tokens, scores, types


def derived_reference(tokens, scores, types, add_space_prefix):
    """tokenizers running the GGUF vocabulary, merges derived from the scores (transformers' SentencePieceExtractor)."""
    vocab = {p: i for i, p in enumerate(tokens)}
    merges = []
    for piece, score in zip(tokens, scores):
        local = [(piece[:k], piece[k:], score) for k in range(1, len(piece)) if piece[:k] in vocab and piece[k:] in vocab]
        merges += sorted(local, key=lambda m: (vocab[m[0]], vocab[m[1]]))
    merges = [(l, r) for l, r, _ in sorted(merges, key=lambda m: m[2], reverse=True)]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, byte_fallback=True, unk_token="<unk>"))
    tok.add_tokens([AddedToken(p, special=t == 3, normalized=False) for p, t in zip(tokens, types) if t in (3, 4)])
    tok.normalizer = legacy_normalizer() if add_space_prefix else normalizers.Replace(" ", "▁")
    tok.decoder = spm_decoder(strip=add_space_prefix)
    tok.post_processor = bos_processor(vocab["<bos>"])  # llama.cpp adds BOS to "llama" vocabularies by default
    return tok


def cases(tok, byte_ids):
    out = {"cases": [], "decode_cases": []}
    for text in TEXTS:
        ids = tok.encode(text, add_special_tokens=False).ids
        out["cases"].append({"text": text, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False),
                             "ids_with_special": tok.encode(text).ids})
    hello = tok.encode("Hello", add_special_tokens=False).ids
    for ids in [byte_ids([0xE6, 0x97]), byte_ids([0xE6, 0x97, 0xA5]), byte_ids([0xFF]), hello + byte_ids([0xF0, 0x9F]),
                byte_ids([0x80]) + hello, byte_ids([0xE6]) + hello + byte_ids([0x97, 0xA5])]:
        out["decode_cases"].append({"ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False)})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    base = train()
    vocab = base.get_vocab(with_added_tokens=True)
    spm_bytes = lambda bs: [vocab[byte_token(b)] for b in bs]
    configs = {
        "gemma": configured(base, normalizers.Replace(" ", "▁"), None, spm_decoder(strip=False), bos=True),
        "llama-legacy": configured(base, legacy_normalizer(), None, spm_decoder(strip=True), bos=True),
        "metaspace-first": configured(base, None, pre_tokenizers.Metaspace("▁", "first", split=False), spm_decoder(strip=True)),
        "metaspace-split": configured(base, None, pre_tokenizers.Metaspace("▁", "always", split=True),
                                      decoders.Sequence([decoders.ByteFallback(), decoders.Metaspace("▁", "always")])),
        # Gemma's own files add Split(" ", MergedWithPrevious), a no-op after the normalizer; split on "▁" instead
        # so that the behaviour is exercised.
        "gemma-split": configured(base, normalizers.Replace(" ", "▁"), pre_tokenizers.Split("▁", "merged_with_previous"),
                                  spm_decoder(strip=False)),
    }
    golden = {}
    for name, tok in configs.items():
        tok.save(os.path.join(OUT, f"{name}.json"))
        golden[name] = cases(tok, spm_bytes)
    tokens, scores, types = gguf_vocabulary(base)
    with open(os.path.join(OUT, "gguf-vocab.json"), "w") as f:
        json.dump({"tokens": tokens, "scores": scores, "token_type": types}, f, ensure_ascii=False)
    for prefix in (True, False):
        golden[f"gguf-llama-space-prefix-{str(prefix).lower()}"] = cases(derived_reference(tokens, scores, types, prefix), spm_bytes)
    # The byte-level fixture on the same texts (its special tokens are <|mask|> and <|eos|>).
    byte_level = Tokenizer.from_file(os.path.join(BASE, "byte-level-bpe.json"))
    table = pre_tokenizers.ByteLevel.alphabet()
    alphabet = {}
    for b in range(256):  # GPT-2's byte-to-character table, as ByteLevel.swift builds it
        printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    codes, n = printable[:], 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + n)
            n += 1
    alphabet = {b: chr(c) for b, c in zip(printable, codes)}
    assert set(alphabet.values()) == set(table)
    bl_vocab = byte_level.get_vocab()
    golden["byte-level"] = cases(byte_level, lambda bs: [bl_vocab[alphabet[b]] for b in bs])
    llada = Tokenizer.from_str(byte_level.to_str())
    llada.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(LLADA_MOE_PATTERN), "isolated"),
                                                   pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    llada.save(os.path.join(OUT, "byte-level-llada-moe.json"))
    golden["byte-level-llada-moe"] = cases(llada, lambda bs: [bl_vocab[alphabet[b]] for b in bs])
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump({"configs": golden}, f, ensure_ascii=False, indent=0)
    print(f"wrote {len(golden)} configurations x {len(TEXTS)} texts to {OUT}")


if __name__ == "__main__":
    main()
