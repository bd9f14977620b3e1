"""Checks that a GGUF file written by `dlab quantize` (LLaDA-MoE or DiffusionGemma) reads back with the `gguf` package (gguf.GGUFReader) with
the tensors of the Hugging Face folder it came from: every expected llama.cpp tensor name present once and
nothing else, shapes matching (stacked experts [E, rows, columns]), and the package's dequantization of each
tensor close to the original weights (relative RMS error below what the tensor's type allows); and the tokenizer
metadata against the folder's tokenizer.json: `tokenizer.ggml.model` ("llama" for SentencePiece-style BPE with
byte fallback, "gemma4" for it when config.json is Gemma 4's or DiffusionGemma's as llama.cpp's converter decides,
"gpt2" for other BPE, "none" for WordLevel), every token at its id, token types (3 special added tokens, 4 other
added tokens, 6 `<0xXX>` byte tokens of a "llama"/"gemma4" vocabulary), one score per token for "llama" and
"gemma4", the merges of "gemma4" as "left right" strings with `add_space_prefix` false,
`add_bos_token`/`bos_token_id` as the post-processor adds them, the file itself as `tokenizer.huggingface.json`,
and tokenizer_config.json's `chat_template` (when a string) as `tokenizer.chat_template`.

Run: /work/venvs/gguf/bin/python Experiments/models/tools/check_gguf_readback.py MODEL_DIR FILE.gguf
(pip install gguf numpy safetensors). Exit status 1 on any mismatch.
"""
import json
import os
import sys

import numpy as np
import gguf
from safetensors.numpy import load_file

# Relative RMS error each type may introduce on trained weights.
BOUND = {"F32": 0, "F16": 1e-3, "Q8_0": 0.01, "Q6_K": 0.02, "Q5_1": 0.06, "Q5_0": 0.06, "Q5_K": 0.05,
         "Q4_1": 0.1, "Q4_0": 0.12, "Q4_K": 0.1}


