import DiffusionCore
import Foundation
import GRDB
import Samplers
import Testing
@testable import Sweeps

/// Batched denoising must not change results: every built-in sampler that drives a masked model, on the tiny
/// LLaDA-MoE model, gives the same rows (tokens, score, NFE, steps, commit steps: every column but timing) one
/// example at a time, with examples running together, and on several lanes (model copies) at once.
@Suite(.serialized) struct BatchedSweepTests {
    /// The shipped tiny model (trained on the built-in tasks).
    static let tinyModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/models/tiny-llada-moe").path

    func spec(samplers: [String]) throws -> ExperimentSpec {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("batched.yaml")
        try """
            name: batched
            models: [\(Self.tinyModel)]
            tasks:
              - {name: addition, examples: 5, seed: 3}
              - {name: sudoku4, examples: 4, seed: 1}
              - {name: decomp, examples: 3}
            samplers:
            \(samplers.map { "  - name: \($0)" }.joined(separator: "\n"))
            steps: [1, 4, 16]
            seeds: [0]
            """.write(to: file, atomically: true, encoding: .utf8)
        return try ExperimentSpec(contentsOf: file)
    }

    @Test func everySamplerGivesTheSameRowsBatched() throws {
        let catalog = SamplerCatalog.builtIn
        #expect(catalog.names.count >= 5)
        // Samplers whose reference refuses this grid (a canvas length that is not a multiple of the steps, say) or
        // this model are left out; the rest must give the same rows at every batch size.
        var compared: [String] = []
        for name in catalog.names {
            let spec = try spec(samplers: [name])
            var rows: [String: [[DatabaseValue]]] = [:]
            let setups = [(batch: 1, lanes: 1), (4, 1), (32, 1), (4, 2), (1, 3)]
            do {
                for (batch, lanes) in setups {
                    let url = spec.database.deletingLastPathComponent().appendingPathComponent("batch-\(batch)-lanes-\(lanes).sqlite")
                    var runner = SweepRunner(spec: spec, database: try ResultsDatabase(url))
                    runner.gitCommit = "test"
                    runner.batchSize = batch
                    runner.lanes = lanes
                    let summary = try runner.run()
                    if summary.examplesWritten == 0 { break }  // a sampler for uniform-state models only
                    rows["\(batch)×\(lanes)"] = try deterministicRows(url)
                    let (sizes, laneCounts) = try ResultsDatabase(url).read { db in
                        (try Int.fetchAll(db, sql: "SELECT DISTINCT batch_size FROM examples ORDER BY 1"),
                         try Int?.fetchAll(db, sql: "SELECT DISTINCT lanes FROM examples ORDER BY 1"))
                    }
                    #expect(sizes.allSatisfy { $0 <= batch }, "\(name)")
                    // Consecutive runs of the model and canvas share passes: batches of at least one run's examples.
                    if lanes == 1 { #expect((sizes.max() ?? 0) >= min(batch, 5), "\(name): batch sizes \(sizes)") }
                    // Every run has more examples than lanes, so each row ran on all of them.
                    #expect(laneCounts == (lanes == 1 && batch == 1 ? [nil] : [lanes]), "\(name): lanes \(laneCounts)")
                }
            } catch let error as RunError where error.underlying is SamplerError || error.underlying is ParameterError {
                continue
            }
            guard let alone = rows["1×1"] else { continue }
            compared.append(name)
            for (batch, lanes) in setups.dropFirst() {
                #expect(rows["\(batch)×\(lanes)"] == alone, "\(name): batch \(batch), lanes \(lanes)")
            }
        }
        #expect(compared.count >= 15, "compared only \(compared)")
        #expect(compared.contains("wino"), "WINO's shadow-block pass runs batched")
    }

    /// A sampler that fails on one example while others wait in a batched pass: the sweep stops with that
    /// example's error (no deadlock), and the rows written before stay, each once.
    @Test func failingExampleStopsTheBatchCleanly() throws {
        final class Calls: @unchecked Sendable {
            let lock = NSLock()
            var count = 0
            func next() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
        }
        struct Boom: Error {}
        let calls = Calls()
        let catalog = SamplerCatalog(names: ["flaky"]) { name, parameters, _ in
            SweepSampler(name: name, parameters: parameters, modelKinds: [.masked]) { prompt, length, steps, denoiser, _, _ in
                let mask = denoiser.specialTokens.mask ?? 0
                var canvas = [TokenID](repeating: mask, count: length)
                for _ in 0 ..< steps {
                    let logits = try denoiser.logits(prefix: prompt, canvas: canvas, conditioning: nil)
                    canvas = (0 ..< length).map { row in
                        (0 ..< logits.vocabularySize).max { logits.values[row * logits.vocabularySize + $0] < logits.values[row * logits.vocabularySize + $1] } ?? 0
                    }
                }
                if calls.next() == 7 { throw Boom() }
                return Generation(tokens: canvas, forwardPasses: steps, steps: steps, commitStep: [Int](repeating: 0, count: length))
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("flaky.yaml")
        try """
            name: flaky
            models: [\(Self.tinyModel)]
            tasks:
              - {name: addition, examples: 20, seed: 3}
            samplers:
              - name: flaky
            steps: [3]
            seeds: [0]
            """.write(to: file, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: file, catalog: catalog)
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.batchSize = 4
        #expect(throws: RunError.self) { try runner.run() }
        let written = try ResultsDatabase(spec.database).count()
        #expect(written >= 6 && written < 20)
        #expect(try Set(ResultsDatabase(spec.database).existingKeys()).count == written)
    }
}
