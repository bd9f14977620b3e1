import DiffusionCore
/// `dlab bench --attention`: the whole-row attention kernel (`Attention.forward`) against the tiled one with an
/// online softmax (`TiledAttention.forward`) on one layer's shape, timed alternately in the same run so that a
/// busy machine slows both alike.
public enum AttentionBenchmark {
    public struct Result: Sendable {
        public let wholeRows: Double  // median seconds per call
        public let tiled: Double  // default key tile (512)
        public let tiledWide: Double  // key tiles of 1024
    }

    /// Medians of `repeats` alternating calls on random inputs (seeded) of `shape`.
    public static func compare(shape: Attention.Shape, repeats: Int, threads: Int = 1) -> Result {
        var generator = SeededGenerator(seed: UInt64(shape.queries))
        func random(_ count: Int) -> [Float] { (0 ..< count).map { _ in Float(generator.nextOpenUnitDouble()) * 2 - 1 } }
        let q = random(shape.queries * shape.heads * shape.headDim)
        let k = random(shape.keys * shape.keyValueHeads * shape.headDim)
        let v = random(shape.keys * shape.keyValueHeads * shape.headDim)
        var out = [Float](repeating: 0, count: q.count)
        var scores = [Float](repeating: 0, count: min(shape.queries, Attention.queryBlock) * shape.keys)
        let scale = 1 / Float(shape.headDim).squareRoot()
        let wholeRows = { Attention.forward(q: q, k: k, v: v, shape: shape, keyMask: nil, scores: &scores, out: &out) }
        let tiled = { TiledAttention.forward(q: q, k: k, v: v, shape: shape, scale: scale, out: &out, threads: threads) }
        let tiledWide = {
            TiledAttention.forward(q: q, k: k, v: v, shape: shape, scale: scale, out: &out, threads: threads, keyTile: 1024)
        }
        let kernels = [wholeRows, tiled, tiledWide]
        var samples = [[Double]](repeating: [], count: kernels.count)
        for kernel in kernels { kernel() }
        for _ in 0 ..< max(repeats, 1) {
            for (index, kernel) in kernels.enumerated() { samples[index].append(Stopwatch.seconds(kernel)) }
        }
        let medians = samples.map { $0.sorted()[$0.count / 2] }
        return Result(wholeRows: medians[0], tiled: medians[1], tiledWide: medians[2])
    }
}
