/// The arithmetic a chip can run its matrix products in; hardware profiles give a peak rate for each they support.
public enum ComputeType: String, Sendable, CaseIterable, Codable {
    case fp32, tf32, bf16, fp16, fp8, int8, fp4
}

/// A weight format: how many bytes one weight occupies in memory, which arithmetic runs on it, and how wide the
/// KV cache entries are. One table, so a name maps to a value in exactly one place.
public struct Precision: Sendable, Equatable {
    public let name: String
    /// Average bytes per weight, block scales included.
    public let bytesPerWeight: Double
    /// The compute types a kernel for this format uses, best first; the first the hardware lists is taken.
    public let computeTypes: [ComputeType]
    /// Bytes per cached key or value element.
    public let cacheBytesPerElement: Double
    /// Where the size comes from.
    public let note: String

    public static let all: [Precision] = [
        Precision(name: "fp32", bytesPerWeight: 4, computeTypes: [.fp32], cacheBytesPerElement: 4,
                  note: "IEEE single precision, as DiffusionLab's CPU engine runs"),
        Precision(name: "bf16", bytesPerWeight: 2, computeTypes: [.bf16, .fp16, .fp32], cacheBytesPerElement: 2,
                  note: "the released checkpoints' dtype"),
        Precision(name: "fp16", bytesPerWeight: 2, computeTypes: [.fp16, .bf16, .fp32], cacheBytesPerElement: 2,
                  note: "half precision"),
        // vLLM's FP8 checkpoints (e.g. RedHatAI's) quantise the weights; the KV cache stays 16-bit unless
        // --kv-cache-dtype fp8 is given, so the cache is counted at 2 bytes.
        Precision(name: "fp8", bytesPerWeight: 1, computeTypes: [.fp8, .bf16, .fp16, .fp32], cacheBytesPerElement: 2,
                  note: "FP8 E4M3 weights with per-channel scales (scales negligible); 16-bit KV cache"),
        // llama.cpp Q8_0: blocks of 32 int8 weights with one fp16 scale = 34 bytes / 32 weights.
        Precision(name: "q8_0", bytesPerWeight: 34.0 / 32.0, computeTypes: [.int8, .fp16, .bf16, .fp32],
                  cacheBytesPerElement: 2, note: "llama.cpp Q8_0: 8.5 bits per weight (ggml-common.h block_q8_0)"),
        // llama.cpp Q4_K_M: Q4_K super-blocks are 4.5 bits per weight; the _M mix keeps half of the attention
        // value and FFN down tensors at Q6_K (6.5625 bpw), which lands whole files near 4.85 bpw
        // (https://github.com/ggml-org/llama.cpp/blob/master/tools/quantize/README.md). Its CUDA matmuls
        // (MMQ) run int8 dot products on the dequantised blocks.
        Precision(name: "q4_k_m", bytesPerWeight: 4.85 / 8, computeTypes: [.int8, .fp16, .bf16, .fp32],
                  cacheBytesPerElement: 2, note: "llama.cpp Q4_K_M: about 4.85 bits per weight, int8 MMQ kernels"),
        // NVFP4: 16 fp4 values share an fp8 scale = 4.5 bits per weight.
        Precision(name: "nvfp4", bytesPerWeight: 4.5 / 8, computeTypes: [.fp4, .fp8, .bf16, .fp16, .fp32],
                  cacheBytesPerElement: 2, note: "NVIDIA NVFP4: 4.5 bits per weight"),
    ]

    /// The precision called `name` (case-insensitive).
    public static func named(_ name: String) throws -> Precision {
        guard let precision = all.first(where: { $0.name == name.lowercased() }) else {
            throw ProjectionError("unknown precision '\(name)'; known: \(all.map(\.name).joined(separator: ", "))")
        }
        return precision
    }
}

/// A problem with projection inputs: the message names the file, field and value.
public struct ProjectionError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
