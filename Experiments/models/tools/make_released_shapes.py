#!/usr/bin/env python3
"""Random-weight checkpoints with the shapes of released models, for `dlab bench --model M --footprint`.

They are large (LLaDA-MoE-7B-A1B: 14.7 GB in BF16, about 4.5 GB as Q4_K_M): write them into a temporary folder
on demand and delete them afterwards; never commit them.

    python make_released_shapes.py --out /tmp/shapes --format bf16      # llada-moe-7b-a1b-bf16/ (HF folder)
    python make_released_shapes.py --out /tmp/shapes --format q4_k_m    # llada-moe-7b-a1b-q4_k_m.gguf
    python make_released_shapes.py --out /tmp/shapes --format q4_k_m --model diffusiongemma-26b-a4b
    dlab bench --model /tmp/shapes/llada-moe-7b-a1b-bf16 --footprint --threads 1

Shape of LLaDA-MoE-7B-A1B (inclusionAI/LLaDA-MoE-7B-A1B-Base config.json): 16 layers, hidden 2048, 16 heads of
128 (no GQA), q/k RMSNorm, 64 experts top-8 with expert FFN 1024 on every layer, no shared expert, vocabulary
157184, untied LM head. Values are random: BF16 elements drawn with magnitudes about 0.004-0.03 (norms 1);
for Q4_K_M, random but valid blocks are written directly (random nibbles and 6-bit scales, fixed finite F16
super-block scales) instead of quantizing, which numpy would take hours for. The mix follows llama.cpp's
Q4_K_M (src/llama-quant.cpp `llama_tensor_get_type`): Q6_K for the output matrix, and for attn_v and
ffn_down_exps on the layers `use_more_bits` picks; Q4_K elsewhere; norms and the router ffn_gate_inp in F32.
A window of one random pool is reused at a random offset per tensor so that writing is disk-bound.

Shape of DiffusionGemma 26B-A4B's text model (google/diffusiongemma-26B-A4B-it config.json, the Gemma 4 26B-A4B
backbone; the same numbers the released unsloth/diffusiongemma-26B-A4B-it-GGUF carries): 30 layers, hidden 2816,
16 heads; 25 sliding-window layers (window 1024) with 8 KV heads of 256, 5 full-attention layers (5, 11, 17, 23,
29) with 2 K=V heads of 512 and proportional RoPE (a quarter of the pairs rotated); a dense GELU MLP of 2112 beside
128 experts top-8 of 704 (fused gate/up) on every layer; vocabulary 262144, tied LM head, softcap 30, canvas 256.
Written as the `diffusion-gemma` GGUF llama.cpp's DiffusionGemma pull requests read (DiffusionGemmaGGUF.swift
lists the sources), ~17 GB, with the tensor types of the released Q4_K_M where rows allow: Q6_K for the embedding
(the LM head) and attn_v on `use_more_bits` layers, Q4_K for the other matrices with rows of a multiple of 256, Q8_0
for the rows of 704 and 2112 (ffn_down_exps, ffn_down, self_cond_down), F32 for norms, scales, the router and
rope_freqs.
Needs numpy, and the `gguf` package for the GGUF file.
"""
import argparse
import json
import os
import struct

import numpy as np

SHAPE = dict(layers=16, hidden=2048, heads=16, head_dim=128, experts=64, top_k=8, expert_ffn=1024, vocabulary=157184,
             context=8192, rope_theta=50000.0, eps=1e-5, mask=156895, eos=156892)
POOL = 1 << 26  # elements / blocks in the random pool
GEMMA = dict(layers=30, hidden=2816, heads=16, sliding_head=256, sliding_kv=8, full_head=512, full_kv=2, window=1024,
             dense_ffn=2112, experts=128, top_k=8, expert_ffn=704, vocabulary=262144, context=262144, canvas=256,
             rope_full=1e6, rope_sliding=1e4, rotated_fraction=0.25, eps=1e-6, softcap=30.0, eos=1, bos=2, pad=0)


