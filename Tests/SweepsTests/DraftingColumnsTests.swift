import Foundation
import GRDB
import Testing
@testable import Sweeps

/// A sweep over the shipped AR-MTP model stores what drafting did, per draft position, beside NFE and tokens per
/// forward: drafts proposed and accepted for `ar_mtp`, NULL for greedy decoding (which drafts nothing).
@Suite(.serialized) struct DraftingColumnsTests {
    static let tinyARMTP = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/models/tiny-ar-mtp").path

    @Test func draftsPerPositionAreStored() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-drafts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("drafts.yaml")
        try """
            name: drafts
            models: [\(Self.tinyARMTP)]
            tasks:
              - {name: sudoku4, examples: 3}
            samplers:
              - name: ar_greedy
              - name: ar_mtp
                parameters: {k: 3}
            steps: [16]
            """.write(to: file, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: file)
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        #expect(try runner.run().examplesWritten == 6)
        let rows = try ResultsDatabase(spec.database).allResults()
        let greedy = rows.filter { $0.sampler == "ar_greedy" }
        let drafting = rows.filter { $0.sampler == "ar_mtp" }
        #expect(greedy.count == 3 && greedy.allSatisfy { $0.draftsProposed == nil && $0.draftsAccepted == nil })
        #expect(drafting.count == 3)
        for row in drafting {
            let proposed = try #require(row.draftsProposed)
            let accepted = try #require(row.draftsAccepted)
            #expect(proposed.count == 3 && accepted.count == 3)
            #expect(zip(accepted, proposed).allSatisfy { $0 <= $1 } && accepted.reduce(0, +) > 0)
            // Under greedy verification drafting changes how fast, never what: the same output as greedy.
            #expect(row.output == greedy.first { $0.exampleIndex == row.exampleIndex }?.output)
            #expect(row.tokensPerForward > 1)
        }
    }
}
