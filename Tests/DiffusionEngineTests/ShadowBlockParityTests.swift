import DiffusionCore
import Foundation
import Samplers
import Testing
@testable import DiffusionEngine

/// WINO's shadow block on the shipped tiny LLaDA-MoE model, against the reference: `tiny_shadow_forward` in
/// Experiments/models/tools/sampler_ports_2026.py runs `decoding_wino`'s forward (prompt + canvas + a masked copy of
/// the block at the block's position ids, the reference's attention mask) in PyTorch and records, per pass, the
/// canvas rows and the shadow rows (Tests/SamplersTests/Fixtures/tiny_model_trajectories_2026.json). The engine runs
/// the same pass as one forward pass: rows within 1e-4 (F32), the sampler's trajectory exactly, one NFE per pass.
@Suite struct ShadowBlockParityTests {
    struct Fixture: Decodable {
        struct Call: Decodable {
            let tokens: [TokenID]
            let logits: String
            let shadow: String?
        }

        struct Case: Decodable {
            let task: String
            let sampler: String
            let params: [String: ParameterValue]
            let prompt: [TokenID]
            let length: Int
            let steps: Int
            let seed: UInt64
            let trajectory: [[TokenID]]
            let tape: [Call]
        }

        let model: String
        let cases: [Case]
    }

    static let repository = URL(fileURLWithPath: #filePath)  // Tests/DiffusionEngineTests/ShadowBlockParityTests.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func winoCases() throws -> [Fixture.Case] {
        let url = repository.appendingPathComponent("Tests/SamplersTests/Fixtures/tiny_model_trajectories_2026.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.model == "tiny-llada-moe")
        return fixture.cases.filter { $0.sampler == "wino" }
    }

    static func model() throws -> LLaDAMoEModel {
        let folder = try ModelFolder(repository.appendingPathComponent("Experiments/models/tiny-llada-moe"))
        return try #require(folder.denoiser as? LLaDAMoEModel)
    }

    static func floats(_ base64: String) throws -> [Float] {
        let bytes = try #require(Data(base64Encoded: base64))
        return bytes.withUnsafeBytes { raw in
            (0 ..< bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }

    /// Every recorded pass: the engine's canvas rows and shadow rows match the reference's.
    @Test func shadowPassMatchesTheReferenceRows() throws {
        MatMul.setThreads(1)
        let model = try Self.model()
        let cases = try Self.winoCases()
        #expect(cases.count >= 4)
        var passes = 0
        for reference in cases {
            let block = reference.params["block_length"].flatMap { if case .int(let b) = $0 { b } else { nil } } ?? reference.length
            for call in reference.tape {
                let shadowRows = try Self.floats(try #require(call.shadow))
                let canvas = Array(call.tokens.dropFirst(reference.prompt.count))
                // The block WINO works on: the first one that still holds a mask.
                let first = (0 ..< reference.length / block).first { b in canvas[b * block ..< (b + 1) * block].contains(1) } ?? 0
                let range = first * block ..< (first + 1) * block
                let pass = try model.logitsWithShadow(prefix: reference.prompt, canvas: canvas, block: range)
                let canvasError = maxAbsDifference(pass.canvas.values, try Self.floats(call.logits))
                let shadowError = maxAbsDifference(pass.shadow.values, shadowRows)
                #expect(pass.canvas.rows == canvas.count && pass.shadow.rows == range.count)
                #expect(canvasError <= 1e-4 && shadowError <= 1e-4, "\(reference.task) \(reference.params): \(canvasError), \(shadowError)")
                passes += 1
            }
        }
        #expect(passes >= 8)
    }

    /// The shadow rows are not the canvas rows: hiding a position's own token changes its row (else the test above
    /// could pass with an engine that ignores the shadow block's attention mask).
    @Test func shadowRowsDifferFromTheCanvasRows() throws {
        let model = try Self.model()
        let reference = try #require(try Self.winoCases().first { $0.task == "sudoku4" })
        let canvas = try #require(reference.trajectory.first)
        let pass = try model.logitsWithShadow(prefix: reference.prompt, canvas: canvas, block: 0 ..< canvas.count)
        let decoded = canvas.indices.filter { canvas[$0] != 1 }
        #expect(!decoded.isEmpty)
        for position in decoded {
            let row = Array(pass.canvas.values[position * 26 ..< (position + 1) * 26])
            let shadow = Array(pass.shadow.values[position * 26 ..< (position + 1) * 26])
            #expect(maxAbsDifference(row, shadow) > 1e-3, "position \(position)")
        }
    }

    /// A shadowed call batched with a plain one gives each the rows it gets alone.
    @Test func batchedShadowCallEqualsItsOwnPass() throws {
        MatMul.setThreads(1)
        let model = try Self.model()
        let cases = try Self.winoCases()
        let shadowed = try #require(cases.first { $0.task == "sudoku4" })
        let plain = try #require(cases.first { $0.task == "addition" })
        let canvas = try #require(shadowed.trajectory.first)
        let block = 4 ..< 12
        let alone = try model.logitsWithShadow(prefix: shadowed.prompt, canvas: canvas, block: block)
        let plainCanvas = [TokenID](repeating: 1, count: plain.length)
        let plainAlone = try model.logits(prefix: plain.prompt, canvas: plainCanvas, conditioning: nil)
        let batch = try model.logits(batch: [
            DenoiserCall(prefix: plain.prompt, canvas: plainCanvas, conditioning: nil),
            DenoiserCall(prefix: shadowed.prompt, canvas: canvas, conditioning: nil, shadowBlock: block),
        ])
        let split = batch[1].splitShadow(canvasRows: canvas.count)
        #expect(maxAbsDifference(batch[0].values, plainAlone.values) <= 1e-5)
        #expect(maxAbsDifference(split.canvas.values, alone.canvas.values) <= 1e-5)
        // Relative to the logits' size: OpenBLAS rounds a row differently with other rows in the same sgemm (measured
        // 1.05e-5 on logits of magnitude ~10 here), the effect every batched-pass test bounds.
        let shadowDiff = maxAbsDifference(split.shadow.values, alone.shadow.values)
        let shadowScale = max(1, alone.shadow.values.map(abs).max() ?? 0)
        #expect(shadowDiff <= 1e-5 * shadowScale && split.shadow.rows == block.count, "shadow rows differ by \(shadowDiff)")
        #expect(throws: ModelInputError.self) {
            try model.logits(batch: [DenoiserCall(prefix: plain.prompt, canvas: plainCanvas, conditioning: nil, shadowBlock: 3 ..< 9)])
        }
    }

    /// WINO on the engine reproduces the reference trajectory, and each pass with its shadow block counts one NFE.
    @Test func winoOnTheEngineReproducesTheReference() throws {
        MatMul.setThreads(1)
        let model = try Self.model()
        for reference in try Self.winoCases() {
            let sampler = try SamplerRegistry().sampler(named: reference.sampler, parameters: reference.params)
            var rng = SeededGenerator(seed: reference.seed)
            let recorder = TraceRecorder()
            let counter = CountingDenoiser(model)
            let generation = try sampler.run(prompt: reference.prompt, length: reference.length, steps: reference.steps,
                                             denoiser: counter, rng: &rng, trace: recorder)
            #expect(recorder.trajectory == reference.trajectory, "\(reference.task) \(reference.params)")
            #expect(counter.forwardPasses == reference.tape.count && generation.forwardPasses == reference.tape.count)
        }
    }
}
