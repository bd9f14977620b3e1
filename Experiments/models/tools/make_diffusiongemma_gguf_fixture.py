"""Writes a DiffusionGemma GGUF fixture with the `gguf` package, the way llama.cpp's converter names it, and the
F32 reference it must match (Tests/DiffusionEngineTests/Fixtures/gguf/).

diffusiongemma.gguf: the transformers-written parity checkpoint (Fixtures/diffusiongemma-parity, 4 layers, hidden
32) as conversion/diffusion_gemma.py on conversion/gemma.py `Gemma4Model` writes it
(https://github.com/ggml-org/llama.cpp/blob/c5fe75b9765965614260f534a89a51ad03244a8e/conversion/diffusion_gemma.py):
architecture `diffusion-gemma`, Gemma 4's per-layer keys (`attention.head_count_kv` array,
`attention.sliding_window_pattern`, `key_length`/`key_length_swa`, `rope.freq_base`/`rope.freq_base_swa`),
`diffusion.canvas_length`, `diffusion.eb_*` from generation_config.json, tensors `token_embd`,
`blk.N.attn_*`, fused `ffn_gate_up_exps`, `ffn_down_exps` + `.scale`, `ffn_gate_inp` + `.scale`,
`layer_output_scale`, `enc_layer_output_scale`, `self_cond_*` and the generated `rope_freqs` (1 rotated, 1e30 not).
Matrices whose rows are 32 long are quantized with `gguf.quants.quantize` to Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 and BF16 in
turn; rows of 24 or 12 (no whole block) stay F16 or F32, as llama-quantize leaves them.

diffusiongemma-dequantized/: config.json of the checkpoint and model.safetensors with `gguf.quants.dequantize` of
every tensor under its Hugging Face name (the encoder's layer scalars included). DiffusionGemmaGGUFTests loads both
and compares the decoder logits: the reference F32 run on the dequantized weights.

Run: /work/venvs/gguf/bin/python Experiments/models/tools/make_diffusiongemma_gguf_fixture.py   (pip install gguf numpy safetensors)
Deterministic: rerunning rewrites identical files.
"""
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from safetensors.numpy import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "../../../Tests/DiffusionEngineTests/Fixtures")
SOURCE = os.path.join(FIXTURES, "diffusiongemma-parity")
OUT = os.path.join(FIXTURES, "gguf")
ARCH = "diffusion-gemma"

LAYER = {
    "input_layernorm.weight": "attn_norm.weight", "self_attn.q_proj.weight": "attn_q.weight",
    "self_attn.k_proj.weight": "attn_k.weight", "self_attn.v_proj.weight": "attn_v.weight",
    "self_attn.o_proj.weight": "attn_output.weight", "self_attn.q_norm.weight": "attn_q_norm.weight",
    "self_attn.k_norm.weight": "attn_k_norm.weight", "post_attention_layernorm.weight": "post_attention_norm.weight",
    "pre_feedforward_layernorm.weight": "ffn_norm.weight", "mlp.gate_proj.weight": "ffn_gate.weight",
    "mlp.up_proj.weight": "ffn_up.weight", "mlp.down_proj.weight": "ffn_down.weight",
    "post_feedforward_layernorm_1.weight": "post_ffw_norm_1.weight",
    "pre_feedforward_layernorm_2.weight": "pre_ffw_norm_2.weight", "router.proj.weight": "ffn_gate_inp.weight",
    "router.scale": "ffn_gate_inp.scale", "router.per_expert_scale": "ffn_down_exps.scale",
    "experts.gate_up_proj": "ffn_gate_up_exps.weight", "experts.down_proj": "ffn_down_exps.weight",
    "post_feedforward_layernorm_2.weight": "post_ffw_norm_2.weight",
    "post_feedforward_layernorm.weight": "post_ffw_norm.weight", "layer_scalar": "layer_output_scale.weight",
}
GLOBAL = {
    "model.decoder.embed_tokens.weight": "token_embd.weight", "model.decoder.norm.weight": "output_norm.weight",
    "model.decoder.self_conditioning.pre_norm.weight": "self_cond_pre_norm.weight",
    "model.decoder.self_conditioning.gate_proj.weight": "self_cond_gate.weight",
    "model.decoder.self_conditioning.up_proj.weight": "self_cond_up.weight",
    "model.decoder.self_conditioning.down_proj.weight": "self_cond_down.weight",
}


def gguf_name(name):
    if name in GLOBAL:
        return GLOBAL[name]
    for prefix, encoder in (("model.encoder.language_model.layers.", True), ("model.decoder.layers.", False)):
        if name.startswith(prefix):
            layer, rest = name[len(prefix):].split(".", 1)
            if encoder:
                return f"blk.{layer}.enc_layer_output_scale.weight" if rest == "layer_scalar" else None
            return f"blk.{layer}." + LAYER[rest] if rest in LAYER else None
    return None


