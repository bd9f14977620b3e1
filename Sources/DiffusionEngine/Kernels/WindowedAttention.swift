import COpenBLAS

/// Scaled dot-product attention where each query sees one contiguous range of keys: causal (keys ..< own position
/// + 1), sliding window (the last W positions), or everything (a bidirectional canvas over a cached prefix).
/// q [T, H·D], k and v [S, KVH·D], out [T, H·D]; head h reads kv head h / (H/KVH) (grouped-query attention).
/// DiffusionGemma calls it with `scale` 1 (its q/k norms replace the 1/√D).
public enum WindowedAttention {
    /// Fast path: per head, scores = q_h·k_gᵀ and out_h = P·v_g as strided `cblas_sgemm` calls; keys outside
    /// `keyRanges[t]` get −∞ before the softmax. `scores` is scratch of at least T·S floats.
    public static func forward(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, shape: Attention.Shape,
        scale: Float, keyRanges: [Range<Int>], scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        let (t, s, d) = (shape.queries, shape.keys, shape.headDim)
        precondition(keyRanges.count == t, "WindowedAttention: \(keyRanges.count) key ranges for \(t) queries")
        let queryStride = shape.heads * d
        let keyStride = shape.keyValueHeads * d
        let group = shape.heads / shape.keyValueHeads
        for h in 0 ..< shape.heads {
            let g = h / group
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(s), Int32(d),
                scale, q + h * d, Int32(queryStride), k + g * d, Int32(keyStride), 0, scores, Int32(s))
            for (row, range) in keyRanges.enumerated() where range != 0 ..< s {
                let scoreRow = scores + row * s
                for key in 0 ..< range.lowerBound { scoreRow[key] = -.infinity }
                for key in range.upperBound ..< s { scoreRow[key] = -.infinity }
            }
            Softmax.rows(scores, rows: t, width: s)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(d), Int32(s),
                1, scores, Int32(s), v + g * d, Int32(keyStride), 0, out + h * d, Int32(queryStride))
        }
    }

    /// Naive twin: loops over every query, head and key of its range, in Double.
    public static func forwardNaive(
        q: [Float], k: [Float], v: [Float], shape: Attention.Shape, scale: Float, keyRanges: [Range<Int>]
    ) -> [Float] {
        let d = shape.headDim
        let group = shape.heads / shape.keyValueHeads
        var out = [Float](repeating: 0, count: shape.queries * shape.heads * d)
        for h in 0 ..< shape.heads {
            let g = h / group
            for i in 0 ..< shape.queries {
                let keys = Array(keyRanges[i])
                guard !keys.isEmpty else { continue }
                let weights = keys.map { j in
                    var dot = 0.0
                    for c in 0 ..< d {
                        dot += Double(q[(i * shape.heads + h) * d + c]) * Double(k[(j * shape.keyValueHeads + g) * d + c])
                    }
                    return dot * Double(scale)
                }
                let maximum = weights.max()!
                let exps = weights.map { exp($0 - maximum) }
                let total = exps.reduce(0, +)
                for c in 0 ..< d {
                    var sum = 0.0
                    for (n, j) in keys.enumerated() { sum += exps[n] / total * Double(v[(j * shape.keyValueHeads + g) * d + c]) }
                    out[(i * shape.heads + h) * d + c] = Float(sum)
                }
            }
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
