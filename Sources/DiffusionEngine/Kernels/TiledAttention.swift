import COpenBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scaled dot-product attention computed tile by tile with an online softmax, in the manner of FlashAttention
/// (Dao et al. 2022, https://arxiv.org/abs/2205.14135, Algorithm 1) on a CPU: a tile of queries meets one tile of
/// keys at a time through `cblas_sgemm`, each row keeps its running maximum and sum, and the output rows are
/// rescaled when the maximum grows. The scores never exist beyond one [queryTile, keyTile] block, which stays in
/// cache, and the softmax normalisation is applied once to the [rows, D] output instead of the [rows, S] weights.
///
/// q [T, H·D], k and v [S, KVH·D], out [T, H·D]; T and S may differ (queries over a cached prefix). Head h reads
/// kv head h / (H/KVH) (grouped-query attention). Which keys a query sees: those inside `keyRanges[t]` (all when
/// nil: bidirectional; ..< t + 1 causal, or a sliding window) and not hidden by `keyMask[s] == false` (padding).
/// A query that sees no key gets zeros, as `Softmax.rows` gives for a fully masked row.
/// Twins: `Attention.forward` (whole score rows) and `Attention.forwardNaive` / `WindowedAttention.forwardNaive`.
public enum TiledAttention {
    /// Query rows per tile: one tile's running maxima, sums and output rows stay in L1/L2 across its key tiles.
    public static let queryTile = 64
    /// Keys per tile by default: the [64, 512] score block is 128 KiB, within L2.
    public static let keyTile = 512

    public static func forward(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, shape: Attention.Shape,
        scale: Float, keyRanges: [Range<Int>]? = nil, keyMask: UnsafePointer<Bool>? = nil,
        out: UnsafeMutablePointer<Float>, threads: Int = 1, keyTile: Int = keyTile
    ) {
        let t = shape.queries
        precondition(keyRanges == nil || keyRanges?.count == t, "TiledAttention: key ranges for \(keyRanges?.count ?? 0) of \(t) queries")
        let tilesPerHead = (t + queryTile - 1) / queryTile
        let items = shape.heads * tilesPerHead
        guard items > 0 else { return }
        // Work item n is (head n / tilesPerHead, query tile n % tilesPerHead); each writes its own output rows and
        // columns and is computed the same way whichever worker takes it, so the result does not depend on
        // `threads` (bit for bit).
        let workers = max(1, min(threads, items))
        let run = { (worker: Int) in
            var scratch = Scratch(keyTile: max(keyTile, 1))
            defer { scratch.deallocate() }
            for item in stride(from: worker, to: items, by: workers) {
                tile(q: q, k: k, v: v, shape: shape, scale: scale, head: item / tilesPerHead,
                     firstQuery: (item % tilesPerHead) * queryTile, keyRanges: keyRanges, keyMask: keyMask,
                     out: out, keyTile: max(keyTile, 1), scratch: &scratch)
            }
        }
        // The sgemms inside are small (a 64-query tile against 512 keys): OpenBLAS runs them on one thread always, so
        // that they neither fan out again while Dispatch runs the heads nor round differently with OpenBLAS's thread
        // count (the bits then depend on neither).
        BLASThreads.single {
            if workers == 1 {
                run(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: workers, execute: run)
            }
        }
    }

