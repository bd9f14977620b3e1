import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// The shipped, trained tiny model (Experiments/models/tiny-llada-moe) against the PyTorch reference on
/// half-masked task canvases (golden logits from Experiments/models/tools/make_tiny_model_fixture.py).
/// Same tolerance as the random-model parity: 1e-4 max abs in F32.
@Suite struct TinyModelParityTests {
    static var modelFolder: URL {
        URL(fileURLWithPath: #filePath)  // Tests/DiffusionEngineTests/TinyModelParityTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Experiments/models/tiny-llada-moe")
    }

    @Test func trainedModelMatchesReference() throws {
        MatMul.setThreads(1)
        let model = try ModelFolder(Self.modelFolder)
        let llada = try #require(model.denoiser as? LLaDAMoEModel)
        let cases = try Fixtures.golden(".", file: "tiny-llada-moe-golden.json")
        #expect(cases.count >= 5)
        for golden in cases {
            let logits = try llada.forward(tokens: golden.tokens)
            let error = maxAbsDifference(logits.values, golden.logits.flatMap { $0 })
            #expect(error <= 1e-4, "\(golden.name): max abs error \(error)")
        }
    }
}
