import Foundation
import GRDB
import Testing
@testable import Sweeps

/// A sweep over the shipped tiny LLaDA-MoE stores each row's block cache mode and the positions its passes computed:
/// the cached rows compute fewer positions per pass, count each cached pass in `nfe`, and run batched like the uncached
/// run (their block caches served within batched passes).
@Suite(.serialized) struct CacheColumnsTests {
    static let tinyLLaDA = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/models/tiny-llada-moe").path

    @Test func cacheModeAndCostAreStored() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-caches-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("caches.yaml")
        try """
            name: caches
            models: [\(Self.tinyLLaDA)]
            tasks:
              - {name: sudoku4, examples: 3}
            samplers:
              - name: llada_low_confidence
                parameters: {cache: [none, prefix, dual]}
            block_length: 4
            steps: [16]
            """.write(to: file, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: file)
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        #expect(try runner.run().examplesWritten == 9)
        let all = try ResultsDatabase(spec.database).allResults()
        func rows(_ mode: String) -> [ExampleResult] { all.filter { $0.cacheMode == mode } }
        #expect(rows("none").count == 3 && rows("prefix").count == 3 && rows("dual").count == 3)
        for mode in ["prefix", "dual"] {
            for row in rows(mode) {
                let plain = try #require(rows("none").first { $0.exampleIndex == row.exampleIndex })
                let (cost, plainCost) = (try #require(row.positionsComputed), try #require(plain.positionsComputed))
                // The three runs (one per cache mode) share batched passes: their 9 examples form one stream.
                #expect(row.nfe == 16 && row.batchSize == plain.batchSize && row.batchSize == 9)
                #expect(Double(cost) / Double(row.nfe) < Double(plainCost) / Double(plain.nfe), "\(mode): \(cost) positions in \(row.nfe) passes")
            }
        }
    }
}
