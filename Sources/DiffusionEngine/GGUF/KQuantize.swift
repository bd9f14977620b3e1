/// The K-quant reference quantizers of ggml, ported operation for operation (same F32 arithmetic in the same
/// order): https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-quants.c, `quantize_row_q4_K_ref`,
/// `quantize_row_q5_K_ref`, `quantize_row_q6_K_ref`, with their helpers `nearest_int`, `make_qkx2_quants` and
/// `make_qx_quants`. (llama-quantize without an importance matrix calls exactly these.) The `gguf` Python package
/// cannot quantize K-quants, so GGUFQuantizeTests checks them byte for byte against the output of ggml 0.25.3 itself
/// (Fixtures/gguf/kquant/, written by Experiments/models/tools/make_kquant_fixture.py), and by round-trip error.
enum KQuantize {
    /// ggml `nearest_int`: round to nearest, ties to even, by adding 1.5·2^23 (valid for |x| ≤ 4194303).
    @inline(__always)
    static func nearestInt(_ value: Float) -> Int {
        guard value.isFinite, abs(value) <= 4_194_303 else { return value > 0 ? 4_194_303 : -4_194_303 }
        let shifted = value + 12_582_912
        return Int(Int32(bitPattern: shifted.bitPattern) & 0x007F_FFFF) - 0x0040_0000
    }

    /// ggml `make_qkx2_quants`: levels L in 0...nmax and (scale, −min) for x ≈ scale·L − min, searching
    /// `nstep` + 1 candidate scales for the least weighted squared error.
    static func makeQkx2(
        _ n: Int, _ nmax: Int, _ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ levels: UnsafeMutablePointer<UInt8>,
        rmin: Float, rdelta: Float, nstep: Int
    ) -> (scale: Float, min: Float) {
        var lo = x[0], hi = x[0]
        var sumW = weights[0]
        var sumX = sumW * x[0]
        for i in 1 ..< n {
            if x[i] < lo { lo = x[i] }
            if x[i] > hi { hi = x[i] }
            let w = weights[i]
            sumW += w
            sumX += w * x[i]
        }
        if lo > 0 { lo = 0 }
        if hi == lo {
            for i in 0 ..< n { levels[i] = 0 }
            return (0, -lo)
        }
        let fmax = Float(nmax)
        var iscale = fmax / (hi - lo)
        var scale = 1 / iscale
        var bestError: Float = 0
        for i in 0 ..< n {
            let l = nearestInt(iscale * (x[i] - lo))
            levels[i] = UInt8(Swift.max(0, Swift.min(nmax, l)))
            let diff = scale * Float(levels[i]) + lo - x[i]
            bestError += weights[i] * (diff * diff)
        }
        var aux = [UInt8](repeating: 0, count: n)
        for step in 0 ... nstep {
            iscale = (rmin + rdelta * Float(step) + fmax) / (hi - lo)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0 ..< n {
                let l = Swift.max(0, Swift.min(nmax, nearestInt(iscale * (x[i] - lo))))
                aux[i] = UInt8(l)
                let w = weights[i], fl = Float(l)
                sumL += w * fl
                sumL2 += w * fl * fl
                sumXL += w * fl * x[i]
            }
            let determinant = sumW * sumL2 - sumL * sumL
            if determinant > 0 {
                var thisScale = (sumW * sumXL - sumX * sumL) / determinant
                var thisMin = (sumL2 * sumX - sumL * sumXL) / determinant
                if thisMin > 0 {
                    thisMin = 0
                    thisScale = sumXL / sumL2
                }
                var error: Float = 0
                for i in 0 ..< n {
                    let diff = thisScale * Float(aux[i]) + thisMin - x[i]
                    error += weights[i] * (diff * diff)
                }
                if error < bestError {
                    for i in 0 ..< n { levels[i] = aux[i] }
                    bestError = error
                    scale = thisScale
                    lo = thisMin
                }
            }
        }
        return (scale, -lo)
    }

