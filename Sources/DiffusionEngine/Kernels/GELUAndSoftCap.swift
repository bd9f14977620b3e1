#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GELU with the tanh approximation (PyTorch `gelu(x, approximate="tanh")`, transformers `gelu_pytorch_tanh`):
/// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
public enum GELUTanh {
    static let beta = Float(0.7978845608028654)  // √(2/π), as PyTorch's M_SQRT2 · M_2_SQRTPI · 0.5
    static let kappa = Float(0.044715)

    @inline(__always)
    public static func value(_ x: Float) -> Float {
        0.5 * x * (1 + tanhf(beta * (x + kappa * x * x * x)))
    }

    /// Naive twin, in Double.
    public static func valueNaive(_ x: Double) -> Double {
        0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
    }
}

/// Final-logit soft-capping (Gemma 2/3/4): x ← cap · tanh(x / cap), in place.
public enum SoftCap {
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int, cap: Float) {
        for i in 0 ..< count { x[i] = tanhf(x[i] / cap) * cap }
    }

    /// Naive twin, in Double.
    public static func applyNaive(_ x: [Float], cap: Float) -> [Float] {
        x.map { Float(tanh(Double($0) / Double(cap)) * Double(cap)) }
    }
}
