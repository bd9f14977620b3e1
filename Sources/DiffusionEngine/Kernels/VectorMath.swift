#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Eight-lane versions of the scalar loops that dominate a forward pass besides sgemm: exp (attention softmax,
/// router softmax, SiLU) and sums of squares (RMSNorm). Their naive twins are `expf` and a plain loop.
public enum VectorMath {
    public typealias Lanes = SIMD8<Float>

    /// eˣ for each lane, relative error below 2e-7 on [-87, 88]; 0 below -87.3 (where eˣ is subnormal) and +inf
    /// above 88.7. Cephes' expf scheme: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for eʳ, and 2ⁿ
    /// built in the exponent bits.
    @inline(__always)
    public static func exp(_ x: Lanes) -> Lanes {
        let clamped = x.clamped(lowerBound: Lanes(repeating: -87.33), upperBound: Lanes(repeating: 88.72))
        let n = (clamped * 1.442_695_04 + 0.5).rounded(.down)
        // r = x − n·ln2, with ln2 split in two parts so the product is exact enough.
        var r = clamped - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5e-1
        let er = p * (r * r) + r + 1
        let exponentBits = (SIMD8<Int32>(n) &+ 127) &<< 23
        var result = er * unsafeBitCast(exponentBits, to: Lanes.self)
        result.replace(with: 0, where: x .< -87.33)
        result.replace(with: .infinity, where: x .> 88.72)
        return result
    }

    /// x[i] ← exp(x[i] − shift) for i in 0..<count; returns the sum of the results.
    public static func expInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        var sums = Lanes.zero
        var i = 0
        let raw = UnsafeMutableRawPointer(x)
        while i + 8 <= count {
            let values = raw.loadUnaligned(fromByteOffset: 4 * i, as: Lanes.self)
            let e = exp(values - shift)
            raw.storeBytes(of: e, toByteOffset: 4 * i, as: Lanes.self)
            sums += e
            i += 8
        }
        var sum = sums.sum()
        while i < count {
            let e = exp(Lanes(repeating: x[i] - shift))[0]
            x[i] = e
            sum += e
            i += 1
        }
        return sum
    }

    /// Σ x[i]² with eight partial sums.
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var sums = Lanes.zero
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i + 8 <= count {
            let values = raw.loadUnaligned(fromByteOffset: 4 * i, as: Lanes.self)
            sums += values * values
            i += 8
        }
        var sum = sums.sum()
        while i < count {
            sum += x[i] * x[i]
            i += 1
        }
        return sum
    }

    /// SiLU-gated product in place: g[i] ← g[i]·σ(g[i])·u[i] (the SwiGLU activation).
    public static func siluGate(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count: Int) {
        var i = 0
        let gates = UnsafeMutableRawPointer(g)
        let ups = UnsafeRawPointer(u)
        while i + 8 <= count {
            let gate = gates.loadUnaligned(fromByteOffset: 4 * i, as: Lanes.self)
            let up = ups.loadUnaligned(fromByteOffset: 4 * i, as: Lanes.self)
            gates.storeBytes(of: gate / (1 + exp(-gate)) * up, toByteOffset: 4 * i, as: Lanes.self)
            i += 8
        }
        while i < count {
            g[i] = g[i] / (1 + expf(-g[i])) * u[i]
            i += 1
        }
    }
}