    /// ggml `make_qx_quants` with rmse_type 1 (weights x²) and no importance weights, as `quantize_row_q6_K_ref`
    /// calls it: levels L in 0..<2·nmax (stored offset by nmax) and the scale for x ≈ scale·(L − nmax).
    static func makeQx(_ n: Int, _ nmax: Int, _ x: UnsafePointer<Float>, _ levels: UnsafeMutablePointer<Int8>) -> Float {
        var hi: Float = 0, amax: Float = 0
        for i in 0 ..< n where abs(x[i]) > amax { amax = abs(x[i]); hi = x[i] }
        if amax < 1e-15 {  // GROUP_MAX_EPS: all zero
            for i in 0 ..< n { levels[i] = 0 }
            return 0
        }
        var iscale = Float(-nmax) / hi
        var sumLX: Float = 0, sumL2: Float = 0
        for i in 0 ..< n {
            let l = Swift.max(-nmax, Swift.min(nmax - 1, nearestInt(iscale * x[i])))
            levels[i] = Int8(l + nmax)
            let w = x[i] * x[i], fl = Float(l)
            sumLX += w * x[i] * fl
            sumL2 += w * fl * fl
        }
        var scale = sumL2 != 0 ? sumLX / sumL2 : 0
        var best = scale * sumLX
        for step in -9 ... 9 where step != 0 {
            iscale = -(Float(nmax) + 0.1 * Float(step)) / hi
            sumLX = 0
            sumL2 = 0
            for i in 0 ..< n {
                let fl = Float(Swift.max(-nmax, Swift.min(nmax - 1, nearestInt(iscale * x[i]))))
                let w = x[i] * x[i]
                sumLX += w * x[i] * fl
                sumL2 += w * fl * fl
            }
            if sumL2 > 0 && sumLX * sumLX > best * sumL2 {
                for i in 0 ..< n {
                    levels[i] = Int8(nmax + Swift.max(-nmax, Swift.min(nmax - 1, nearestInt(iscale * x[i]))))
                }
                scale = sumLX / sumL2
                best = scale * sumLX
            }
        }
        return scale
    }

    /// The 6-bit scales and mins of eight sub-blocks, packed into 12 bytes (inverse of `Dequantize.scaleMin`).
    static func packScales(_ ls: [UInt8], _ lm: [UInt8], into scales: UnsafeMutableRawPointer) {
        for j in 0 ..< 12 { scales.storeBytes(of: 0, toByteOffset: j, as: UInt8.self) }
        func or(_ offset: Int, _ value: UInt8) {
            scales.storeBytes(of: scales.load(fromByteOffset: offset, as: UInt8.self) | value, toByteOffset: offset, as: UInt8.self)
        }
        for j in 0 ..< 8 {
            if j < 4 {
                or(j, ls[j])
                or(j + 4, lm[j])
            } else {
                or(j + 4, (ls[j] & 0x0F) | (lm[j] & 0x0F) << 4)
                or(j - 4, (ls[j] >> 4) << 6)
                or(j, (lm[j] >> 4) << 6)
            }
        }
    }

    /// Shared by Q4_K and Q5_K: per sub-block of 32, weights |x| + rms, `make_qkx2_quants`, then 6-bit scales and
    /// mins relative to the largest, then every level recomputed against the stored (rounded) scales.
    static func scaledLevels(
        _ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer, nmax: Int, rmin: Float, nstep: Int
    ) -> [UInt8] {
        var levels = [UInt8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: 8), mins = [Float](repeating: 0, count: 8)
        var weights = [Float](repeating: 0, count: 32)
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0 ..< 8 {
            let sub = x + 32 * j
            var sumX2: Float = 0
            for l in 0 ..< 32 { sumX2 += sub[l] * sub[l] }
            let average = (sumX2 / 32).squareRoot()
            for l in 0 ..< 32 { weights[l] = average + abs(sub[l]) }
            let (scale, min) = weights.withUnsafeBufferPointer { w in
                levels.withUnsafeMutableBufferPointer { makeQkx2(32, nmax, sub, w.baseAddress!, $0.baseAddress! + 32 * j, rmin: rmin, rdelta: 0.1, nstep: nstep) }
            }
            scales[j] = scale
            mins[j] = min
            if scale > maxScale { maxScale = scale }
            if min > maxMin { maxMin = min }
        }
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        // C stores nearest_int into a uint8_t before MIN(63, ·): the conversion wraps, so keep that.
        let ls = (0 ..< 8).map { Swift.min(63, UInt8(truncatingIfNeeded: nearestInt(inverseScale * scales[$0]))) }
        let lm = (0 ..< 8).map { Swift.min(63, UInt8(truncatingIfNeeded: nearestInt(inverseMin * mins[$0]))) }
        Quantize.storeHalf(maxScale / 63, block, 0)
        Quantize.storeHalf(maxMin / 63, block, 2)
        packScales(ls, lm, into: block + 4)
        let d = Dequantize.half(block, 0), dmin = Dequantize.half(block, 2)
        for j in 0 ..< 8 {
            let (scale, min) = Dequantize.scaleMin(block + 4, j)
            let dl = d * Float(scale)
            if dl == 0 { continue }
            let ml = dmin * Float(min)
            for i in 0 ..< 32 {
                levels[32 * j + i] = UInt8(Swift.max(0, Swift.min(nmax, nearestInt((x[32 * j + i] + ml) / dl))))
            }
        }
        return levels
    }

