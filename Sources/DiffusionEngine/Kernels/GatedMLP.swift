#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The activation of a gated MLP's gate.
public enum GateActivation: Sendable {
    /// SiLU: Llama / OLMoE / LLaDA-MoE (SwiGLU).
    case silu
    /// GELU with the tanh approximation: Gemma (GeGLU).
    case geluTanh

    /// The activation as a Double function, for the naive twins.
    var naive: (Double) -> Double {
        switch self {
        case .silu: return { $0 / (1 + exp(-$0)) }
        case .geluTanh: return GELUTanh.valueNaive
        }
    }
}

/// A gated MLP: down(act(gate·x) ⊙ up·x). LLaDA-MoE's experts, dense and shared MLPs (SiLU) and Gemma's dense
/// MLP, experts and self-conditioning block (GELU-tanh). `gate` and `up` may be two halves of one fused tensor.
/// The matrices stay in their stored precision; each matmul expands them panel by panel (`MatMul.linear`).
public struct GatedMLP: Sendable {
    public let gate: StoredMatrix  // [F, d]
    public let up: StoredMatrix  // [F, d]
    public let down: StoredMatrix  // [d, F]
    public let activation: GateActivation

    public init(gate: StoredMatrix, up: StoredMatrix, down: StoredMatrix, activation: GateActivation) {
        self.gate = gate
        self.up = up
        self.down = down
        self.activation = activation
    }

    /// An MLP over F32 tensors (random weights in tests and benchmarks).
    public init(gate: FloatTensor, up: FloatTensor, down: FloatTensor, activation: GateActivation) {
        self.init(gate: StoredMatrix(gate), up: StoredMatrix(up), down: StoredMatrix(down), activation: activation)
    }

    /// An expert of a fused `gate_up_proj` slice [2F, d] (gate rows first, then up rows, as `chunk(2)` splits it).
    public init(gateUp: StoredMatrix, down: StoredMatrix, activation: GateActivation) {
        let f = gateUp.rows / 2
        self.init(gate: gateUp.rows(0 ..< f), up: gateUp.rows(f ..< 2 * f), down: down, activation: activation)
    }

    /// As `init(gateUp:down:activation:)` over F32 tensors [2F, d] and [d, F].
    public init(gateUp: FloatTensor, down: FloatTensor, activation: GateActivation) {
        self.init(gateUp: StoredMatrix(gateUp), down: StoredMatrix(down), activation: activation)
    }

    public var hidden: Int { gate.rows }
    public var width: Int { gate.columns }

    /// y [rows, d] = MLP(x [rows, d]); `scratch` holds at least 2·rows·F floats. `accumulate` adds into y.
    public func forward(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        let f = hidden
        let gated = scratch
        let upped = scratch + rows * f
        MatMul.linear(x, rows: rows, inner: width, weight: gate, outer: f, into: gated)
        MatMul.linear(x, rows: rows, inner: width, weight: up, outer: f, into: upped)
        switch activation {
        case .silu: VectorMath.siluGate(gated, upped, count: rows * f)
        case .geluTanh: VectorMath.geluTanhGate(gated, upped, count: rows * f)
        }
        MatMul.linear(gated, rows: rows, inner: f, weight: down, outer: width, into: y, accumulate: accumulate)
    }

    /// Naive twin for one vector, in Double.
    public func forwardNaive(_ x: [Float]) -> [Float] {
        let (f, d) = (hidden, width)
        let act = activation.naive
        let (gate, up, down) = (self.gate.expanded, self.up.expanded, self.down.expanded)
        var h = [Double](repeating: 0, count: f)
        for j in 0 ..< f {
            var g = 0.0
            var u = 0.0
            for i in 0 ..< d {
                g += Double(gate[j * d + i]) * Double(x[i])
                u += Double(up[j * d + i]) * Double(x[i])
            }
            h[j] = act(g) * u
        }
        return (0 ..< d).map { i in
            var sum = 0.0
            for j in 0 ..< f { sum += Double(down[i * f + j]) * h[j] }
            return Float(sum)
        }
    }
}