def tensors(s):
    """(Hugging Face name, shape, kind) in file order; kind: 'norm', 'router', or 'matrix'."""
    d, q, e, f = s["hidden"], s["heads"] * s["head_dim"], s["experts"], s["expert_ffn"]
    out = [("model.embed_tokens.weight", (s["vocabulary"], d), "matrix")]
    for n in range(s["layers"]):
        p = f"model.layers.{n}."
        out += [(p + "input_layernorm.weight", (d,), "norm"),
                (p + "self_attn.q_proj.weight", (q, d), "matrix"), (p + "self_attn.k_proj.weight", (q, d), "matrix"),
                (p + "self_attn.v_proj.weight", (q, d), "matrix"), (p + "self_attn.o_proj.weight", (d, q), "matrix"),
                (p + "self_attn.q_norm.weight", (s["head_dim"],), "norm"),
                (p + "self_attn.k_norm.weight", (s["head_dim"],), "norm"),
                (p + "post_attention_layernorm.weight", (d,), "norm"), (p + "mlp.gate.weight", (e, d), "router")]
        for x in range(e):
            out += [(p + f"mlp.experts.{x}.gate_proj.weight", (f, d), "matrix"),
                    (p + f"mlp.experts.{x}.up_proj.weight", (f, d), "matrix"),
                    (p + f"mlp.experts.{x}.down_proj.weight", (d, f), "matrix")]
    out += [("model.norm.weight", (d,), "norm"), ("lm_head.weight", (s["vocabulary"], d), "matrix")]
    return out


def pieces(pool, count, rng):
    """`count` consecutive entries of the pool (first axis) from a random start, wrapping around, as slices."""
    position, out = int(rng.integers(0, len(pool))), []
    while count > 0:
        take = min(count, len(pool) - position)
        out.append(pool[position:position + take])
        count, position = count - take, 0
    return out


def window(pool, count, rng):
    parts = pieces(pool, count, rng)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def config_json(s):
    return {"architectures": ["LLaDAMoEModelLM"], "model_type": "llada_moe", "vocab_size": s["vocabulary"],
            "hidden_size": s["hidden"], "num_hidden_layers": s["layers"], "num_attention_heads": s["heads"],
            "num_key_value_heads": s["heads"], "hidden_act": "silu", "max_position_embeddings": s["context"],
            "rms_norm_eps": s["eps"], "tie_word_embeddings": False, "attention_bias": False, "clip_qkv": None,
            "dense_intermediate_size": 8192, "expert_intermediate_size": s["expert_ffn"], "num_experts": s["experts"],
            "num_experts_per_tok": s["top_k"], "shared_expert_intermediate_size": None,
            "moe_layer_freq": [1] * s["layers"], "qk_layernorm": True, "moe_router_score_function": "softmax",
            "moe_router_enable_expert_bias": False, "norm_topk_prob": False, "rope_theta": s["rope_theta"],
            "rope_scaling": None, "partial_rotary_factor": 1.0, "eos_token_id": s["eos"], "pad_token_id": s["eos"],
            "mask_token_id": s["mask"], "torch_dtype": "bfloat16"}


