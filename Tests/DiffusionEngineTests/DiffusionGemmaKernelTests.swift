import DiffusionCore
import Testing
@testable import DiffusionEngine

/// DiffusionGemma's kernels against their naive twins (Double accumulation) on random inputs.
@Suite struct DiffusionGemmaKernelTests {
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        KernelTwinTests.random(count, seed: seed, scale: scale)
    }

    static func mlp(_ weights: RandomWeights, _ name: String, d: Int, f: Int) throws -> GatedMLP {
        GatedMLP(gate: try weights.tensor(name + ".gate", shape: [f, d]), up: try weights.tensor(name + ".up", shape: [f, d]),
                 down: try weights.tensor(name + ".down", shape: [d, f]), activation: .geluTanh)
    }

    @Test func geluTanhMatchesNaiveAndKnownValues() {
        for x in stride(from: Float(-6), through: 6, by: 0.37) {
            #expect(abs(GELUTanh.value(x) - Float(GELUTanh.valueNaive(Double(x)))) < 1e-6)
        }
        #expect(GELUTanh.value(0) == 0)
        #expect(abs(GELUTanh.value(1) - 0.841192) < 1e-5)  // torch.nn.functional.gelu(1, approximate="tanh")
    }

    @Test func gatedMLPMatchesNaive() throws {
        let (d, f, rows) = (12, 20, 5)
        let mlp = try Self.mlp(RandomWeights(seed: 21, standardDeviation: 0.4), "m", d: d, f: f)
        let x = Self.random(rows * d, seed: 22)
        var y = Self.random(rows * d, seed: 23)
        let before = y
        var scratch = [Float](repeating: 0, count: 2 * rows * f)
        mlp.forward(x, rows: rows, into: &y, scratch: &scratch, accumulate: true)
        for r in 0 ..< rows {
            let expected = zip(mlp.forwardNaive(Array(x[r * d ..< (r + 1) * d])), before[r * d ..< (r + 1) * d]).map { $0 + $1 }
            #expect(maxAbsDifference(Array(y[r * d ..< (r + 1) * d]), expected) < 1e-5)
        }
    }

    @Test func fusedGateUpSplitsLikeChunk() throws {
        // gate_up_proj [2F, d]: the first F rows gate, the last F rows up (torch `chunk(2, dim=-1)` of the output).
        let weights = RandomWeights(seed: 24, standardDeviation: 0.4)
        let gateUp = try weights.tensor("gu", shape: [2, 6, 4])
        let down = try weights.tensor("dn", shape: [2, 4, 3])
        let expert = GatedMLP(gateUp: gateUp.slice(1), down: down.slice(1), activation: .geluTanh)
        #expect(expert.gate.base == UnsafeRawPointer(gateUp.pointer + 24) && expert.up.base == UnsafeRawPointer(gateUp.pointer + 24 + 12))
        #expect(expert.hidden == 3 && expert.width == 4)
    }

    @Test func softCapMatchesNaive() {
        var x = Self.random(50, seed: 25, scale: 90)
        let naive = SoftCap.applyNaive(x, cap: 30)
        SoftCap.apply(&x, count: x.count, cap: 30)
        #expect(maxAbsDifference(x, naive) < 1e-4)
        #expect(x.allSatisfy { abs($0) < 30 })
    }

    @Test(arguments: [(2, 6), (1, 4)])
    func windowedAttentionMatchesNaive(keyValueHeads: Int, queries: Int) {
        let (keys, heads, d) = (11, 4, 8)
        let shape = Attention.Shape(queries: queries, keys: keys, heads: heads, keyValueHeads: keyValueHeads, headDim: d)
        let q = Self.random(queries * heads * d, seed: 26)
        let k = Self.random(keys * keyValueHeads * d, seed: 27)
        let v = Self.random(keys * keyValueHeads * d, seed: 28)
        // Causal sliding windows of 3 ending at 5 + t, then one query over everything.
        var ranges = (0 ..< queries).map { t in max(0, 5 + t - 2) ..< 5 + t + 1 }
        ranges[queries - 1] = 0 ..< keys
        var scores = [Float](repeating: 0, count: queries * keys)
        var out = [Float](repeating: 0, count: q.count)
        WindowedAttention.forward(q: q, k: k, v: v, shape: shape, scale: 1, keyRanges: ranges, scores: &scores, out: &out)
        let naive = WindowedAttention.forwardNaive(q: q, k: k, v: v, shape: shape, scale: 1, keyRanges: ranges)
        #expect(maxAbsDifference(out, naive) < 1e-5)
        // With every key in range and scale 1/√d it is plain bidirectional attention.
        let all = Array(repeating: 0 ..< keys, count: queries)
        WindowedAttention.forward(q: q, k: k, v: v, shape: shape, scale: 1 / Float(d).squareRoot(), keyRanges: all,
                                  scores: &scores, out: &out)
        #expect(maxAbsDifference(out, Attention.forwardNaive(q: q, k: k, v: v, shape: shape, keyMask: nil)) < 1e-5)
    }

    @Test func gemmaMixtureRoutesAndMatchesNaive() throws {
        let (d, f, experts, rows) = (16, 10, 5, 13)
        let weights = RandomWeights(seed: 29, standardDeviation: 0.5)
        let mixture = GemmaMixtureOfExperts(
            router: try weights.tensor("router", shape: [experts, d]),
            routerScale: FloatTensor(shape: [d], values: Self.random(d, seed: 30, scale: 2)),
            perExpertScale: FloatTensor(shape: [experts], values: Self.random(experts, seed: 31, scale: 1.5)),
            experts: try (0 ..< experts).map { try Self.mlp(weights, "e\($0)", d: d, f: f) }, topK: 2, eps: 1e-6)
        let x = Self.random(rows * d, seed: 32, scale: 3)
        let routes = mixture.route(x, rows: rows)
        let naiveRoutes = mixture.routeNaive(x, rows: rows)
        for (fast, naive) in zip(routes, naiveRoutes) {
            #expect(fast.map(\.expert) == naive.map(\.expert))
            #expect(maxAbsDifference(fast.map(\.weight), naive.map(\.weight)) < 1e-5)
        }
        #expect(Set(routes.flatMap { $0.map(\.expert) }).count >= 3)
        let inputs = Self.random(rows * d, seed: 33)
        var fast = [Float](repeating: 0, count: rows * d)
        fast.withUnsafeMutableBufferPointer { y in
            inputs.withUnsafeBufferPointer { mixture.forward($0.baseAddress!, rows: rows, routes: routes, into: y.baseAddress!) }
        }
        #expect(maxAbsDifference(fast, mixture.forwardNaive(inputs, rows: rows, routes: routes)) < 1e-5)
    }

    @Test func productMatchesNaive() {
        let (rows, inner, columns) = (6, 17, 9)
        let x = Self.random(rows * inner, seed: 34)
        let w = Self.random(inner * columns, seed: 35)
        var y = [Float](repeating: 0, count: rows * columns)
        MatMul.product(x, rows: rows, inner: inner, by: w, columns: columns, into: &y)
        #expect(maxAbsDifference(y, MatMul.productNaive(x, rows: rows, inner: inner, by: w, columns: columns)) < 1e-5)
    }

    @Test func proportionalRopeMatchesNaive() throws {
        // Proportional RoPE: half the pairs rotate (exponent over the full head dim), the rest pass through.
        let frequencies = try DiffusionGemmaConfiguration.inverseFrequencies(
            try JSONFields(.object(["full_attention": .object(["rope_type": .string("proportional"), "rope_theta": .double(100),
                                                               "partial_rotary_factor": .double(0.5)])]), file: "t"),
            kind: .full, headDim: 16, file: "t")
        #expect(frequencies.count == 8 && frequencies[0] == 1 && frequencies[4 ..< 8].allSatisfy { $0 == 0 })
        #expect(abs(frequencies[1] - 1 / Float(pow(100.0, 2.0 / 16))) < 1e-7)
        let rope = RotaryEmbedding(headDim: 16, inverseFrequencies: frequencies)
        var x = Self.random(7 * 2 * 16, seed: 36)
        let naive = rope.applyNaive(x, length: 7, heads: 2)
        let (cosines, sines) = rope.tables(length: 7)
        rope.apply(&x, length: 7, heads: 2, cos: cosines, sin: sines)
        #expect(maxAbsDifference(x, naive) < 1e-5)
    }
}

#if canImport(Glibc)
import Glibc
#endif
