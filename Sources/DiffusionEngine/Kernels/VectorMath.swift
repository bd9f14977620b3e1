#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Eight-lane versions of the scalar loops that dominate a forward pass besides sgemm: exp (attention softmax,
/// router softmax, SiLU) and sums of squares (RMSNorm). Their naive twins are `expf` and a plain loop.
public enum VectorMath {
    public typealias Lanes = SIMD8<Float>

    /// eˣ for each lane, relative error below 3e-7 on [-87, 88]; 0 below -87.3 (where eˣ is subnormal) and +inf
    /// above 88.7. Cephes' expf scheme: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for eʳ, and 2ⁿ
    /// built in the exponent bits. Only lane-wise float and integer arithmetic is used: Swift's generic SIMD
    /// conversions (`SIMD8<Int32>(floats)`, `rounded`) run lane by lane and cost more than the whole polynomial.
    @inline(__always)
    public static func exp(_ x: Lanes) -> Lanes {
        let low = Lanes(repeating: -87.33)
        let high = Lanes(repeating: 88.72)
        var clamped = x
        clamped.replace(with: low, where: x .< low)
        clamped.replace(with: high, where: x .> high)
        // Round to nearest with the 1.5·2²³ trick: the integer lands in the low mantissa bits.
        let magic = Lanes(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
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
        // 2ⁿ: the integer n sits in the low bits of `shifted` (bias 0x4B40_0000); move it into the exponent field.
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: Lanes.self)
        var result = er * scale
        result.replace(with: 0, where: x .< low)
        result.replace(with: .infinity, where: x .> high)
        return result  // NaN lanes stay NaN: every comparison above is false for them
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

    /// max x[i] (-inf for an empty or fully -inf row).
    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = Lanes(repeating: -.infinity)
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i + 8 <= count {
            let values = raw.loadUnaligned(fromByteOffset: 4 * i, as: Lanes.self)
            lanes.replace(with: values, where: values .> lanes)
            i += 8
        }
        var result = lanes.max()
        while i < count {
            if x[i] > result { result = x[i] }
            i += 1
        }
        return result
    }

    /// x[i] ← x[i]·factor.
    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        var i = 0
        let raw = UnsafeMutableRawPointer(x)
        while i + 8 <= count {
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: 4 * i, as: Lanes.self) * factor, toByteOffset: 4 * i, as: Lanes.self)
            i += 8
        }
        while i < count {
            x[i] *= factor
            i += 1
        }
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
