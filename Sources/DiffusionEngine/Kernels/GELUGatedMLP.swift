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

/// The gated MLP of Gemma 4 (dense MLP, experts, self-conditioning block): down(gelu_tanh(gate·x) ⊙ up·x).
/// `gate` and `up` may be two halves of one fused tensor (the experts' `gate_up_proj` [E, 2F, d]).
public struct GELUGatedMLP: Sendable {
    public let gate: FloatTensor  // [F, d]
    public let up: FloatTensor  // [F, d]
    public let down: FloatTensor  // [d, F]

    public init(gate: FloatTensor, up: FloatTensor, down: FloatTensor) {
        self.gate = gate
        self.up = up
        self.down = down
    }

    /// An expert of a fused `gate_up_proj` slice [2F, d] (gate rows first, then up rows, as `chunk(2)` splits it).
    public init(gateUp: FloatTensor, down: FloatTensor) {
        let f = gateUp.shape[0] / 2
        let d = gateUp.shape[1]
        gate = FloatTensor(shape: [f, d], pointer: gateUp.pointer, owner: gateUp.owner)
        up = FloatTensor(shape: [f, d], pointer: gateUp.pointer + f * d, owner: gateUp.owner)
        self.down = down
    }

    public var hidden: Int { gate.shape[0] }
    public var width: Int { gate.shape[1] }

    /// y [rows, d] = MLP(x [rows, d]); `scratch` holds at least 2·rows·F floats. `accumulate` adds into y.
    public func forward(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        let f = hidden
        let gated = scratch
        let upped = scratch + rows * f
        MatMul.linear(x, rows: rows, inner: width, weight: gate.pointer, outer: f, into: gated)
        MatMul.linear(x, rows: rows, inner: width, weight: up.pointer, outer: f, into: upped)
        for i in 0 ..< rows * f { gated[i] = GELUTanh.value(gated[i]) * upped[i] }
        MatMul.linear(gated, rows: rows, inner: f, weight: down.pointer, outer: width, into: y, accumulate: accumulate)
    }

    /// Naive twin for one vector, in Double.
    public func forwardNaive(_ x: [Float]) -> [Float] {
        let (f, d) = (hidden, width)
        var h = [Double](repeating: 0, count: f)
        for j in 0 ..< f {
            var g = 0.0
            var u = 0.0
            for i in 0 ..< d {
                g += Double(gate.pointer[j * d + i]) * Double(x[i])
                u += Double(up.pointer[j * d + i]) * Double(x[i])
            }
            h[j] = GELUTanh.valueNaive(g) * u
        }
        return (0 ..< d).map { i in
            var sum = 0.0
            for j in 0 ..< f { sum += Double(down.pointer[i * f + j]) * h[j] }
            return Float(sum)
        }
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