def write_bf16(folder, s, rng):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config_json(s), f, indent=2)
    # bf16 bits: random sign and 7-bit mantissa, exponent 119-124 (magnitudes 2^-8 ... 2^-3 · 1.x, mostly small).
    sign = rng.integers(0, 2, POOL, dtype=np.uint16) << 15
    exponent = rng.choice(np.array([119, 120, 121, 121, 122, 122, 123, 124], dtype=np.uint16), POOL) << 7
    pool = sign | exponent | rng.integers(0, 128, POOL, dtype=np.uint16)
    one = np.uint16(0x3F80)
    header, offset = {}, 0
    layout = tensors(s)
    for name, shape, _ in layout:
        size = 2 * int(np.prod(shape))
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(os.path.join(folder, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for name, shape, kind in layout:
            count = int(np.prod(shape))
            for part in [np.full(count, one, dtype=np.uint16)] if kind == "norm" else pieces(pool, count, rng):
                part.tofile(f)


def use_more_bits(layer, layers):
    """llama.cpp `use_more_bits`: the first and last eighth of the layers and every third one between."""
    return layer < layers // 8 or layer >= 7 * layers // 8 or (layer - layers // 8) % 3 == 2


def quant_pool(kind, rng):
    """Random blocks of Q4_K (144 bytes), Q6_K (210 bytes) or Q8_0 (34 bytes, 32 elements) with fixed, finite F16
    scales."""
    if kind == "q8_0":
        blocks = rng.integers(0, 256, (POOL // 32, 34), dtype=np.uint8)
        blocks[:, 0:2] = np.frombuffer(np.float16(3e-4).tobytes(), dtype=np.uint8)  # d: int8 × d, std about 0.02
        return blocks
    if kind == "q4_k":
        blocks = rng.integers(0, 256, (POOL // 256, 144), dtype=np.uint8)
        # x = d·scale·q − dmin·min with scale, min uniform in 0..63 and q in 0..15: dmin = 7.5·d makes the mean 0
        # (a biased mean would make every hidden state alike and route every token to the same experts).
        blocks[:, 0:2] = np.frombuffer(np.float16(1e-4).tobytes(), dtype=np.uint8)  # d
        blocks[:, 2:4] = np.frombuffer(np.float16(7.5e-4).tobytes(), dtype=np.uint8)  # dmin
    else:
        blocks = rng.integers(0, 256, (POOL // 256, 210), dtype=np.uint8)
        blocks[:, 208:210] = np.frombuffer(np.float16(1e-5).tobytes(), dtype=np.uint8)  # d
    return blocks


def write_q4_k_m(path, s, rng):
    import gguf

    d, q, e, f = s["hidden"], s["heads"] * s["head_dim"], s["experts"], s["expert_ffn"]
    a = "llada-moe."
    w = gguf.GGUFWriter(path, "llada-moe")
    for key, value in [("block_count", s["layers"]), ("context_length", s["context"]), ("embedding_length", d),
                       ("attention.head_count", s["heads"]), ("attention.head_count_kv", s["heads"]),
                       ("expert_count", e), ("expert_used_count", s["top_k"]), ("expert_feed_forward_length", f),
                       ("expert_gating_func", 1), ("vocab_size", s["vocabulary"])]:
        w.add_uint32(a + key, value)
    w.add_float32(a + "rope.freq_base", s["rope_theta"])
    w.add_float32(a + "attention.layer_norm_rms_epsilon", s["eps"])
    w.add_bool(a + "attention.causal", False)
    w.add_bool("diffusion.shift_logits", False)
    w.add_uint32("general.file_type", 15)  # LLAMA_FTYPE_MOSTLY_Q4_K_M
    w.add_uint32("tokenizer.ggml.mask_token_id", s["mask"])
    w.add_uint32("tokenizer.ggml.eos_token_id", s["eos"])
    plan = [("token_embd.weight", (s["vocabulary"], d), "q4_k")]
    for n in range(s["layers"]):
        b = f"blk.{n}."
        more = "q6_k" if use_more_bits(n, s["layers"]) else "q4_k"
        plan += [(b + "attn_norm.weight", (d,), "f32"), (b + "attn_q.weight", (q, d), "q4_k"),
                 (b + "attn_k.weight", (q, d), "q4_k"), (b + "attn_v.weight", (q, d), more),
                 (b + "attn_output.weight", (d, q), "q4_k"), (b + "attn_q_norm.weight", (s["head_dim"],), "f32"),
                 (b + "attn_k_norm.weight", (s["head_dim"],), "f32"), (b + "ffn_norm.weight", (d,), "f32"),
                 (b + "ffn_gate_inp.weight", (e, d), "f32"), (b + "ffn_gate_exps.weight", (e, f, d), "q4_k"),
                 (b + "ffn_up_exps.weight", (e, f, d), "q4_k"), (b + "ffn_down_exps.weight", (e, d, f), more)]
    plan += [("output_norm.weight", (d,), "f32"), ("output.weight", (s["vocabulary"], d), "q6_k")]
    sizes = {"q4_k": 144, "q6_k": 210}
    types = {"q4_k": gguf.GGMLQuantizationType.Q4_K, "q6_k": gguf.GGMLQuantizationType.Q6_K}
    for name, shape, kind in plan:
        if kind == "f32":
            w.add_tensor_info(name, shape, np.dtype(np.float32), 4 * int(np.prod(shape)))
        else:
            byte_shape = (*shape[:-1], shape[-1] // 256 * sizes[kind])
            w.add_tensor_info(name, byte_shape, np.dtype(np.uint8), int(np.prod(byte_shape)), raw_dtype=types[kind])
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    pools = {kind: quant_pool(kind, rng) for kind in sizes}
    for name, shape, kind in plan:
        if kind == "f32":
            # Each layer's router its own random [E, d]; norms 1.
            data = (rng.standard_normal(shape) * 0.02).astype(np.float32) if "gate_inp" in name else np.ones(shape, np.float32)
        else:
            data = window(pools[kind], int(np.prod(shape)) // 256, rng)
        w.write_tensor_data(data)
    w.close()


def gemma_plan(s):
    """(GGUF name, shape [outer ..., row], kind) of the DiffusionGemma file; kind f32, q4_k, q6_k or q8_0."""
    d, e, f, fe = s["hidden"], s["experts"], s["dense_ffn"], s["expert_ffn"]
    plan = [("token_embd.weight", (s["vocabulary"], d), "q6_k"), ("rope_freqs.weight", (s["full_head"] // 2,), "f32"),
            ("output_norm.weight", (d,), "f32"), ("self_cond_pre_norm.weight", (d,), "f32"),
            ("self_cond_gate.weight", (f, d), "q4_k"), ("self_cond_up.weight", (f, d), "q4_k"),
            ("self_cond_down.weight", (d, f), "q8_0")]
    for n in range(s["layers"]):
        b = f"blk.{n}."
        full = n % 6 == 5
        hd, kv = (s["full_head"], s["full_kv"]) if full else (s["sliding_head"], s["sliding_kv"])
        plan += [(b + "attn_norm.weight", (d,), "f32"), (b + "attn_q.weight", (s["heads"] * hd, d), "q4_k"),
                 (b + "attn_k.weight", (kv * hd, d), "q4_k")]
        if not full:
            plan.append((b + "attn_v.weight", (kv * hd, d), "q6_k" if use_more_bits(n, s["layers"]) else "q4_k"))
        plan += [(b + "attn_output.weight", (d, s["heads"] * hd), "q4_k"), (b + "attn_q_norm.weight", (hd,), "f32"),
                 (b + "attn_k_norm.weight", (hd,), "f32"), (b + "post_attention_norm.weight", (d,), "f32"),
                 (b + "ffn_norm.weight", (d,), "f32"), (b + "ffn_gate.weight", (f, d), "q4_k"),
                 (b + "ffn_up.weight", (f, d), "q4_k"), (b + "ffn_down.weight", (d, f), "q8_0"),
                 (b + "post_ffw_norm_1.weight", (d,), "f32"), (b + "pre_ffw_norm_2.weight", (d,), "f32"),
                 (b + "ffn_gate_inp.weight", (e, d), "f32"), (b + "ffn_gate_inp.scale", (d,), "f32"),
                 (b + "ffn_down_exps.scale", (e,), "f32"), (b + "ffn_gate_up_exps.weight", (e, 2 * fe, d), "q4_k"),
                 (b + "ffn_down_exps.weight", (e, d, fe), "q8_0"), (b + "post_ffw_norm_2.weight", (d,), "f32"),
                 (b + "post_ffw_norm.weight", (d,), "f32"), (b + "layer_output_scale.weight", (1,), "f32"),
                 (b + "enc_layer_output_scale.weight", (1,), "f32")]
    return plan


def write_gemma_q4_k_m(path, s, rng):
    import gguf

    a = "diffusion-gemma."
    w = gguf.GGUFWriter(path, "diffusion-gemma")
    layers = s["layers"]
    for key, value in [("vocab_size", s["vocabulary"]), ("context_length", s["context"]), ("embedding_length", s["hidden"]),
                       ("block_count", layers), ("feed_forward_length", s["dense_ffn"]),
                       ("attention.head_count", s["heads"]), ("attention.key_length", s["full_head"]),
                       ("attention.value_length", s["full_head"]), ("attention.key_length_swa", s["sliding_head"]),
                       ("attention.value_length_swa", s["sliding_head"]), ("attention.sliding_window", s["window"]),
                       ("rope.dimension_count", s["full_head"]), ("rope.dimension_count_swa", s["sliding_head"]),
                       ("expert_count", s["experts"]), ("expert_used_count", s["top_k"]),
                       ("expert_feed_forward_length", s["expert_ffn"]), ("shared_kv_layers", 0),
                       ("embedding_length_per_layer_input", 0)]:
        w.add_uint32(a + key, value)
    w.add_array(a + "attention.head_count_kv", [s["full_kv"] if n % 6 == 5 else s["sliding_kv"] for n in range(layers)])
    w.add_array(a + "attention.sliding_window_pattern", [n % 6 != 5 for n in range(layers)])
    w.add_float32(a + "attention.layer_norm_rms_epsilon", s["eps"])
    w.add_float32(a + "rope.freq_base", s["rope_full"])
    w.add_float32(a + "rope.freq_base_swa", s["rope_sliding"])
    w.add_float32(a + "final_logit_softcapping", s["softcap"])
    w.add_bool(a + "attention.causal", False)
    w.add_uint32("diffusion.canvas_length", s["canvas"])
    w.add_uint32("general.file_type", 15)  # LLAMA_FTYPE_MOSTLY_Q4_K_M
    for key in ("eos", "bos"):
        w.add_uint32(f"tokenizer.ggml.{key}_token_id", s[key])
    w.add_uint32("tokenizer.ggml.padding_token_id", s["pad"])
    plan = gemma_plan(s)
    sizes = {"q4_k": (256, 144), "q6_k": (256, 210), "q8_0": (32, 34)}
    types = {"q4_k": gguf.GGMLQuantizationType.Q4_K, "q6_k": gguf.GGMLQuantizationType.Q6_K,
             "q8_0": gguf.GGMLQuantizationType.Q8_0}
    for name, shape, kind in plan:
        if kind == "f32":
            w.add_tensor_info(name, shape, np.dtype(np.float32), 4 * int(np.prod(shape)))
        else:
            per, size = sizes[kind]
            byte_shape = (*shape[:-1], shape[-1] // per * size)
            w.add_tensor_info(name, byte_shape, np.dtype(np.uint8), int(np.prod(byte_shape)), raw_dtype=types[kind])
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    pools = {kind: quant_pool(kind, rng) for kind in sizes}
    rotated = int(s["rotated_fraction"] * s["full_head"] / 2)
    for name, shape, kind in plan:
        if name == "rope_freqs.weight":
            data = np.array([1.0] * rotated + [1e30] * (shape[0] - rotated), dtype=np.float32)
        elif kind == "f32":
            # Each layer's router its own random [E, d]; norms, scales and layer scalars 1.
            data = (rng.standard_normal(shape) * 0.02).astype(np.float32) if name.endswith("gate_inp.weight") else np.ones(shape, np.float32)
        else:
            data = window(pools[kind], int(np.prod(shape)) // sizes[kind][0], rng)
        w.write_tensor_data(data)
    w.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder to write into (a temporary one)")
    parser.add_argument("--format", choices=["bf16", "q4_k_m"], required=True)
    parser.add_argument("--model", choices=["llada-moe-7b-a1b", "diffusiongemma-26b-a4b"], default="llada-moe-7b-a1b",
                        help="which released shape (DiffusionGemma: q4_k_m only)")
    parser.add_argument("--layers", type=int, default=None, help="fewer layers for a quick check")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    base = GEMMA if args.model == "diffusiongemma-26b-a4b" else SHAPE
    shape = dict(base, layers=args.layers or base["layers"])
    suffix = "" if shape["layers"] == base["layers"] else f"-{shape['layers']}layers"
    if args.model == "diffusiongemma-26b-a4b":
        if args.format != "q4_k_m":
            parser.error("--model diffusiongemma-26b-a4b is written as --format q4_k_m only")
        os.makedirs(args.out, exist_ok=True)
        target = os.path.join(args.out, f"diffusiongemma-26b-a4b{suffix}-q4_k_m.gguf")
        write_gemma_q4_k_m(target, shape, rng)
    elif args.format == "bf16":
        target = os.path.join(args.out, f"llada-moe-7b-a1b{suffix}-bf16")
        write_bf16(target, shape, rng)
    else:
        os.makedirs(args.out, exist_ok=True)
        target = os.path.join(args.out, f"llada-moe-7b-a1b{suffix}-q4_k_m.gguf")
        write_q4_k_m(target, shape, rng)
    print(target)


if __name__ == "__main__":
    main()