    /// One worker's buffers: a score block [64, keyTile], the running maxima and sums of a query tile.
    struct Scratch {
        let scores: UnsafeMutablePointer<Float>
        let maxima = UnsafeMutablePointer<Float>.allocate(capacity: queryTile)
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: queryTile)
        init(keyTile: Int) { scores = .allocate(capacity: queryTile * keyTile) }
        func deallocate() {
            scores.deallocate()
            maxima.deallocate()
            sums.deallocate()
        }
    }

    /// Rows firstQuery ..< firstQuery + 64 of one head: out rows accumulate P·V over the key tiles, rescaled by
    /// exp(old max − new max) whenever a row's maximum grows, and are divided by the row sums at the end.
    private static func tile(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, shape: Attention.Shape,
        scale: Float, head h: Int, firstQuery: Int, keyRanges: [Range<Int>]?, keyMask: UnsafePointer<Bool>?,
        out: UnsafeMutablePointer<Float>, keyTile: Int, scratch: inout Scratch
    ) {
        let d = shape.headDim
        let rows = min(queryTile, shape.queries - firstQuery)
        let queryStride = shape.heads * d
        let keyStride = shape.keyValueHeads * d
        let g = h / (shape.heads / shape.keyValueHeads)
        let queries = q + firstQuery * queryStride + h * d
        let output = out + firstQuery * queryStride + h * d
        let (scores, maxima, sums) = (scratch.scores, scratch.maxima, scratch.sums)
        maxima.update(repeating: -.infinity, count: rows)
        sums.update(repeating: 0, count: rows)
        // The keys any row of this tile may see.
        var keyLow = 0
        var keyHigh = shape.keys
        if let keyRanges {
            keyLow = shape.keys
            keyHigh = 0
            for row in 0 ..< rows {
                let range = keyRanges[firstQuery + row]
                guard !range.isEmpty else { continue }
                keyLow = min(keyLow, max(range.lowerBound, 0))
                keyHigh = max(keyHigh, min(range.upperBound, shape.keys))
            }
        }
        var firstBlock = true
        var first = keyLow
        while first < keyHigh {
            let width = min(keyTile, keyHigh - first)
            // scores [rows, width] = scale · q_tile · k_blockᵀ
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(width), Int32(d),
                scale, queries, Int32(queryStride), k + first * keyStride + g * d, Int32(keyStride), 0, scores, Int32(width))
            hide(scores, rows: rows, width: width, firstQuery: firstQuery, firstKey: first, keyRanges: keyRanges, keyMask: keyMask)
            for row in 0 ..< rows {
                let scoreRow = scores + row * width
                let blockMax = VectorMath.maximum(scoreRow, count: width)
                let newMax = max(maxima[row], blockMax)
                if newMax == -.infinity {
                    // Nothing visible yet. A row of NaN scores lands here too (NaN compares below everything) and
                    // must stay NaN in the output, as in `Softmax.rows`.
                    let poisoned = (0 ..< width).contains { scoreRow[$0].isNaN }
                    scoreRow.update(repeating: 0, count: width)
                    if poisoned { sums[row] = .nan }
                    continue
                }
                let sum = VectorMath.expInPlace(scoreRow, count: width, shift: newMax)
                if maxima[row] != newMax, !firstBlock {
                    // exp(−∞) = 0 for a row that saw nothing before: its output row is still zero.
                    let correction = expf(maxima[row] - newMax)
                    VectorMath.scale(output + row * queryStride, count: d, by: correction)
                    sums[row] *= correction
                }
                sums[row] += sum
                maxima[row] = newMax
            }
            // out_tile (+)= P · v_block
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(d), Int32(width),
                1, scores, Int32(width), v + first * keyStride + g * d, Int32(keyStride), firstBlock ? 0 : 1,
                output, Int32(queryStride))
            firstBlock = false
            first += width
        }
        for row in 0 ..< rows {
            let outputRow = output + row * queryStride
            if firstBlock || sums[row] == 0 {
                outputRow.update(repeating: 0, count: d)  // no visible key
            } else {
                VectorMath.scale(outputRow, count: d, by: 1 / sums[row])  // a NaN sum makes the row NaN
            }
        }
    }

    /// −∞ for the keys of the block a row may not see.
    @inline(__always)
    private static func hide(
        _ scores: UnsafeMutablePointer<Float>, rows: Int, width: Int, firstQuery: Int, firstKey: Int,
        keyRanges: [Range<Int>]?, keyMask: UnsafePointer<Bool>?
    ) {
        if let keyMask {
            for key in 0 ..< width where !keyMask[firstKey + key] {
                for row in 0 ..< rows { scores[row * width + key] = -.infinity }
            }
        }
        guard let keyRanges else { return }
        for row in 0 ..< rows {
            let range = keyRanges[firstQuery + row]
            let low = min(max(range.lowerBound - firstKey, 0), width)
            let high = max(min(range.upperBound - firstKey, width), low)
            let scoreRow = scores + row * width
            if low > 0 { scoreRow.update(repeating: -.infinity, count: low) }
            if high < width { (scoreRow + high).update(repeating: -.infinity, count: width - high) }
        }
    }
}
