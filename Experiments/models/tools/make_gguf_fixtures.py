"""Writes the GGUF fixtures of `swift test` (Tests/DiffusionEngineTests/Fixtures/gguf/) with the `gguf` package.

dequantize.gguf: for every tensor type DiffusionLab reads, a tensor `<type>` of random blocks and a tensor
`expected.<type>` (F32) holding `gguf.quants.dequantize` of those blocks; GGUFDequantizeTests compares the Swift
expansion with it bit for bit. The file also carries one metadata key of every GGUF value type, nested arrays and
`general.alignment` = 64, which GGUFReaderTests checks field by field.

llada-moe.gguf + llada-moe-dequantized/: a small random LLaDA-MoE written the way llama.cpp's converter writes
it (gguf.GGUFWriter, `llada-moe.*` keys, stacked experts), its tensors in eight different types (BF16, Q8_0, Q4_0,
Q4_1, Q5_0, Q5_1, F16, and random Q4_K blocks), beside a Hugging Face folder holding `gguf.quants.dequantize` of
every tensor in F32. GGUFModelTests loads both and compares the logits: the reference F32 run on the
dequantized weights.

quantize.gguf: random F32 rows `input`, and `gguf.quants.quantize` of them for each type the package can quantize
(`quantized.<type>`, stored as tensors of that type), against which GGUFQuantizeTests checks the Swift quantizers byte for byte.

Run: /work/venvs/gguf/bin/python Experiments/models/tools/make_gguf_fixtures.py   (pip install gguf numpy safetensors)
Deterministic: a fixed seed, so rerunning rewrites identical files.
"""
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.constants import GGUFValueType as V

OUT = os.path.join(os.path.dirname(__file__), "../../../Tests/DiffusionEngineTests/Fixtures/gguf")
rng = np.random.default_rng(20261201)


def halves(n, scale):
    """n finite F16 values (as bytes), with a zero, a negative and a subnormal among them."""
    values = (rng.standard_normal(n) * scale).astype(np.float16)
    values[0] = 0
    if n > 2:
        values[1] = -abs(values[1])
        values[2] = np.float16(3e-6)  # subnormal in F16
    return values.view(np.uint8).reshape(n, 2)


def random_blocks(qtype, n):
    """n blocks of `qtype` whose F16 fields are finite and whose other bytes are uniformly random: every byte
    pattern of the packed quants and of the 6-bit K-quant scales is a valid value."""
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(n, type_size), dtype=np.uint8)
    if qtype in (T.Q8_0, T.Q4_0, T.Q5_0):
        blocks[:, 0:2] = halves(n, 0.01)
    elif qtype in (T.Q4_1, T.Q5_1):
        blocks[:, 0:2] = halves(n, 0.01)
        blocks[:, 2:4] = halves(n, 0.05)
    elif qtype in (T.Q4_K, T.Q5_K):
        blocks[:, 0:2] = halves(n, 0.001)
        blocks[:, 2:4] = halves(n, 0.001)
    elif qtype == T.Q6_K:
        blocks[:, 208:210] = halves(n, 0.001)
    return blocks


def float_values(qtype, n):
    values = rng.standard_normal(n).astype(np.float32)
    values[:6] = [0.0, -0.0, np.inf, -np.inf, 1e-40, 65504.0]  # signed zero, infinities, an F32 subnormal, F16 max
    if qtype == T.F16:
        bits = values.astype(np.float16).view(np.uint16)
        bits[6:10] = [0x0001, 0x03FF, 0x8001, 0x7BFF]  # F16 subnormals and the largest finite value
        return bits.view(np.uint8).reshape(n, 2)
    if qtype == T.BF16:
        return (values.view(np.uint32) >> 16).astype(np.uint16).view(np.uint8).reshape(n, 2)
    return values.view(np.uint8).reshape(n, 4)


