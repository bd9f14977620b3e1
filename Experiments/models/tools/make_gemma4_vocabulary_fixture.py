"""Reference for the GGUF `gemma4` vocabulary, for GGUFGemma4VocabularyTests.

  /work/venvs/tok/bin/python Experiments/models/tools/make_gemma4_vocabulary_fixture.py   (pip install tokenizers)
  /work/venvs/gemma4vocab/bin/python Experiments/models/tools/make_gemma4_vocabulary_fixture.py --llama-cpp-gguf

llama.cpp reads a `gemma4` vocabulary (Gemma 4, DiffusionGemma) as BPE over its merges on the text with spaces
as "▁", split into runs of newlines and runs of everything else (regex `[^\\n]+|[\\n]+`), a newline run that is a
token kept whole, bytes without a token as <0xXX> (src/llama-vocab.cpp, `llm_tokenizer_bpe_session::tokenize`).
Hugging Face `tokenizers` runs exactly that as: gemma.json (make_spm_tokenizer_fixtures.py: Replace(" ", "▁"),
BPE with byte fallback, decoder Replace/ByteFallback/Fuse, "<bos> $A") with the pre-tokenizer
Split(Regex("\\n+"), "isolated"), plus Gemma's newline-run tokens "\\n\\n" and "\\n\\n\\n" as added tokens that are
not special (which no merge reaches; llama.cpp's converter writes them as normal tokens, and its whole-run rule
gives them back). Writes spm/gemma4.json and spm/gemma4-golden.json ({"cases": [{text, ids, decoded,
ids_with_special}], "decode_cases": [{ids, decoded}]}) on the hard texts of make_spm_tokenizer_fixtures.py and a
few newline runs.

With `--llama-cpp-gguf` (pip install gguf transformers) it also writes spm/gemma4-llamacpp.gguf, a vocabulary-only
GGUF made the way llama.cpp's converter makes one (conversion/gemma.py `Gemma4Model.set_vocab`: gguf-py
`LlamaHfVocab` tokens, scores and types with the chat-channel tokens user-defined, `tokenizer.ggml.model`
"gemma4", `SpecialVocab(load_merges=True)`, `add_space_prefix` false, `add_bos_token` true), from gemma4.json
and a tokenizer_config.json naming Gemma's special tokens, so the Swift reader is checked on a file llama.cpp's
own code wrote.
"""
import json
import os
import sys
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, pre_tokenizers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_spm_tokenizer_fixtures import OUT, TEXTS, byte_token, cases  # noqa: E402

NEWLINE_TEXTS = ["a\n\nb", "one\n\n\ntwo\nthree", "\n\n", "end\n\n\n", "x \n\n y"]


def write_llama_cpp_gguf(tokenizer_json):
    import shutil
    import tempfile

    import gguf

    folder = tempfile.mkdtemp()
    try:
        shutil.copy(tokenizer_json, os.path.join(folder, "tokenizer.json"))
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump({"bos_token": "<bos>", "eos_token": "<eos>", "unk_token": "<unk>", "pad_token": "<pad>",
                       "mask_token": "<mask>", "additional_special_tokens": ["<start_of_turn>", "<end_of_turn>"],
                       "add_bos_token": True, "add_eos_token": False}, f)
        vocab = gguf.LlamaHfVocab(Path(folder))
        visible = {"<|channel>", "<channel|>", "<|tool_call>", "<tool_call|>", "<|tool_response>", "<tool_response|>", '<|"|>'}
        tokens, scores, types = [], [], []
        for text, score, kind in vocab.all_tokens():
            tokens.append(text)
            scores.append(score)
            types.append(gguf.TokenType.USER_DEFINED if text.decode() in visible else kind)
        assert len(tokens) == vocab.vocab_size
        path = os.path.join(OUT, "gemma4-llamacpp.gguf")
        writer = gguf.GGUFWriter(path, "gemma4")
        writer.add_tokenizer_model("gemma4")
        writer.add_token_list(tokens)
        writer.add_token_scores(scores)
        writer.add_token_types(types)
        gguf.SpecialVocab(Path(folder), load_merges=True).add_to_gguf(writer)
        writer.add_add_space_prefix(False)
        writer.add_add_bos_token(True)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        print(f"wrote {path}: {len(tokens)} tokens")
    finally:
        shutil.rmtree(folder)


def main():
    tok = Tokenizer.from_file(os.path.join(OUT, "gemma.json"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("\n+"), "isolated")
    tok.add_tokens([AddedToken(run, normalized=False, special=False) for run in ("\n\n", "\n\n\n")])
    tok.save(os.path.join(OUT, "gemma4.json"))
    vocab = tok.get_vocab(with_added_tokens=True)
    TEXTS.extend(NEWLINE_TEXTS)
    golden = cases(tok, lambda bs: [vocab[byte_token(b)] for b in bs])
    with open(os.path.join(OUT, "gemma4-golden.json"), "w") as f:
        json.dump(golden, f, ensure_ascii=False, indent=0)
    print(f"wrote {len(golden['cases'])} cases and {len(golden['decode_cases'])} decodings to {OUT}")
    if "--llama-cpp-gguf" in sys.argv:
        write_llama_cpp_gguf(os.path.join(OUT, "gemma4.json"))


if __name__ == "__main__":
    main()
