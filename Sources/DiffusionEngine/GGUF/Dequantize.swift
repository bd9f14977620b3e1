/// Expansion of GGUF tensor bytes to F32, bit-identical to `gguf.quants.dequantize` of the `gguf` Python package
/// (gguf-py/gguf/quants.py, the `dequantize_blocks` of each type), which follows ggml's `dequantize_row_*` in
/// ggml/src/ggml-quants.c. Each product and sum is one F32 operation in the same order as there, so the results
/// match bit for bit (checked by GGUFDequantizeTests against fixtures the package wrote).
public enum Dequantize {
    /// Expands `count` elements (a whole number of blocks of `type`) at `source` into `destination`.
    public static func run(_ type: GGMLType, _ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        let blocks = count / type.blockSize
        switch type {
        case .f32:
            for i in 0 ..< count { destination[i] = source.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
        case .f16:
            for i in 0 ..< count { destination[i] = HalfPrecision.float16ToFloat(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .bf16:
            for i in 0 ..< count { destination[i] = HalfPrecision.bfloat16ToFloat(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .q8_0: for b in 0 ..< blocks { q8_0(source + b * type.typeSize, destination + b * 32) }
        case .q4_0: for b in 0 ..< blocks { q4_0(source + b * type.typeSize, destination + b * 32) }
        case .q4_1: for b in 0 ..< blocks { q4_1(source + b * type.typeSize, destination + b * 32) }
        case .q5_0: for b in 0 ..< blocks { q5_0(source + b * type.typeSize, destination + b * 32) }
        case .q5_1: for b in 0 ..< blocks { q5_1(source + b * type.typeSize, destination + b * 32) }
        case .q4_K: for b in 0 ..< blocks { q4_K(source + b * type.typeSize, destination + b * 256) }
        case .q5_K: for b in 0 ..< blocks { q5_K(source + b * type.typeSize, destination + b * 256) }
        case .q6_K: for b in 0 ..< blocks { q6_K(source + b * type.typeSize, destination + b * 256) }
        }
    }

    @inline(__always)
    static func half(_ block: UnsafeRawPointer, _ offset: Int) -> Float {
        HalfPrecision.float16ToFloat(block.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian)
    }

    @inline(__always)
    static func byte(_ block: UnsafeRawPointer, _ offset: Int) -> UInt8 { block.load(fromByteOffset: offset, as: UInt8.self) }

    /// block_q8_0: d (f16), qs[32] (i8). x = q·d.
    static func q8_0(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(block, 0)
        for j in 0 ..< 32 { out[j] = Float(Int8(bitPattern: byte(block, 2 + j))) * d }
    }

    /// block_q4_0: d (f16), qs[16]: low nibbles are elements 0..15, high nibbles 16..31. x = d·(q − 8).
    static func q4_0(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(block, 0)
        for j in 0 ..< 16 {
            let q = byte(block, 2 + j)
            out[j] = d * Float(Int(q & 0x0F) - 8)
            out[j + 16] = d * Float(Int(q >> 4) - 8)
        }
    }

    /// block_q4_1: d, m (f16), qs[16]. x = d·q + m.
    static func q4_1(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(block, 0), m = half(block, 2)
        for j in 0 ..< 16 {
            let q = byte(block, 4 + j)
            out[j] = d * Float(q & 0x0F) + m
            out[j + 16] = d * Float(q >> 4) + m
        }
    }

    /// block_q5_0: d (f16), qh (u32: bit j is the fifth bit of element j), qs[16]. x = d·(q − 16).
    static func q5_0(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(block, 0)
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self).littleEndian
        for j in 0 ..< 16 {
            let q = byte(block, 6 + j)
            let low = Int(q & 0x0F) | Int((qh >> UInt32(j)) & 1) << 4
            let high = Int(q >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
            out[j] = d * Float(low - 16)
            out[j + 16] = d * Float(high - 16)
        }
    }

    /// block_q5_1: d, m (f16), qh (u32), qs[16]. x = d·q + m.
    static func q5_1(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(block, 0), m = half(block, 2)
        let qh = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
        for j in 0 ..< 16 {
            let q = byte(block, 8 + j)
            let low = UInt32(q & 0x0F) | ((qh >> UInt32(j)) & 1) << 4
            let high = UInt32(q >> 4) | ((qh >> UInt32(j + 16)) & 1) << 4
            out[j] = d * Float(low) + m
            out[j + 16] = d * Float(high) + m
        }
    }

    /// The eight 6-bit scales and mins of a Q4_K/Q5_K super-block, packed in 12 bytes (ggml `get_scale_min_k4`).
    @inline(__always)
    static func scaleMin(_ scales: UnsafeRawPointer, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (byte(scales, j) & 63, byte(scales, j + 4) & 63)
        }
        let packed = byte(scales, j + 4)
        return ((packed & 0x0F) | ((byte(scales, j - 4) >> 6) << 4), (packed >> 4) | ((byte(scales, j) >> 6) << 4))
    }

    /// block_q4_K: d, dmin (f16), scales[12], qs[128]; 8 sub-blocks of 32: x = (d·scale)·q − dmin·min.
    /// Sub-blocks 2c and 2c+1 are the low and high nibbles of qs[32c ..< 32c+32].
    static func q4_K(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(block, 0), dmin = half(block, 2)
        let scales = block + 4, qs = block + 16
        for j in 0 ..< 8 {
            let (scale, min) = scaleMin(scales, j)
            let dl = d * Float(scale), ml = dmin * Float(min)
            let shift = UInt8(4 * (j & 1))
            for l in 0 ..< 32 {
                let q = (byte(qs, 32 * (j >> 1) + l) >> shift) & 0x0F
                out[32 * j + l] = dl * Float(q) - ml
            }
        }
    }

    /// block_q5_K: d, dmin (f16), scales[12], qh[32], qs[128]; as Q4_K with a fifth bit: bit j of qh[l] for
    /// element l of sub-block j.
    static func q5_K(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = half(block, 0), dmin = half(block, 2)
        let scales = block + 4, qh = block + 16, qs = block + 48
        for j in 0 ..< 8 {
            let (scale, min) = scaleMin(scales, j)
            let dl = d * Float(scale), ml = dmin * Float(min)
            let shift = UInt8(4 * (j & 1))
            for l in 0 ..< 32 {
                let low = (byte(qs, 32 * (j >> 1) + l) >> shift) & 0x0F
                let high = (byte(qh, l) >> UInt8(j)) & 1
                out[32 * j + l] = dl * Float(low | high << 4) - ml
            }
        }
    }

    /// block_q6_K: ql[128], qh[64], scales[16] (i8), d (f16); 16 sub-blocks of 16: x = (d·scale)·(q − 32).
    /// Element i = 128c + r: low 4 bits from ql[64c + r mod 64] (high nibble when r ≥ 64), top 2 bits from
    /// qh[32c + r mod 32] at bit 2·(r / 32).
    static func q6_K(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let ql = block, qh = block + 128, scales = block + 192
        let d = half(block, 208)
        for c in 0 ..< 2 {
            for r in 0 ..< 128 {
                let i = 128 * c + r
                let low = (byte(ql, 64 * c + r % 64) >> UInt8(4 * (r / 64))) & 0x0F
                let high = (byte(qh, 32 * c + r % 32) >> UInt8(2 * (r / 32))) & 0x03
                let scale = Float(Int8(bitPattern: byte(scales, i / 16)))
                out[i] = (d * scale) * Float(Int(low | high << 4) - 32)
            }
        }
    }
}