def write_dequantize():
    writer = gguf.GGUFWriter(os.path.join(OUT, "dequantize.gguf"), "fixture")
    writer.add_custom_alignment(64)
    writer.add_uint8("test.uint8", 200)
    writer.add_int8("test.int8", -100)
    writer.add_uint16("test.uint16", 60000)
    writer.add_int16("test.int16", -30000)
    writer.add_uint32("test.uint32", 4000000000)
    writer.add_int32("test.int32", -2000000000)
    writer.add_float32("test.float32", 0.1)
    writer.add_bool("test.bool", True)
    writer.add_string("test.string", "grüße, 世界 🙂")
    writer.add_uint64("test.uint64", 2**63 + 5)
    writer.add_int64("test.int64", -(2**62))
    writer.add_float64("test.float64", 2.718281828459045)
    writer.add_array("test.array.int32", [1, -2, 3])
    writer.add_array("test.array.string", ["a", "", "ccc"])
    writer.add_array("test.array.nested", [[1, 2], [3]])
    writer.add_array("test.array.nested_strings", [["x"], ["y", "zz"]])
    for qtype in (T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q4_K, T.Q5_K, T.Q6_K):
        block_size, _ = gguf.GGML_QUANT_SIZES[qtype]
        if block_size == 1:
            data = float_values(qtype, 512).reshape(4, -1)
        else:
            blocks = 8 if block_size == 256 else 24
            data = random_blocks(qtype, blocks).reshape(4, -1)  # 4 rows of whole blocks
        expected = gguf.quants.dequantize(data, qtype).astype(np.float32)
        writer.add_tensor(qtype.name.lower(), data, raw_dtype=qtype)
        writer.add_tensor("expected." + qtype.name.lower(), expected)
    finish(writer)


def write_quantize():
    writer = gguf.GGUFWriter(os.path.join(OUT, "quantize.gguf"), "fixture")
    rows = rng.standard_normal((4, 512)).astype(np.float32)
    rows[1] *= 1e-3
    rows[2, :32] = 0  # a block of zeros (scale 0)
    rows[3, 40] = 25.0  # an outlier
    writer.add_tensor("input", rows)
    for qtype in (T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1):
        quantized = gguf.quants.quantize(rows, qtype)
        writer.add_tensor("quantized." + qtype.name.lower(), quantized, raw_dtype=qtype)
    finish(writer)


