/// Quantization of F32 rows into GGUF block types: ports of ggml's reference quantizers
/// (https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-quants.c, `quantize_row_q8_0_ref`,
/// `quantize_row_q4_0_ref`, `quantize_row_q4_1_ref`, `quantize_row_q5_0_ref`, `quantize_row_q5_1_ref`) and of
/// the `gguf` package's F16/BF16 conversions. Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, F16 and BF16 are checked byte for
/// byte against `gguf.quants.quantize` (GGUFQuantizeTests); the K-quants are in `KQuantize`.
public enum Quantize {
    /// Encodes `count` values (a whole number of blocks of `type`) from `source` into `destination`
    /// (`type.byteCount(elements: count)` bytes).
    public static func run(_ type: GGMLType, _ source: UnsafePointer<Float>, count: Int, into destination: UnsafeMutableRawPointer) {
        let blocks = count / type.blockSize
        let size = type.typeSize
        switch type {
        case .f32:
            for i in 0 ..< count { destination.storeBytes(of: source[i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
        case .f16:
            for i in 0 ..< count { destination.storeBytes(of: halfBits(source[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        case .bf16:
            for i in 0 ..< count { destination.storeBytes(of: bfloat16Bits(source[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        case .q8_0: for b in 0 ..< blocks { q8_0(source + 32 * b, destination + size * b) }
        case .q4_0: for b in 0 ..< blocks { q4_0(source + 32 * b, destination + size * b) }
        case .q4_1: for b in 0 ..< blocks { q4_1(source + 32 * b, destination + size * b) }
        case .q5_0: for b in 0 ..< blocks { q5_0(source + 32 * b, destination + size * b) }
        case .q5_1: for b in 0 ..< blocks { q5_1(source + 32 * b, destination + size * b) }
        case .q4_K: for b in 0 ..< blocks { KQuantize.q4_K(source + 256 * b, destination + size * b) }
        case .q5_K: for b in 0 ..< blocks { KQuantize.q5_K(source + 256 * b, destination + size * b) }
        case .q6_K: for b in 0 ..< blocks { KQuantize.q6_K(source + 256 * b, destination + size * b) }
        }
    }

    /// F32 to IEEE binary16 bits, rounding to nearest even (as numpy's `astype(float16)` and ggml's
    /// `GGML_FP32_TO_FP16` do); overflow gives infinity, NaN stays NaN.
    static func halfBits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF { return sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | UInt16(mantissa >> 13)) }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Subnormal (or zero) in F16: shift the mantissa with its implicit bit, rounding to nearest even.
            guard halfExponent >= -10 else { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - halfExponent)
            let half = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            let rounded = half + ((remainder > halfway || (remainder == halfway && half & 1 == 1)) ? 1 : 0)
            return sign | UInt16(rounded)
        }
        var result = UInt32(halfExponent) << 10 | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && result & 1 == 1) { result += 1 }  // may carry into the exponent: correct
        return sign | UInt16(result)
    }

    /// F32 to bfloat16 bits, rounding to nearest even, NaN forced quiet (`gguf.quants.BF16`, ggml `ggml_compute_fp32_to_bf16`).
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if bits & 0x7FFF_FFFF > 0x7F80_0000 { return UInt16(truncatingIfNeeded: ((bits & 0xFFFF_0000) | 64 << 16) >> 16) }
        return UInt16(truncatingIfNeeded: (UInt64(bits) + UInt64(0x7FFF + ((bits >> 16) & 1))) >> 16)
    }

    /// C's float-to-int conversion (truncation) for the values the quantizers produce; never traps (callers
    /// reject non-finite weights first, and a stray one maps to 0 here).
    @inline(__always)
    static func cInt(_ value: Float) -> Int {
        guard value.isFinite else { return 0 }
        return Int(max(min(value, 1e9), -1e9))
    }

    @inline(__always)
    static func storeHalf(_ value: Float, _ block: UnsafeMutableRawPointer, _ offset: Int) {
        block.storeBytes(of: halfBits(value).littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    /// `quantize_row_q8_0_ref`: d = max|x|/127, q = round(x/d) (half away from zero).
    static func q8_0(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0 ..< 32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, block, 0)
        for j in 0 ..< 32 {
            block.storeBytes(of: Int8(truncatingIfNeeded: cInt((x[j] * id).rounded(.toNearestOrAwayFromZero))), toByteOffset: 2 + j, as: Int8.self)
        }
    }

    /// The value of largest magnitude (the first one on ties), as ggml's `if (amax < fabsf(v))` loop finds it.
    @inline(__always)
    static func signedMaximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var amax: Float = 0, value: Float = 0
        for j in 0 ..< n where amax < abs(x[j]) { amax = abs(x[j]); value = x[j] }
        return value
    }

    /// `quantize_row_q4_0_ref`: d = max/−8, q = min(15, trunc(x/d + 8.5)).
    static func q4_0(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        let d = signedMaximum(x, 32) / -8
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, block, 0)
        for j in 0 ..< 16 {
            let low = min(15, UInt8(truncatingIfNeeded: cInt(x[j] * id + 8.5)))
            let high = min(15, UInt8(truncatingIfNeeded: cInt(x[j + 16] * id + 8.5)))
            block.storeBytes(of: low | high << 4, toByteOffset: 2 + j, as: UInt8.self)
        }
    }

    /// `quantize_row_q4_1_ref`: d = (max − min)/15, m = min, q = min(15, trunc((x − min)/d + 0.5)).
    static func q4_1(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var (lo, hi) = (Float.greatestFiniteMagnitude, -Float.greatestFiniteMagnitude)
        for j in 0 ..< 32 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
        let d = (hi - lo) / 15
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, block, 0)
        storeHalf(lo, block, 2)
        for j in 0 ..< 16 {
            let low = min(15, UInt8(truncatingIfNeeded: cInt((x[j] - lo) * id + 0.5)))
            let high = min(15, UInt8(truncatingIfNeeded: cInt((x[j + 16] - lo) * id + 0.5)))
            block.storeBytes(of: low | high << 4, toByteOffset: 4 + j, as: UInt8.self)
        }
    }

    /// `quantize_row_q5_0_ref`: d = max/−16, q = min(31, trunc(x/d + 16.5)); fifth bits packed into qh.
    static func q5_0(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        let d = signedMaximum(x, 32) / -16
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, block, 0)
        var qh: UInt32 = 0
        for j in 0 ..< 16 {
            let low = min(31, UInt8(truncatingIfNeeded: cInt(x[j] * id + 16.5)))
            let high = min(31, UInt8(truncatingIfNeeded: cInt(x[j + 16] * id + 16.5)))
            block.storeBytes(of: (low & 0x0F) | (high & 0x0F) << 4, toByteOffset: 6 + j, as: UInt8.self)
            qh |= UInt32(low >> 4) << UInt32(j) | UInt32(high >> 4) << UInt32(j + 16)
        }
        block.storeBytes(of: qh.littleEndian, toByteOffset: 2, as: UInt32.self)
    }

    /// `quantize_row_q5_1_ref`: d = (max − min)/31, m = min, q = trunc((x − min)/d + 0.5).
    static func q5_1(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var (lo, hi) = (Float.greatestFiniteMagnitude, -Float.greatestFiniteMagnitude)
        for j in 0 ..< 32 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
        let d = (hi - lo) / 31
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, block, 0)
        storeHalf(lo, block, 2)
        var qh: UInt32 = 0
        for j in 0 ..< 16 {
            let low = min(31, UInt8(truncatingIfNeeded: cInt((x[j] - lo) * id + 0.5)))
            let high = min(31, UInt8(truncatingIfNeeded: cInt((x[j + 16] - lo) * id + 0.5)))
            block.storeBytes(of: (low & 0x0F) | (high & 0x0F) << 4, toByteOffset: 8 + j, as: UInt8.self)
            qh |= UInt32(low >> 4) << UInt32(j) | UInt32(high >> 4) << UInt32(j + 16)
        }
        block.storeBytes(of: qh.littleEndian, toByteOffset: 4, as: UInt32.self)
    }
}
