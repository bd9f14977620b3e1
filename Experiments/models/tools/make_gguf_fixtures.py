"""Writes the GGUF fixtures of `swift test` (Tests/DiffusionEngineTests/Fixtures/gguf/) with the `gguf` package.

dequantize.gguf: for every tensor type DiffusionLab reads, a tensor `<type>` of random blocks and a tensor
`expected.<type>` (F32) holding `gguf.quants.dequantize` of those blocks; GGUFDequantizeTests compares the Swift
expansion with it bit for bit. The file also carries one metadata key of every GGUF value type, nested arrays and
`general.alignment` = 64, which GGUFReaderTests checks field by field.

quantize.gguf: random F32 rows `input`, and `gguf.quants.quantize` of them for each type the package can quantize
(`quantized.<type>`, stored as tensors of that type), against which GGUFQuantizeTests checks the Swift quantizers byte for byte.

Run: /work/venvs/gguf/bin/python Experiments/models/tools/make_gguf_fixtures.py   (pip install gguf numpy)
Deterministic: a fixed seed, so rerunning rewrites identical files.
"""
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


def finish(writer):
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_dequantize()
    write_quantize()
