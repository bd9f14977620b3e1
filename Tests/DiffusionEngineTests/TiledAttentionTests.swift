import DiffusionCore
import Testing
@testable import DiffusionEngine

/// The tiled attention with an online softmax against the naive twins (Double, whole rows), over sizes that are
/// not multiples of the 64 × 256 tiles, with fewer queries than keys, grouped-query heads, padding masks and the
/// key ranges the models use (causal, sliding window, a bidirectional canvas over a prefix). Tolerance: 1e-5 of
/// the largest output magnitude.
@Suite struct TiledAttentionTests {
    static func inputs(_ shape: Attention.Shape, seed: UInt64) -> (q: [Float], k: [Float], v: [Float]) {
        (KernelTwinTests.random(shape.queries * shape.heads * shape.headDim, seed: seed, scale: 2),
         KernelTwinTests.random(shape.keys * shape.keyValueHeads * shape.headDim, seed: seed + 1, scale: 2),
         KernelTwinTests.random(shape.keys * shape.keyValueHeads * shape.headDim, seed: seed + 2))
    }

    static func tiled(
        _ shape: Attention.Shape, _ x: (q: [Float], k: [Float], v: [Float]), scale: Float,
        keyRanges: [Range<Int>]? = nil, keyMask: [Bool]? = nil, threads: Int = 1
    ) -> [Float] {
        var out = [Float](repeating: .nan, count: x.q.count)  // NaN: every output must be written
        (keyMask ?? []).withUnsafeBufferPointer { mask in
            TiledAttention.forward(q: x.q, k: x.k, v: x.v, shape: shape, scale: scale, keyRanges: keyRanges,
                                   keyMask: keyMask == nil ? nil : mask.baseAddress, out: &out, threads: threads)
        }
        return out
    }

    static func expectClose(_ fast: [Float], _ naive: [Float], _ label: String) {
        let largest = naive.map(abs).max() ?? 0
        #expect(largest > 0.01, "\(label): outputs too small to compare")
        #expect(maxAbsDifference(fast, naive) <= 1e-5 * largest, "\(label): \(maxAbsDifference(fast, naive)) of \(largest)")
    }

    @Test(arguments: [(1, 1), (9, 9), (64, 64), (65, 300), (84, 84), (130, 513), (300, 257), (7, 600)])
    func bidirectionalWithPaddingMatchesNaive(queries: Int, keys: Int) {
        let shape = Attention.Shape(queries: queries, keys: keys, heads: 6, keyValueHeads: 2, headDim: 16)
        let x = Self.inputs(shape, seed: UInt64(queries * 1000 + keys))
        let scale = 1 / Float(16).squareRoot()
        Self.expectClose(Self.tiled(shape, x, scale: scale),
                         Attention.forwardNaive(q: x.q, k: x.k, v: x.v, shape: shape, keyMask: nil), "\(queries)×\(keys)")
        // Padding: every third key hidden, and the last 40 (a whole key tile is empty for the long shapes).
        let keyMask = (0 ..< keys).map { $0 % 3 != 1 && ($0 < keys - 40 || keys < 50) }
        Self.expectClose(Self.tiled(shape, x, scale: scale, keyMask: keyMask),
                         Attention.forwardNaive(q: x.q, k: x.k, v: x.v, shape: shape, keyMask: keyMask),
                         "\(queries)×\(keys) masked")
    }

    @Test(arguments: [70, 300, 520])
    func keyRangesMatchNaive(length: Int) {
        let shape = Attention.Shape(queries: length, keys: length, heads: 4, keyValueHeads: 4, headDim: 32)
        let x = Self.inputs(shape, seed: UInt64(length))
        let causal = (0 ..< length).map { 0 ..< $0 + 1 }
        let window = (0 ..< length).map { max(0, $0 - 49) ..< $0 + 1 }
        for (name, ranges) in [("causal", causal), ("window 50", window)] {
            Self.expectClose(Self.tiled(shape, x, scale: 1, keyRanges: ranges),
                             WindowedAttention.forwardNaive(q: x.q, k: x.k, v: x.v, shape: shape, scale: 1, keyRanges: ranges),
                             "\(name) \(length)")
        }
        // A canvas of 70 queries over a cached prefix: the first queries see everything, the last ones a window.
        let canvas = Attention.Shape(queries: 70, keys: length, heads: 4, keyValueHeads: 4, headDim: 32)
        let y = Self.inputs(canvas, seed: UInt64(length) + 7)
        let mixed = (0 ..< 70).map { $0 < 35 ? 0 ..< length : max(0, length - 100 + $0) ..< length }
        Self.expectClose(Self.tiled(canvas, y, scale: 0.2, keyRanges: mixed),
                         WindowedAttention.forwardNaive(q: y.q, k: y.k, v: y.v, shape: canvas, scale: 0.2, keyRanges: mixed),
                         "prefix \(length)")
    }

    @Test func queriesWithoutVisibleKeysGetZerosAndNaNStaysNaN() {
        let shape = Attention.Shape(queries: 5, keys: 300, heads: 2, keyValueHeads: 1, headDim: 8)
        var x = Self.inputs(shape, seed: 40)
        let ranges = [0 ..< 0, 0 ..< 300, 280 ..< 300, 3 ..< 3, 299 ..< 300]
        let out = Self.tiled(shape, x, scale: 0.3, keyRanges: ranges)
        #expect(out[0 ..< 16].allSatisfy { $0 == 0 } && out[48 ..< 64].allSatisfy { $0 == 0 })
        Self.expectClose(out, WindowedAttention.forwardNaive(q: x.q, k: x.k, v: x.v, shape: shape, scale: 0.3, keyRanges: ranges), "empty ranges")
        #expect(Self.tiled(shape, x, scale: 1, keyMask: [Bool](repeating: false, count: 300)).allSatisfy { $0 == 0 })
        x.q[8] = .nan  // query 0, head 1
        let poisoned = Self.tiled(shape, x, scale: 1)
        let nanCount = poisoned.filter { $0.isNaN }.count
        #expect(poisoned[8 ..< 16].allSatisfy { $0.isNaN } && nanCount == 8)
    }

    /// Work items split over Dispatch workers: the same bits at any worker count.
    @Test func threadsGiveIdenticalBits() {
        let shape = Attention.Shape(queries: 300, keys: 300, heads: 12, keyValueHeads: 4, headDim: 16)
        let x = Self.inputs(shape, seed: 50)
        let single = Self.tiled(shape, x, scale: 0.25)
        for threads in [2, 3, 7] {
            #expect(Self.tiled(shape, x, scale: 0.25, threads: threads) == single, "\(threads) threads")
        }
    }
}