    /// `quantize_row_q4_K_ref`: block_q4_K = d, dmin, scales[12], qs[128].
    static func q4_K(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        let levels = scaledLevels(x, block, nmax: 15, rmin: -1, nstep: 20)
        for chunk in 0 ..< 4 {
            for l in 0 ..< 32 {
                block.storeBytes(of: levels[64 * chunk + l] | levels[64 * chunk + l + 32] << 4, toByteOffset: 16 + 32 * chunk + l, as: UInt8.self)
            }
        }
    }

    /// `quantize_row_q5_K_ref`: block_q5_K = d, dmin, scales[12], qh[32], qs[128].
    static func q5_K(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        let levels = scaledLevels(x, block, nmax: 31, rmin: -0.5, nstep: 15)
        var qh = [UInt8](repeating: 0, count: 32)
        var m1: UInt8 = 1, m2: UInt8 = 2
        for chunk in 0 ..< 4 {
            for j in 0 ..< 32 {
                var l1 = levels[64 * chunk + j], l2 = levels[64 * chunk + j + 32]
                if l1 > 15 { l1 -= 16; qh[j] |= m1 }
                if l2 > 15 { l2 -= 16; qh[j] |= m2 }
                block.storeBytes(of: l1 | l2 << 4, toByteOffset: 48 + 32 * chunk + j, as: UInt8.self)
            }
            m1 <<= 2
            m2 <<= 2
        }
        for j in 0 ..< 32 { block.storeBytes(of: qh[j], toByteOffset: 16 + j, as: UInt8.self) }
    }

    /// `quantize_row_q6_K_ref`: block_q6_K = ql[128], qh[64], scales[16] (i8), d.
    static func q6_K(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var levels = [Int8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: 16)
        var maxScale: Float = 0, maxAbsScale: Float = 0
        levels.withUnsafeMutableBufferPointer { levels in
            for ib in 0 ..< 16 {
                let scale = makeQx(16, 32, x + 16 * ib, levels.baseAddress! + 16 * ib)
                scales[ib] = scale
                if abs(scale) > maxAbsScale { maxAbsScale = abs(scale); maxScale = scale }
            }
        }
        if maxAbsScale < 1e-15 {
            for j in 0 ..< GGMLType.q6_K.typeSize { block.storeBytes(of: 0, toByteOffset: j, as: UInt8.self) }
            return
        }
        let iscale = -128 / maxScale
        Quantize.storeHalf(1 / iscale, block, 208)
        for ib in 0 ..< 16 {
            let scale = Int8(truncatingIfNeeded: Swift.min(127, nearestInt(iscale * scales[ib])))
            block.storeBytes(of: scale, toByteOffset: 192 + ib, as: Int8.self)
        }
        let d = Dequantize.half(block, 208)
        for j in 0 ..< 16 {
            let dl = d * Float(block.load(fromByteOffset: 192 + j, as: Int8.self))
            if dl == 0 { continue }
            for i in 0 ..< 16 {
                levels[16 * j + i] = Int8(Swift.max(-32, Swift.min(31, nearestInt(x[16 * j + i] / dl))) + 32)
            }
        }
        for half in 0 ..< 2 {
            let L = 128 * half
            for l in 0 ..< 32 {
                let q1 = UInt8(levels[L + l]), q2 = UInt8(levels[L + l + 32])
                let q3 = UInt8(levels[L + l + 64]), q4 = UInt8(levels[L + l + 96])
                block.storeBytes(of: (q1 & 0x0F) | (q3 & 0x0F) << 4, toByteOffset: 64 * half + l, as: UInt8.self)
                block.storeBytes(of: (q2 & 0x0F) | (q4 & 0x0F) << 4, toByteOffset: 64 * half + l + 32, as: UInt8.self)
                block.storeBytes(of: (q1 >> 4) | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6, toByteOffset: 128 + 32 * half + l, as: UInt8.self)
            }
        }
    }
}
