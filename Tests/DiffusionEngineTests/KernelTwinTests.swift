import Foundation
import DiffusionCore
import Testing
@testable import DiffusionEngine

/// Every fast kernel against its naive twin on random inputs. Tolerance 1e-4 absolute on O(1) values (the twins
/// accumulate in Double, the fast paths in F32 through OpenBLAS).
@Suite struct KernelTwinTests {
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0 ..< count).map { _ in (Float(generator.nextOpenUnitDouble()) - 0.5) * 2 * scale }
    }

    @Test func linearMatchesNaive() {
        let (rows, inner, outer) = (7, 33, 19)
        let x = Self.random(rows * inner, seed: 1)
        let w = Self.random(outer * inner, seed: 2)
        var fast = Self.random(rows * outer, seed: 3)
        var naive = fast
        MatMul.linear(x, rows: rows, inner: inner, weight: w, outer: outer, into: &fast, accumulate: true)
        MatMul.linearNaive(x, rows: rows, inner: inner, weight: w, outer: outer, into: &naive, accumulate: true)
        #expect(maxAbsDifference(fast, naive) < 1e-4)
    }

    @Test func rmsNormMatchesNaive() {
        let x = Self.random(5 * 24, seed: 4, scale: 3)
        let weight = Self.random(24, seed: 5)
        var fast = [Float](repeating: 0, count: x.count)
        RMSNorm.apply(x, rows: 5, width: 24, weight: weight, eps: 1e-5, into: &fast)
        #expect(maxAbsDifference(fast, RMSNorm.applyNaive(x, rows: 5, width: 24, weight: weight, eps: 1e-5)) < 1e-5)
    }

    @Test func softmaxMatchesNaiveAndHandlesFullyMaskedRows() {
        var x = Self.random(4 * 9, seed: 6, scale: 8)
        for i in 18 ..< 27 { x[i] = -.infinity }  // row 2 fully masked
        let naive = Softmax.rowsNaive(x, rows: 4, width: 9)
        Softmax.rows(&x, rows: 4, width: 9)
        #expect(maxAbsDifference(x, naive) < 1e-6)
        #expect(x[18 ..< 27].allSatisfy { $0 == 0 })
    }

    @Test(arguments: [8, 4])
    func ropeMatchesNaive(rotaryDim: Int) {
        let rope = RotaryEmbedding(headDim: 8, rotaryDim: rotaryDim, theta: 10000)
        let (length, heads) = (11, 3)
        var x = Self.random(length * heads * 8, seed: 7)
        let naive = rope.applyNaive(x, length: length, heads: heads)
        let (cosines, sines) = rope.tables(length: length)
        rope.apply(&x, length: length, heads: heads, cos: cosines, sin: sines)
        #expect(maxAbsDifference(x, naive) < 1e-5)
    }

    @Test func attentionMatchesNaiveWithGroupedQueriesAndPadding() {
        let shape = Attention.Shape(queries: 9, keys: 9, heads: 6, keyValueHeads: 2, headDim: 8)
        let q = Self.random(9 * 6 * 8, seed: 8)
        let k = Self.random(9 * 2 * 8, seed: 9)
        let v = Self.random(9 * 2 * 8, seed: 10)
        let keyMask = (0 ..< 9).map { $0 < 7 }
        var scores = [Float](repeating: 0, count: 81)
        var out = [Float](repeating: 0, count: q.count)
        keyMask.withUnsafeBufferPointer { mask in
            Attention.forward(q: q, k: k, v: v, shape: shape, keyMask: mask.baseAddress, scores: &scores, out: &out)
        }
        #expect(maxAbsDifference(out, Attention.forwardNaive(q: q, k: k, v: v, shape: shape, keyMask: keyMask)) < 1e-5)
    }

    @Test(arguments: [false, true])
    func mixtureOfExpertsMatchesNaive(normalizeTopK: Bool) throws {
        let (d, f, experts, rows) = (16, 12, 5, 13)
        let weights = RandomWeights(seed: 11, standardDeviation: 0.3)
        func mlp(_ name: String, hidden: Int) throws -> GatedMLP {
            GatedMLP(gate: try weights.tensor(name + ".gate", shape: [hidden, d]),
                     up: try weights.tensor(name + ".up", shape: [hidden, d]),
                     down: try weights.tensor(name + ".down", shape: [d, hidden]), activation: .silu)
        }
        let mixture = MixtureOfExperts(
            router: try weights.tensor("router", shape: [experts, d]),
            experts: try (0 ..< experts).map { try mlp("e\($0)", hidden: f) },
            topK: 2, normalizeTopK: normalizeTopK, expertBias: nil, shared: try mlp("shared", hidden: 7))
        let x = Self.random(rows * d, seed: 12)
        var fast = [Float](repeating: 0, count: rows * d)
        x.withUnsafeBufferPointer { input in
            fast.withUnsafeMutableBufferPointer { mixture.forward(input.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        #expect(maxAbsDifference(fast, mixture.forwardNaive(x, rows: rows)) < 1e-5)
        // Routing really spreads tokens over several experts (the test would be weak otherwise).
        let used = Set(x.withUnsafeBufferPointer { mixture.route($0.baseAddress!, rows: rows) }.flatMap { $0.map(\.expert) })
        #expect(used.count >= 3)
    }

    @Test func halfPrecisionWideningIsExact() {
        #expect(HalfPrecision.float16ToFloat(0x3C00) == 1)
        #expect(HalfPrecision.float16ToFloat(0xC000) == -2)
        #expect(HalfPrecision.float16ToFloat(0x0001) == 0x1p-24)  // smallest subnormal
        #expect(HalfPrecision.float16ToFloat(0x7C00) == .infinity)
        #expect(HalfPrecision.float16ToFloat(0x7E00).isNaN)
        #expect(HalfPrecision.bfloat16ToFloat(0x3F80) == 1)
        #expect(HalfPrecision.bfloat16ToFloat(0xC0A0) == -5)
    }
}
