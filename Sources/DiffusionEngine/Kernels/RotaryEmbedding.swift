#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding in the half-split (NEOX, `rotate_half`) layout of Hugging Face Llama/OLMoE:
/// the first `rotaryDim` dims of each head are split into halves (x1, x2) → (x1·cos − x2·sin, x2·cos + x1·sin);
/// dims past `rotaryDim` (partial rotary) pass through.
public struct RotaryEmbedding: Sendable {
    public let headDim: Int
    public let rotaryDim: Int
    /// inv_freq[i] = 1 / θ^(2i / rotaryDim), in F32 as the reference computes it.
    public let inverseFrequencies: [Float]

    public init(headDim: Int, rotaryDim: Int, theta: Double) {
        self.headDim = headDim
        self.rotaryDim = rotaryDim
        inverseFrequencies = (0 ..< rotaryDim / 2).map { i in
            1 / Float(pow(Double(Float(theta)), Double(Float(2 * i) / Float(rotaryDim))))
        }
    }

    /// cos/sin tables for positions 0 ..< length, each [length, rotaryDim/2].
    public func tables(length: Int) -> (cos: [Float], sin: [Float]) {
        let half = rotaryDim / 2
        var cosines = [Float](repeating: 0, count: length * half)
        var sines = [Float](repeating: 0, count: length * half)
        for p in 0 ..< length {
            for i in 0 ..< half {
                let angle = Float(p) * inverseFrequencies[i]  // F32 product, like the reference's matmul
                cosines[p * half + i] = cosf(angle)
                sines[p * half + i] = sinf(angle)
            }
        }
        return (cosines, sines)
    }

    /// Rotates x [length, heads, headDim] in place with tables from `tables(length:)`.
    public func apply(
        _ x: UnsafeMutablePointer<Float>, length: Int, heads: Int,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let half = rotaryDim / 2
        for p in 0 ..< length {
            let c = cos + p * half
            let s = sin + p * half
            for h in 0 ..< heads {
                VectorKernels.active.rotateHalf(x + (p * heads + h) * headDim, c, s, half)
            }
        }
    }

    /// Naive twin: builds the rotated vector as `x·cos + rotate_half(x)·sin`, literally as the reference writes it.
    public func applyNaive(_ x: [Float], length: Int, heads: Int) -> [Float] {
        let half = rotaryDim / 2
        var y = x
        for p in 0 ..< length {
            for h in 0 ..< heads {
                let base = (p * heads + h) * headDim
                for i in 0 ..< rotaryDim {
                    let angle = Double(Float(p) * inverseFrequencies[i % half])
                    let rotated = i < half ? -x[base + i + half] : x[base + i - half]
                    y[base + i] = Float(Double(x[base + i]) * Glibc.cos(angle) + Double(rotated) * Glibc.sin(angle))
                }
            }
        }
        return y
    }
}
