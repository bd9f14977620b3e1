/// Faster twins of `Dequantize.run` for the types whose plain version is slow (F16's branchy widening, the
/// bit-gathering of Q5_K and Q6_K; measured about 4x, 1.5x and 15x on this machine): the same F32 operations in the same order per element, so the results are
/// bit-identical to the plain versions (GGUFDequantizeTests compares the two on random blocks).
public enum DequantizeFast {
    /// IEEE binary16 to binary32 without branches (selects only, so the loop vectorizes): the exponent is
    /// rebased, infinities and NaN get the F32 all-ones exponent, and subnormals are renormalised by one exact F32
    /// subtraction (the "magic number" widening of Fabian Giesen's half_to_float). Same bits as the plain version.
    @inline(__always)
    static func half(_ bits: UInt16) -> Float {
        let h = UInt32(bits)
        let sign = (h & 0x8000) << 16
        let shifted = (h & 0x7FFF) << 13
        let exponent = shifted & 0x0F80_0000
        let rebased = shifted &+ ((127 - 15) << 23)
        let special = rebased &+ ((128 - 16) << 23)  // infinity or NaN
        let subnormal = Float(bitPattern: rebased &+ (1 << 23)) - Float(bitPattern: 113 << 23)
        let magnitude = exponent == 0x0F80_0000 ? special : (exponent == 0 ? subnormal.bitPattern : rebased)
        return Float(bitPattern: sign | magnitude)
    }

    /// Expands `count` elements of `type` at `source` into `destination`, like `Dequantize.run`.
    public static func run(_ type: GGMLType, _ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        let blocks = count / type.blockSize
        switch type {
        case .f16:
            for i in 0 ..< count {
                destination[i] = half(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .q5_K: for b in 0 ..< blocks { q5_K(source + b * type.typeSize, destination + b * 256) }
        case .q6_K: for b in 0 ..< blocks { q6_K(source + b * type.typeSize, destination + b * 256) }
        default: Dequantize.run(type, source, count: count, into: destination)
        }
    }

    /// As `Dequantize.q5_K`, looping as ggml's `dequantize_row_q5_K` does: two sub-blocks per 32 bytes of qs.
    static func q5_K(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = Dequantize.half(block, 0), dmin = Dequantize.half(block, 2)
        let scales = block + 4
        let qh = (block + 16).assumingMemoryBound(to: UInt8.self)
        let qs = (block + 48).assumingMemoryBound(to: UInt8.self)
        for pair in 0 ..< 4 {
            let (scaleLow, minLow) = Dequantize.scaleMin(scales, 2 * pair)
            let (scaleHigh, minHigh) = Dequantize.scaleMin(scales, 2 * pair + 1)
            let d1 = d * Float(scaleLow), m1 = dmin * Float(minLow)
            let d2 = d * Float(scaleHigh), m2 = dmin * Float(minHigh)
            let bitLow = UInt8(1) << UInt8(2 * pair), bitHigh = UInt8(2) << UInt8(2 * pair)
            let q = qs + 32 * pair
            let y = out + 64 * pair
            for l in 0 ..< 32 {
                let low = (q[l] & 0x0F) | (qh[l] & bitLow != 0 ? 16 : 0)
                let high = (q[l] >> 4) | (qh[l] & bitHigh != 0 ? 16 : 0)
                y[l] = d1 * Float(low) - m1
                y[l + 32] = d2 * Float(high) - m2
            }
        }
    }

    /// As `Dequantize.q6_K`, looping as ggml's `dequantize_row_q6_K` does: four outputs per (ql, qh) position.
    static func q6_K(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = Dequantize.half(block, 208)
        let scales = (block + 192).assumingMemoryBound(to: Int8.self)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { scaled in
            for j in 0 ..< 16 { scaled[j] = d * Float(scales[j]) }
            for half in 0 ..< 2 {
                let ql = (block + 64 * half).assumingMemoryBound(to: UInt8.self)
                let qh = (block + 128 + 32 * half).assumingMemoryBound(to: UInt8.self)
                let y = out + 128 * half
                let s = scaled.baseAddress! + 8 * half
                for l in 0 ..< 32 {
                    let group = l / 16
                    let q1 = Int((ql[l] & 0x0F) | ((qh[l] >> 0) & 3) << 4) - 32
                    let q2 = Int((ql[l + 32] & 0x0F) | ((qh[l] >> 2) & 3) << 4) - 32
                    let q3 = Int((ql[l] >> 4) | ((qh[l] >> 4) & 3) << 4) - 32
                    let q4 = Int((ql[l + 32] >> 4) | ((qh[l] >> 6) & 3) << 4) - 32
                    y[l] = s[group] * Float(q1)
                    y[l + 32] = s[group + 2] * Float(q2)
                    y[l + 64] = s[group + 4] * Float(q3)
                    y[l + 96] = s[group + 6] * Float(q4)
                }
            }
        }
    }
}