def write_model():
    """One layer, hidden 32, 2 heads (head dim 16) over 1 KV head, 2 experts top-1 of width 256, vocabulary 26."""
    from safetensors.numpy import save_file
    vocab, d, heads, kv_heads, hd, experts, width = 26, 32, 2, 1, 16, 2, 256
    config = {"architectures": ["LLaDAMoEModelLM"], "model_type": "llada_moe", "vocab_size": vocab, "hidden_size": d,
              "num_hidden_layers": 1, "num_attention_heads": heads, "num_key_value_heads": kv_heads,
              "max_position_embeddings": 128, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "num_experts": experts,
              "num_experts_per_tok": 1, "expert_intermediate_size": width, "norm_topk_prob": False,
              "qk_layernorm": True, "tie_word_embeddings": False, "mask_token_id": 1, "eos_token_id": 2, "pad_token_id": 0}
    writer = gguf.GGUFWriter(os.path.join(OUT, "llada-moe.gguf"), "llada-moe")
    writer.add_block_count(1)
    writer.add_context_length(128)
    writer.add_embedding_length(d)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_expert_count(experts)
    writer.add_expert_used_count(1)
    writer.add_expert_gating_func(gguf.ExpertGatingFuncType.SOFTMAX)
    writer.add_expert_feed_forward_length(width)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_0)
    writer.add_mask_token_id(1)
    writer.add_causal_attention(False)
    writer.add_diffusion_shift_logits(False)
    writer.add_tokenizer_model("none")
    writer.add_token_list(["<pad>", "<mask>", "<eos>"] + [chr(ord("a") + i) for i in range(vocab - 3)])
    writer.add_token_types([3, 3, 3] + [1] * (vocab - 3))
    writer.add_eos_token_id(2)
    writer.add_pad_token_id(0)
    hf = {}

    def add(gguf_name, hf_names, values, qtype):
        """Quantize `values` (F32, row-major, stacked for experts) to qtype; keep its dequantization per HF name."""
        if qtype == T.F32:
            data = values.astype(np.float32)
        elif qtype == T.F16:
            data = values.astype(np.float16)
        else:
            data = gguf.quants.quantize(values.astype(np.float32), qtype)
        writer.add_tensor(gguf_name, data, raw_dtype=None if qtype in (T.F32, T.F16) else qtype)
        restored = gguf.quants.dequantize(data.view(np.uint8) if qtype not in (T.F32, T.F16) else data, qtype)
        restored = np.asarray(restored, dtype=np.float32).reshape(values.shape)
        for index, name in enumerate(hf_names):
            hf[name] = restored[index] if len(hf_names) > 1 else restored

    def normal(*shape, scale=0.2):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    p = "model.layers.0."
    add("token_embd.weight", ["model.embed_tokens.weight"], normal(vocab, d, scale=1.0), T.BF16)
    add("output_norm.weight", ["model.norm.weight"], 1 + normal(d, scale=0.1), T.F32)
    add("output.weight", ["lm_head.weight"], normal(vocab, d), T.Q8_0)
    add("blk.0.attn_norm.weight", [p + "input_layernorm.weight"], 1 + normal(d, scale=0.1), T.F32)
    add("blk.0.attn_q.weight", [p + "self_attn.q_proj.weight"], normal(heads * hd, d), T.Q4_1)
    add("blk.0.attn_k.weight", [p + "self_attn.k_proj.weight"], normal(kv_heads * hd, d), T.Q5_0)
    add("blk.0.attn_v.weight", [p + "self_attn.v_proj.weight"], normal(kv_heads * hd, d), T.Q5_1)
    add("blk.0.attn_output.weight", [p + "self_attn.o_proj.weight"], normal(d, heads * hd), T.F16)
    add("blk.0.attn_q_norm.weight", [p + "self_attn.q_norm.weight"], 1 + normal(hd, scale=0.1), T.F32)
    add("blk.0.attn_k_norm.weight", [p + "self_attn.k_norm.weight"], 1 + normal(hd, scale=0.1), T.F32)
    add("blk.0.ffn_norm.weight", [p + "post_attention_layernorm.weight"], 1 + normal(d, scale=0.1), T.F32)
    add("blk.0.ffn_gate_inp.weight", [p + "mlp.gate.weight"], normal(experts, d, scale=1.0), T.F32)
    expert = lambda kind: [p + f"mlp.experts.{e}.{kind}_proj.weight" for e in range(experts)]
    add("blk.0.ffn_gate_exps.weight", expert("gate"), normal(experts, width, d), T.Q4_0)
    add("blk.0.ffn_up_exps.weight", expert("up"), normal(experts, width, d), T.Q8_0)
    # gguf cannot quantize K-quants: random Q4_K blocks, small scales, stand in for the down projections.
    blocks = random_blocks(T.Q4_K, experts * d)
    blocks[:, 0:2] = halves(experts * d, 2e-4)
    blocks[:, 2:4] = halves(experts * d, 2e-4)
    writer.add_tensor("blk.0.ffn_down_exps.weight", blocks.reshape(experts, d, -1), raw_dtype=T.Q4_K)
    down = gguf.quants.dequantize(blocks.reshape(experts, d, -1), T.Q4_K).astype(np.float32)
    for e, name in enumerate(expert("down")):
        hf[name] = down[e]
    finish(writer)
    folder = os.path.join(OUT, "llada-moe-dequantized")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    save_file({k: np.ascontiguousarray(v) for k, v in sorted(hf.items())}, os.path.join(folder, "model.safetensors"))


def finish(writer):
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_dequantize()
    write_quantize()
    write_model()
