import Foundation
import GRDB
import Testing
@testable import Sweeps

/// Batched denoising must not change results: every built-in sampler that drives a masked model, on the tiny
/// LLaDA-MoE model, gives the same rows (tokens, score, NFE, steps, commit steps: every column but timing) one
/// example at a time and with examples running together.
@Suite(.serialized) struct BatchedSweepTests {
    /// The shipped tiny model (trained on the built-in tasks).
    static let tinyModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/models/tiny-llada-moe").path

    func spec(samplers: [String]) throws -> ExperimentSpec {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
        let spec = try spec(samplers: catalog.names)
        var rows: [Int: [[DatabaseValue]]] = [:]
        for batch in [1, 4, 32] {
            let url = spec.database.deletingLastPathComponent().appendingPathComponent("batch-\(batch).sqlite")
            var runner = SweepRunner(spec: spec, database: try ResultsDatabase(url))
            runner.gitCommit = "test"
            runner.batchSize = batch
            let summary = try runner.run()
            #expect(summary.examplesWritten > 0)
            rows[batch] = try deterministicRows(url)
            let sizes = try ResultsDatabase(url).read { db in try Int.fetchAll(db, sql: "SELECT DISTINCT batch_size FROM examples ORDER BY 1") }
            #expect(sizes.allSatisfy { $0 <= batch } && sizes.contains(min(batch, 5)))
        }
        #expect(rows[1]?.isEmpty == false)
        #expect(rows[4] == rows[1])
        #expect(rows[32] == rows[1])
    }
}