def expected_gemma_tensors(config, weights):
    """DiffusionGemma: the llama.cpp names of make_diffusiongemma_gguf_fixture.py, plus the generated rope_freqs."""
    from make_diffusiongemma_gguf_fixture import gguf_name
    out = {gguf_name(k): v for k, v in weights.items() if gguf_name(k) is not None}
    t = config["text_config"]
    kinds = t["layer_types"]
    if "full_attention" in kinds:
        full = kinds.index("full_attention")
        # As the configuration builds it: explicit per_layer_config, else global_head_dim (default 512).
        if "per_layer_config" in t:
            head = t["per_layer_config"].get(str(full), {}).get("head_dim", t.get("head_dim", 256))
        else:
            head = t.get("global_head_dim", 512)
        partial = t.get("rope_parameters", {}).get("full_attention", {}).get("partial_rotary_factor", 0.25)
        rotated = int(partial * head / 2)
        out["rope_freqs.weight"] = np.array([1.0] * rotated + [1e30] * (head // 2 - rotated), dtype=np.float32)
    return out


def expected_tensors(folder):
    config = json.load(open(f"{folder}/config.json"))
    weights = load_file(f"{folder}/model.safetensors")
    if config["model_type"] == "diffusion_gemma":
        return config, expected_gemma_tensors(config, weights)
    out = {"token_embd.weight": weights["model.embed_tokens.weight"], "output_norm.weight": weights["model.norm.weight"]}
    if not config.get("tie_word_embeddings", False):
        out["output.weight"] = weights["lm_head.weight"]
    names = {"input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
             "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "self_attn.q_norm": "attn_q_norm",
             "self_attn.k_norm": "attn_k_norm", "post_attention_layernorm": "ffn_norm", "mlp.gate": "ffn_gate_inp"}
    for n in range(config["num_hidden_layers"]):
        for hf, gg in names.items():
            key = f"model.layers.{n}.{hf}.weight"
            if key in weights:
                out[f"blk.{n}.{gg}.weight"] = weights[key]
        for kind in ("gate", "up", "down"):
            out[f"blk.{n}.ffn_{kind}_exps.weight"] = np.stack(
                [weights[f"model.layers.{n}.mlp.experts.{e}.{kind}_proj.weight"] for e in range(config["num_experts"])])
    return config, out


def sentencepiece_style(spec):
    """BPE with byte fallback whose spaces become "▁" (Replace normalizer or Metaspace pre-tokenizer)."""
    def steps(item, key):
        if not item:
            return []
        if item.get("type") == "Sequence":
            return [s for sub in item.get(key, []) for s in steps(sub, key)]
        return [item]
    model = spec["model"]
    if model.get("type") != "BPE" or not model.get("byte_fallback"):
        return False
    replaces = any(n.get("type") == "Replace" and n.get("pattern", {}).get("String") == " " and n.get("content") == "▁"
                   for n in steps(spec.get("normalizer"), "normalizers"))
    return replaces or any(p.get("type") == "Metaspace" for p in steps(spec.get("pre_tokenizer"), "pretokenizers"))


# What llama.cpp's converter writes as a "gemma4" vocabulary (conversion/gemma.py Gemma4Model and subclasses,
# conversion/diffusion_gemma.py DiffusionGemmaModel), as GGUFGemma4Vocabulary.swift lists them.
GEMMA4_ARCHITECTURES = {"Gemma4ForConditionalGeneration", "Gemma4ForCausalLM", "Gemma4UnifiedForConditionalGeneration",
                        "Gemma4AssistantForCausalLM", "Gemma4UnifiedAssistantForCausalLM", "Gemma4DSparkModel",
                        "DiffusionGemma4ModelForBlockDiffusion", "DiffusionGemmaForBlockDiffusion"}
GEMMA4_MODEL_TYPES = {"gemma4", "gemma4_text", "diffusion_gemma", "diffusion_gemma_text"}


def is_gemma4(config):
    return bool(GEMMA4_ARCHITECTURES & set(config.get("architectures") or [])) or config.get("model_type") in GEMMA4_MODEL_TYPES


def check_tokenizer(folder, config, reader):
    problems = []
    text = open(f"{folder}/tokenizer.json", encoding="utf-8").read()
    spec = json.loads(text)
    field = lambda key: reader.fields[key].contents() if key in reader.fields else None
    spm_model = "gemma4" if is_gemma4(config) else "llama"
    expected_model = (spm_model if sentencepiece_style(spec) else "gpt2") if spec["model"].get("type") == "BPE" else "none"
    if field("tokenizer.ggml.model") != expected_model:
        problems.append(f"tokenizer.ggml.model is {field('tokenizer.ggml.model')!r}, expected {expected_model!r}")
    pieces = {i: p for p, i in spec["model"]["vocab"].items()}
    added = {a["id"]: a for a in spec.get("added_tokens", [])}
    pieces.update({i: a["content"] for i, a in added.items()})
    tokens, types = field("tokenizer.ggml.tokens") or [], field("tokenizer.ggml.token_type") or []
    vocabulary = config.get("vocab_size") or config.get("text_config", {}).get("vocab_size")  # DiffusionGemma nests it
    if len(tokens) != vocabulary or len(types) != len(tokens):
        problems.append(f"{len(tokens)} tokens and {len(types)} token types for a vocabulary of {vocabulary}")
    for i, (token, kind) in enumerate(zip(tokens, types)):
        expected = pieces.get(i, f"[PAD{i}]")
        if token != expected:
            problems.append(f"token {i} is {token!r}, expected {expected!r}")
        want = 5 if i not in pieces else (3 if added[i]["special"] else 4) if i in added else \
            6 if expected_model in ("llama", "gemma4") and len(expected) == 6 and expected.startswith("<0x") else None
        if want is not None and kind != want:
            problems.append(f"token {i} ({expected!r}) has type {kind}, expected {want}")
    if expected_model in ("llama", "gemma4") and len(field("tokenizer.ggml.scores") or []) != len(tokens):
        problems.append(f"a {expected_model} vocabulary needs one tokenizer.ggml.scores entry per token")
    if expected_model == "gemma4":
        merges = [m if isinstance(m, str) else " ".join(m) for m in spec["model"].get("merges", [])]
        if field("tokenizer.ggml.merges") != merges:
            problems.append("tokenizer.ggml.merges is not tokenizer.json's model.merges as 'left right' strings")
        if field("tokenizer.ggml.add_space_prefix") is not False:
            problems.append("a gemma4 vocabulary needs tokenizer.ggml.add_space_prefix false")
    processor = spec.get("post_processor") or {}
    single = processor.get("single", []) if processor.get("type") == "TemplateProcessing" else []
    bos = single[0]["SpecialToken"]["id"] if single and "SpecialToken" in single[0] else None
    if field("tokenizer.ggml.add_bos_token") != (bos is not None):
        problems.append(f"tokenizer.ggml.add_bos_token is {field('tokenizer.ggml.add_bos_token')}, the post-processor adds {bos!r}")
    if bos is not None and field("tokenizer.ggml.bos_token_id") != processor["special_tokens"][bos]["ids"][0]:
        problems.append(f"tokenizer.ggml.bos_token_id is {field('tokenizer.ggml.bos_token_id')}, not the id of {bos!r}")
    if field("tokenizer.huggingface.json") != text:
        problems.append("tokenizer.huggingface.json is not the folder's tokenizer.json")
    try:
        template = json.load(open(f"{folder}/tokenizer_config.json", encoding="utf-8")).get("chat_template")
    except FileNotFoundError:
        template = None
    if isinstance(template, str) and field("tokenizer.chat_template") != template:
        problems.append("tokenizer.chat_template is not tokenizer_config.json's chat_template")
    print(f"tokenizer: {expected_model!r}, {len(tokens)} tokens, add_bos_token {field('tokenizer.ggml.add_bos_token')}"
          + ("" if problems else ", as expected"))
    return problems


def main(folder, path):
    config, expected = expected_tensors(folder)
    reader = gguf.GGUFReader(path)
    problems = []
    arch = reader.fields["general.architecture"].contents()
    gemma = config["model_type"] == "diffusion_gemma"
    if arch != ("diffusion-gemma" if gemma else "llada-moe"):
        problems.append(f"general.architecture is {arch!r}")
    keys = [("diffusion-gemma.block_count", config["text_config"]["num_hidden_layers"]),
            ("diffusion-gemma.expert_count", config["text_config"]["num_experts"]),
            ("diffusion.canvas_length", config["canvas_length"])] if gemma else [
            ("llada-moe.block_count", config["num_hidden_layers"]), ("llada-moe.expert_count", config["num_experts"]),
            ("tokenizer.ggml.mask_token_id", config["mask_token_id"])]
    for key, value in keys:
        if key not in reader.fields or reader.fields[key].contents() != value:
            problems.append(f"metadata {key} is not {value}")
    seen = set()
    for tensor in reader.tensors:
        name = tensor.name
        if name in seen:
            problems.append(f"{name} appears twice")
        seen.add(name)
        if name not in expected:
            problems.append(f"unexpected tensor {name}")
            continue
        reference = expected[name].astype(np.float32)
        values = gguf.quants.dequantize(tensor.data, tensor.tensor_type).reshape(reference.shape)
        if name == "rope_freqs.weight":  # 1e30 entries would overflow the RMS: compare exactly
            error = 0.0 if np.array_equal(values, reference) else 1.0
        else:
            error = float(np.sqrt(np.sum((values - reference) ** 2) / max(np.sum(reference ** 2), 1e-30)))
        bound = BOUND[tensor.tensor_type.name]
        status = "ok" if error <= bound else "TOO LARGE"
        print(f"{name:32s} {tensor.tensor_type.name:5s} {str(list(reference.shape)):18s} rel. RMS error {error:.2e} {status}")
        if error > bound:
            problems.append(f"{name}: relative RMS error {error:.3g} above {bound} for {tensor.tensor_type.name}")
    for name in expected:
        if name not in seen:
            problems.append(f"missing tensor {name}")
    problems += check_tokenizer(folder, config, reader)
    print("\n".join(problems) if problems else f"{path}: {len(seen)} tensors read back, all as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main(sys.argv[1], sys.argv[2]))
