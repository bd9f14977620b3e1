import Foundation
import GRDB
import Testing
@testable import Sweeps

/// The rows of a database without their timing: what two runs of the same sweep must agree on.
func deterministicRows(_ url: URL) throws -> [[DatabaseValue]] {
    let columns = ResultsDatabase.deterministicColumns.joined(separator: ", ")
    return try ResultsDatabase(url).read { db in
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM examples ORDER BY run_key, example_index, repeat_index")
            .map { Array($0.databaseValues) }
    }
}

/// A small sweep on the fixture model, written to a fresh folder.
func writeSweepSpec(examples: Int, name: String = "sweep") throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-sweep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("\(name).yaml")
    try """
        name: \(name)
        models: [\(fixtureModel)]
        tasks:
          - {name: addition, examples: \(examples), seed: 3}
          - {name: decomp, examples: \(examples / 2)}
        samplers:
          - name: llada_low_confidence
        steps: [1, 2, 4, 8]
        seeds: [0, 1]
        """.write(to: file, atomically: true, encoding: .utf8)
    return file
}

@Suite(.serialized) struct RunnerTests {
    @Test func shardsMergedEqualTheUnshardedSweep() throws {
        let file = try writeSweepSpec(examples: 12)
        let spec = try ExperimentSpec(contentsOf: file)
        try spec.createResultsFolder()
        var whole = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        whole.gitCommit = "test"
        let summary = try whole.run()
        #expect(summary.examplesWritten == 2 * (4 * 12 + 4 * 6) && summary.examplesSkipped == 0)

        let count = 3
        var shardFiles: [URL] = []
        for index in 0 ..< count {
            let shard = try Shard("\(index)/\(count)")
            var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database(for: shard)))
            runner.gitCommit = "test"
            _ = try runner.run(shard: shard)
            shardFiles.append(spec.database(for: shard))
        }
        #expect(spec.shardDatabases() == shardFiles)
        let mergedURL = file.deletingLastPathComponent().appendingPathComponent("merged.sqlite")
        let merged = try ResultsDatabase(mergedURL)
        let counts = try merged.merge(from: shardFiles)
        #expect(counts.added == summary.examplesWritten && counts.skipped == 0)
        #expect(try deterministicRows(mergedURL) == deterministicRows(spec.database))
        // Merging again adds nothing.
        #expect(try merged.merge(from: shardFiles).added == 0)
    }

    @Test func aSecondSweepSkipsEverything() throws {
        let file = try writeSweepSpec(examples: 4)
        let spec = try ExperimentSpec(contentsOf: file)
        try spec.createResultsFolder()
        let database = try ResultsDatabase(spec.database)
        let first = try SweepRunner(spec: spec, database: database).run()
        let second = try SweepRunner(spec: spec, database: database).run()
        #expect(second.examplesWritten == 0 && second.examplesSkipped == first.examplesWritten)
        #expect(try database.count() == first.examplesWritten)
    }
}

/// A sampler that needs a mask token is not run on a uniform-state (DiffusionGemma) model: the pair is listed in
/// the summary, nothing is written for it, and the sampler that can drive both models still runs on both.
@Suite struct NotApplicableRunTests {
    @Test func maskedSamplersSkipUniformModels() throws {
        let uniformModel = URL(fileURLWithPath: fixtureModel).deletingLastPathComponent()
            .appendingPathComponent("diffusiongemma-parity").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("kinds.yaml")
        try """
            name: kinds
            models: [\(fixtureModel), \(uniformModel)]
            tasks: [{name: addition, examples: 2}]
            samplers: [{name: llada_low_confidence}, {name: gemma_entropy_bound}]
            steps: [2]
            """.write(to: file, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: file)
        try spec.createResultsFolder()
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        let summary = try runner.run()
        #expect(summary.notApplicable.count == 1)
        #expect(summary.notApplicable.first?.hasPrefix("llada_low_confidence × ") == true)
        #expect(summary.runs == 3 && summary.examplesWritten == 6)
    }
}