def main():
    config = json.load(open(os.path.join(SOURCE, "config.json")))
    generation = json.load(open(os.path.join(SOURCE, "generation_config.json")))
    t = config["text_config"]
    kinds = t["layer_types"]
    per_layer = t["per_layer_config"]
    head = lambda i: per_layer.get(str(i), {}).get("head_dim", t["head_dim"])
    kv = lambda i: per_layer.get(str(i), {}).get("num_key_value_heads", t["num_key_value_heads"])
    full = kinds.index("full_attention")
    sliding = kinds.index("sliding_attention")
    ropes = t["rope_parameters"]

    writer = gguf.GGUFWriter(os.path.join(OUT, "diffusiongemma.gguf"), ARCH)
    a = ARCH + "."
    u32 = writer.add_uint32
    u32(a + "vocab_size", t["vocab_size"])
    u32(a + "context_length", t["max_position_embeddings"])
    u32(a + "embedding_length", t["hidden_size"])
    u32(a + "block_count", t["num_hidden_layers"])
    u32(a + "feed_forward_length", t["intermediate_size"])
    u32(a + "attention.head_count", t["num_attention_heads"])
    writer.add_array(a + "attention.head_count_kv", [kv(i) for i in range(len(kinds))])
    writer.add_float32(a + "attention.layer_norm_rms_epsilon", t["rms_norm_eps"])
    u32(a + "attention.key_length", head(full))
    u32(a + "attention.value_length", head(full))
    u32(a + "attention.key_length_swa", head(sliding))
    u32(a + "attention.value_length_swa", head(sliding))
    u32(a + "attention.sliding_window", t["sliding_window"])
    writer.add_array(a + "attention.sliding_window_pattern", [k == "sliding_attention" for k in kinds])
    writer.add_bool(a + "attention.causal", False)
    writer.add_float32(a + "rope.freq_base", ropes["full_attention"]["rope_theta"])
    writer.add_float32(a + "rope.freq_base_swa", ropes["sliding_attention"]["rope_theta"])
    u32(a + "rope.dimension_count", head(full))
    u32(a + "rope.dimension_count_swa", head(sliding))
    writer.add_float32(a + "final_logit_softcapping", t.get("final_logit_softcapping", 30.0))
    u32(a + "expert_count", t["num_experts"])
    u32(a + "expert_used_count", t["top_k_experts"])
    u32(a + "expert_feed_forward_length", t["moe_intermediate_size"])
    u32(a + "shared_kv_layers", 0)
    u32(a + "embedding_length_per_layer_input", 0)
    u32("diffusion.canvas_length", config["canvas_length"])
    u32("diffusion.eb_max_steps", generation["max_denoising_steps"])
    writer.add_float32("diffusion.eb_t_min", generation["t_min"])
    writer.add_float32("diffusion.eb_t_max", generation["t_max"])
    writer.add_float32("diffusion.eb_entropy_bound", generation["sampler_config"]["entropy_bound"])
    u32("diffusion.eb_stability_threshold", generation["stability_threshold"])
    writer.add_float32("diffusion.eb_confidence_threshold", generation["confidence_threshold"])
    u32("tokenizer.ggml.eos_token_id", t["eos_token_id"])
    u32("tokenizer.ggml.bos_token_id", t["bos_token_id"])
    u32("tokenizer.ggml.padding_token_id", t["pad_token_id"])

    hf = {}
    cycle = [T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.BF16]
    count = 0
    # Gemma4Model.generate_extra_tensors: proportional RoPE as divisors, 1 for rotated pairs, 1e30 for the rest.
    half = head(full) // 2
    rotated = int(ropes["full_attention"].get("partial_rotary_factor", 1.0) * head(full) / 2)
    writer.add_tensor("rope_freqs.weight", np.array([1.0] * rotated + [1e30] * (half - rotated), dtype=np.float32))
    tensors = load_file(os.path.join(SOURCE, "model.safetensors"))
    for name in sorted(tensors):
        target = gguf_name(name)
        if target is None:
            continue  # the vision tower
        values = tensors[name].astype(np.float32)
        if values.ndim == 1 or target.endswith("ffn_gate_inp.weight"):
            qtype = T.F32
        elif values.shape[-1] % 32 != 0:
            qtype = T.F16
        else:
            qtype = cycle[count % len(cycle)]
            count += 1
        if qtype == T.F32:
            data = values
        elif qtype == T.F16:
            data = values.astype(np.float16)
        else:
            data = gguf.quants.quantize(values, qtype)
        writer.add_tensor(target, data, raw_dtype=None if qtype in (T.F32, T.F16) else qtype)
        restored = values if qtype == T.F32 else (
            data.astype(np.float32) if qtype == T.F16 else gguf.quants.dequantize(data, qtype))
        hf[name] = np.ascontiguousarray(np.asarray(restored, dtype=np.float32).reshape(values.shape))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    folder = os.path.join(OUT, "diffusiongemma-dequantized")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump(generation, f, indent=1)
    save_file(dict(sorted(hf.items())), os.path.join(folder, "model.safetensors"))


if __name__ == "__main__":
    main()
