#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gated MLP of Llama/OLMoE experts: down(silu(gate·x) ⊙ up·x).
public struct SwiGLUWeights: Sendable {
    public let gate: FloatTensor  // [F, d]
    public let up: FloatTensor  // [F, d]
    public let down: FloatTensor  // [d, F]

    public init(gate: FloatTensor, up: FloatTensor, down: FloatTensor) {
        self.gate = gate
        self.up = up
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
        VectorMath.siluGate(gated, upped, count: rows * f)
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
            h[j] = g / (1 + exp(-g)) * u
        }
        return (0 ..< d).map { i in
            var sum = 0.0
            for j in 0 ..< f { sum += Double(down.pointer[i * f + j]) * h[j] }
            return Float(sum)
        }
    }
}
