"""Prompt-encoding fixtures: how Hugging Face transformers encodes a prompt for a tokenizer that adds <bos>, for
the Swift side's `encodePrompt` parity test (Tests/DiffusionEngineTests/PromptEncodingTests.swift).

  /work/venvs/samplers/bin/python Experiments/models/tools/make_prompt_encoding_fixtures.py   (pip install transformers jinja2)

Each configuration is a model folder made of one of the SentencePiece-style tokenizer.json fixtures
(Tests/DiffusionEngineTests/Fixtures/tokenizers/spm/, make_spm_tokenizer_fixtures.py) and a tokenizer_config.json
written here (Tests/DiffusionEngineTests/Fixtures/tokenizers/prompts/NAME.tokenizer_config.json):

  gemma-template      gemma.json (TemplateProcessing "<bos> $A"), no add_* flags, Gemma 3's chat template (which
                      writes {{ bos_token }} itself)
  config-flags-on     metaspace-first.json (no post-processor), add_bos_token and add_eos_token true, Ling 2.0's
                      chat template (which writes no <bos>)
  config-flags-off    gemma.json with add_bos_token false
transformers 5 leaves tokenizer.json's post-processor as it is whatever the add_* flags say (transformers 4's
LlamaTokenizerFast and GemmaTokenizerFast rebuilt it from them), so the last two add what tokenizer.json adds.

For each text, golden.json records `tokenizer(text)["input_ids"]` (the plain prompt of `dlab sample` and
`dlab sweep`) and `apply_chat_template([{"role": "user", "content": text}], add_generation_prompt=True,
tokenize=True)` (the prompt of `dlab sample --chat`): {"configs": {name: {"tokenizer_json": file, "cases":
[{text, ids, chat_ids}]}}}.
"""
import json
import os
import shutil
import tempfile

from transformers import AutoTokenizer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "DiffusionEngineTests", "Fixtures")
SPM = os.path.join(FIXTURES, "tokenizers", "spm")
OUT = os.path.join(FIXTURES, "tokenizers", "prompts")
TEMPLATES = os.path.join(FIXTURES, "chat-templates")
TEXTS = ["What is 2 + 2?", "  leading spaces and 日本語 🙂", "<bos>already there", "tabs\tand\nnewlines"]


def template(name):
    with open(os.path.join(TEMPLATES, name)) as f:
        return f.read()


CONFIGS = {
    "gemma-template": ("gemma.json", {"bos_token": "<bos>", "eos_token": "<eos>", "chat_template": template("gemma-3-it.jinja")}),
    "config-flags-on": ("metaspace-first.json", {"add_bos_token": True, "add_eos_token": True, "bos_token": "<bos>",
                                             "eos_token": {"__type": "AddedToken", "content": "<eos>", "lstrip": False, "normalized": False, "rstrip": False, "single_word": False},
                                             "chat_template": template("ling-2.0.jinja")}),
    "config-flags-off": ("gemma.json", {"add_bos_token": False, "bos_token": "<bos>", "eos_token": "<eos>",
                                        "chat_template": template("gemma-3-it.jinja")}),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    golden = {}
    for name, (tokenizer_json, config) in CONFIGS.items():
        config_path = os.path.join(OUT, f"{name}.tokenizer_config.json")
        with open(config_path, "w") as f:
            json.dump(config, f, ensure_ascii=False, indent=1)
        folder = tempfile.mkdtemp()
        try:
            shutil.copy(os.path.join(SPM, tokenizer_json), os.path.join(folder, "tokenizer.json"))
            shutil.copy(config_path, os.path.join(folder, "tokenizer_config.json"))
            tok = AutoTokenizer.from_pretrained(folder)
            cases = []
            for text in TEXTS:
                chat = tok.apply_chat_template([{"role": "user", "content": text}], add_generation_prompt=True,
                                               tokenize=True)
                if isinstance(chat, dict) or hasattr(chat, "input_ids"):  # BatchEncoding in transformers 5
                    chat = chat["input_ids"]
                cases.append({"text": text, "ids": tok(text)["input_ids"], "chat_ids": list(chat)})
            golden[name] = {"tokenizer_json": tokenizer_json, "cases": cases}
        finally:
            shutil.rmtree(folder)
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump({"configs": golden}, f, ensure_ascii=False, indent=1)
    print(f"wrote {len(golden)} configurations x {len(TEXTS)} texts to {OUT}")


if __name__ == "__main__":
    main()
