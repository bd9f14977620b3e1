import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// The autoregressive MoE with MTP modules against the PyTorch reference (Experiments/models/tools/ar_mtp.py,
/// `make_fixture`): a random model with 2 layers, GQA, a shared expert, one MoE and one dense MTP block, on one
/// random sequence of 21 tokens. Tolerance 1e-4 max abs in F32, for the main logits and each module's logits,
/// whether computed in one pass or position by position through the KV caches (prefill, decode of 1–3 tokens,
/// drafts, rejected drafts truncated away).
@Suite struct ARMoEParityTests {
    static let tolerance: Float = 1e-4

    struct Golden: Decodable {
        let tokens: [Int]
        let main: [Float]  // [T, V]
        let modules: [[Float]]  // module k: [T - k, V]
    }

    static func load() throws -> (ARMoEModel, Golden) {
        let folder = Fixtures.folder("ar-moe-mtp")
        let model = try ModelFolder(folder, requireTokenizer: false)
        let ar = try #require(model.denoiser as? ARMoEModel)
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: folder.appendingPathComponent("logits.json")))
        return (ar, golden)
    }

    @Test func fullRecomputeMatchesReference() throws {
        MatMul.setThreads(1)
        let (model, golden) = try Self.load()
        #expect(model.kind == .autoregressive && model.draftDepth == 2)
        let (main, modules) = try model.predictionLogits(golden.tokens)
        #expect(maxAbsDifference(main.values, golden.main) <= Self.tolerance)
        #expect(modules.count == golden.modules.count)
        for (k, (ours, reference)) in zip(modules, golden.modules).enumerated() {
            #expect(maxAbsDifference(ours.values, reference) <= Self.tolerance, "MTP module \(k + 1)")
        }
    }

    /// Decoding through the caches equals the full recompute: main rows from prefill and decodes of 1, 2, 3 tokens
    /// (with a rejected wrong token truncated away each round), and each module's draft row at every position.
    @Test func cachedDecodingAndDraftsMatchReference() throws {
        let (model, golden) = try Self.load()
        let v = model.vocabularySize
        let tokens = golden.tokens
        let t = tokens.count
        func mainRow(_ i: Int) -> [Float] { Array(golden.main[i * v ..< (i + 1) * v]) }
        func moduleRow(_ k: Int, _ i: Int) -> [Float] { Array(golden.modules[k - 1][i * v ..< (i + 1) * v]) }

        let prefill = try model.prefill(Array(tokens[..<4]))
        #expect(maxAbsDifference(prefill.values, golden.main[..<(4 * v)].map { $0 }) <= Self.tolerance)
        var step = 1
        while model.cachedCount < t {
            let p = model.cachedCount - 1
            // Drafts from position p, forced to the fixture's tokens (drafting twice: the second must not see the first).
            let depth = min(model.draftDepth, t - 2 - p)
            for _ in 0 ..< (depth >= 1 ? 2 : 0) {
                var index = 0
                let drafted = try model.draft(next: tokens[p + 1], count: depth) { _ in
                    index += 1
                    return tokens[p + 1 + index]
                }
                for (k, logits) in drafted.logits.enumerated() {
                    #expect(maxAbsDifference(logits.values, moduleRow(k + 1, p)) <= Self.tolerance, "module \(k + 1) at \(p)")
                }
            }
            // A rejected wrong token, then the real ones.
            _ = try model.decode([(tokens[p + 1] + 1) % v])
            try model.truncate(to: p + 1)
            let count = min(step, t - model.cachedCount)
            let rows = try model.decode(Array(tokens[(p + 1) ..< (p + 1 + count)]))
            for j in 0 ..< count {
                let row = Array(rows.values[j * v ..< (j + 1) * v])
                #expect(maxAbsDifference(row, mainRow(p + 1 + j)) <= Self.tolerance, "main row \(p + 1 + j)")
            }
            step = step % 3 + 1
        }
    }

    struct TinyCase: Decodable {
        let text: String
        let tokens: [Int]
        let main: [Float]
        let modules: [[Float]]
    }

    /// The shipped tiny AR-MTP model (Experiments/models/tiny-ar-mtp) against the reference on two task
    /// sequences (`ar_mtp.py --tiny-golden`; golden values rounded to 1e-6).
    @Test func shippedTinyModelMatchesReference() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = try ModelFolder(repository.appendingPathComponent("Experiments/models/tiny-ar-mtp"))
        let model = try #require(folder.denoiser as? ARMoEModel)
        let data = try Data(contentsOf: Fixtures.root.appendingPathComponent("tiny-ar-mtp-golden.json"))
        for golden in try JSONDecoder().decode([TinyCase].self, from: data) {
            #expect(try folder.tokenizer?.encode(golden.text) == golden.tokens)
            let (main, modules) = try model.predictionLogits(golden.tokens)
            #expect(maxAbsDifference(main.values, golden.main) <= Self.tolerance, "\(golden.text) main")
            for (k, (ours, reference)) in zip(modules, golden.modules).enumerated() {
                #expect(maxAbsDifference(ours.values, reference) <= Self.tolerance, "\(golden.text) module \(k + 1)")
            }
        }
    }

    @Test func badCallsAreErrorsNotTraps() throws {
        let (model, _) = try Self.load()
        #expect(throws: ModelInputError.self) { try model.draft(next: 3, count: 1) { _ in 3 } }  // nothing cached
        _ = try model.prefill([3, 4, 5])
        #expect(throws: ModelInputError.self) { try model.draft(next: 3, count: 3) { _ in 3 } }  // 2 modules only
        #expect(throws: ModelInputError.self) { try model.decode([model.vocabularySize]) }
        #expect(throws: ModelInputError.self) { try model.truncate(to: 4) }
        #expect(throws: ModelInputError.self) { try model.logits(prefix: [], canvas: [3], conditioning: nil) }
    }
}
