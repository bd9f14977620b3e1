import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// DiffusionGemma logits of the Swift engine against transformers 5.23 (`DiffusionGemmaForBlockDiffusion`, eager
/// attention, F32) on a tiny random checkpoint written by its own `save_pretrained`: 4 layers (sliding, full,
/// sliding, full; window 6), GQA with 2 KV heads on sliding layers and one K=V head of twice the width on full
/// layers, default and proportional RoPE, 4 experts top-2, tied weights with the encoder's own layer scalars.
/// Fixtures: Experiments/models/tools/make_diffusiongemma_fixtures.py. Tolerance 1e-4 max abs (SDPA vs eager in
/// transformers itself differs by up to 1e-5 here).
@Suite struct DiffusionGemmaParityTests {
    static let tolerance: Float = 1e-4
    static let folder = "diffusiongemma-parity"

    struct GoldenCase: Decodable {
        let name: String
        let chunks: [[Int]]
        let canvas: [Int]
        let self_conditioning_logits: [[Float]]?
        let logits: [[Float]]
        let taps: [String: [[Float]]]?
    }

    static func goldens() throws -> [GoldenCase] {
        let data = try Data(contentsOf: Fixtures.folder(folder).appendingPathComponent("golden.json"))
        return try JSONDecoder().decode([GoldenCase].self, from: data)
    }

    static func model() throws -> DiffusionGemmaModel {
        MatMul.setThreads(1)
        let folder = try ModelFolder(Fixtures.folder(folder))
        return try #require(folder.denoiser as? DiffusionGemmaModel)
    }

    /// Softmax of the processed logits [C, V]: the self-conditioning signal a sampler hands the model.
    static func probabilities(_ logits: [[Float]]) -> Conditioning {
        var values = logits.flatMap { $0 }
        Softmax.rows(&values, rows: logits.count, width: logits[0].count)
        return Conditioning(previousProbabilities: Logits(rows: logits.count, vocabularySize: logits[0].count, values: values))
    }

    @Test func decoderLogitsMatchReferenceChunkByChunk() throws {
        let model = try Self.model()
        let cases = try Self.goldens()
        #expect(cases.count == 4 && cases.contains { $0.chunks.count == 2 } && cases.contains { $0.self_conditioning_logits != nil })
        for golden in cases {
            model.resetCache()
            var prefix: [TokenID] = []
            for chunk in golden.chunks {  // as generate does: the prompt, then each finished canvas
                prefix += chunk
                try model.encode(prefix)
            }
            let logits = try model.decode(canvas: golden.canvas, conditioning: golden.self_conditioning_logits.map(Self.probabilities))
            let error = maxAbsDifference(logits.values, golden.logits.flatMap { $0 })
            #expect(error <= Self.tolerance, "\(golden.name): max abs error \(error)")
        }
    }

    @Test func wholePrefixInOneChunkAgreesToo() throws {
        let model = try Self.model()
        for golden in try Self.goldens() {
            model.resetCache()
            let logits = try model.logits(prefix: golden.chunks.flatMap { $0 }, canvas: golden.canvas,
                                          conditioning: golden.self_conditioning_logits.map(Self.probabilities))
            let error = maxAbsDifference(logits.values, golden.logits.flatMap { $0 })
            #expect(error <= Self.tolerance, "\(golden.name) in one chunk: max abs error \(error)")
        }
    }

    @Test func cacheFollowsTheSamplersPrefix() throws {
        // Repeated calls with the same prefix reuse the cache; a shorter or different prefix re-encodes what changed.
        let model = try Self.model()
        let golden = try #require(try Self.goldens().first { $0.chunks.count == 2 })
        let sc = golden.self_conditioning_logits.map(Self.probabilities)
        let prompt = golden.chunks[0]
        let full = golden.chunks.flatMap { $0 }
        _ = try model.logits(prefix: full + [5, 6], canvas: golden.canvas, conditioning: nil)
        _ = try model.logits(prefix: prompt + [7], canvas: golden.canvas, conditioning: nil)
        #expect(model.cache.tokens == prompt + [7])
        let logits = try model.logits(prefix: full, canvas: golden.canvas, conditioning: sc)
        #expect(model.cache.tokens == full)
        #expect(maxAbsDifference(logits.values, golden.logits.flatMap { $0 }) <= Self.tolerance)
        let again = try model.logits(prefix: full, canvas: golden.canvas, conditioning: sc)
        #expect(again.values == logits.values)
    }

    @Test func namedTapsMatchReference() throws {
        let model = try Self.model()
        let golden = try #require(try Self.goldens().first { $0.taps != nil })
        var taps: [String: [Float]] = [:]
        model.resetCache()
        try model.encode(golden.chunks[0]) { taps[$0] = $1 }
        _ = try model.decode(canvas: golden.canvas, conditioning: nil) { taps[$0] = $1 }
        let expected = try #require(golden.taps)
        #expect(expected.count == 10)
        for (name, reference) in expected.sorted(by: { $0.key < $1.key }) {
            let actual = try #require(taps[name], "tap \(name) missing")
            #expect(maxAbsDifference(actual, reference.flatMap { $0 }) <= Self.tolerance, "tap \(name)")
        }
    }

    @Test func denoiserDescribesAUniformStateModel() throws {
        let model = try Self.model()
        #expect(model.kind == .uniform)
        #expect(model.specialTokens == SpecialTokens(mask: nil, endOfSequence: [1], pad: 0))
        #expect(model.config.slidingWindow == 6 && model.config.canvasLength == 8)
        #expect(model.config.layers.map(\.headDim) == [8, 16, 8, 16])
        #expect(model.config.layers.map(\.keyValueHeads) == [2, 1, 2, 1])
        // Proportional RoPE on the full layers: factor 0.5 of head dim 16 rotates 4 of 8 pairs.
        #expect(model.config.layers[1].inverseFrequencies.filter { $0 != 0 }.count == 4)
        #expect(model.encoderLayers.map(\.layerScalar) != model.decoderLayers.map(\.layerScalar))
    }
}
