import COpenBLAS

/// Scaled dot-product attention over all keys (bidirectional: no causal mask), with grouped-query attention and
/// an optional key padding mask. q [T, H·D], k and v [S, KVH·D], out [T, H·D]; head h reads kv head h / (H/KVH).
public enum Attention {
    public struct Shape: Sendable {
        public let queries: Int
        public let keys: Int
        public let heads: Int
        public let keyValueHeads: Int
        public let headDim: Int

        public init(queries: Int, keys: Int, heads: Int, keyValueHeads: Int, headDim: Int) {
            self.queries = queries
            self.keys = keys
            self.heads = heads
            self.keyValueHeads = keyValueHeads
            self.headDim = headDim
        }
    }

    /// Query rows per block: a block's scores [rows, S] stay in cache between the three passes over them.
    public static let queryBlock = 64

    /// Fast path: per head and block of queries, scores = q_h·k_gᵀ and out_h = P·v_g as strided `cblas_sgemm`
    /// calls (no transposes). `scores` is scratch of at least min(T, 64)·S floats. `keyMask[s] == false` hides key s.
    public static func forward(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, shape: Shape,
        keyMask: UnsafePointer<Bool>?, scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        let (t, s, d) = (shape.queries, shape.keys, shape.headDim)
        let queryStride = shape.heads * d
        let keyStride = shape.keyValueHeads * d
        let group = shape.heads / shape.keyValueHeads
        let scale = 1 / Float(d).squareRoot()
        for h in 0 ..< shape.heads {
            let g = h / group
            for first in stride(from: 0, to: t, by: queryBlock) {
                let rows = min(queryBlock, t - first)
                let queries = q + first * queryStride + h * d
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(s), Int32(d),
                    scale, queries, Int32(queryStride), k + g * d, Int32(keyStride), 0, scores, Int32(s))
                if let keyMask {
                    for row in 0 ..< rows {
                        for key in 0 ..< s where !keyMask[key] { scores[row * s + key] = -.infinity }
                    }
                }
                Softmax.rows(scores, rows: rows, width: s)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(d), Int32(s),
                    1, scores, Int32(s), v + g * d, Int32(keyStride), 0, out + first * queryStride + h * d, Int32(queryStride))
            }
        }
    }

    /// Naive twin: loops over every query, head and key, in Double.
    public static func forwardNaive(q: [Float], k: [Float], v: [Float], shape: Shape, keyMask: [Bool]?) -> [Float] {
        let (t, s, d) = (shape.queries, shape.keys, shape.headDim)
        let group = shape.heads / shape.keyValueHeads
        var out = [Float](repeating: 0, count: t * shape.heads * d)
        for h in 0 ..< shape.heads {
            let g = h / group
            for i in 0 ..< t {
                var weights = [Double](repeating: 0, count: s)
                for j in 0 ..< s {
                    var dot = 0.0
                    for c in 0 ..< d {
                        dot += Double(q[(i * shape.heads + h) * d + c]) * Double(k[(j * shape.keyValueHeads + g) * d + c])
                    }
                    weights[j] = (keyMask?[j] ?? true) ? dot / Double(d).squareRoot() : -.infinity
                }
                let maximum = weights.max() ?? 0
                if maximum == -.infinity { continue }
                let exps = weights.map { exp($0 - maximum) }
                let total = exps.reduce(0, +)
                for c in 0 ..< d {
                    var sum = 0.0
                    for j in 0 ..< s { sum += exps[j] / total * Double(v[(j * shape.keyValueHeads + g) * d + c]) }
                    out[(i * shape.heads + h) * d + c] = Float(sum)
                }
            }
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#endif
