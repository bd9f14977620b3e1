import Foundation
import Testing
@testable import Sweeps

/// A path in a fresh scratch folder (created: a results database's folder must exist).
func scratchURL(_ name: String) -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-sweeps-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name)
}

func sampleResult(run: String = "run-a", index: Int, score: Double = 1, config: String = "low-confidence",
                  steps: Int = 4, nfe: Int = 4) -> ExampleResult {
    ExampleResult(
        runKey: run, experiment: "test", model: "tiny", task: "addition", taskVersion: 1, split: "eval", taskSeed: 0,
        exampleIndex: index, sampler: "low-confidence", samplerParameters: "{}", samplerConfig: config,
        stepBudget: steps, seed: 0, repeatIndex: 0, generationLength: 8, blockLength: nil,
        prompt: "A12+34=", output: "46, \"quoted\"", reference: "46", score: score, nfe: nfe, stepsRun: steps,
        tokensPerForward: 8.0 / Double(nfe), wallSeconds: 0.001, commitSteps: [0, 1, 2, 3, 3, 2, 1, 0],
        gitCommit: "abc", dlabVersion: "0.1.0")
}

@Suite struct ResultsDatabaseTests {
    @Test func wilsonMatchesKnownValues() {
        let none = WilsonInterval(successes: 0, trials: 10)
        #expect(none.low == 0)
        #expect(abs(none.high - 0.27753) < 1e-4)
        let half = WilsonInterval(successes: 5, trials: 10)
        #expect(abs(half.low - 0.23659) < 1e-4 && abs(half.high - 0.76341) < 1e-4)
        // 200 examples at 50%: ±6.9 points, the quickstart's target width.
        let wide = WilsonInterval(successes: 100, trials: 200)
        #expect(wide.high - wide.low < 0.14)
    }

    @Test func rowsRoundTripAndAreNeverDuplicated() throws {
        let database = try ResultsDatabase(scratchURL("results.sqlite"))
        #expect(try database.insert(sampleResult(index: 0)))
        #expect(try database.insert(sampleResult(index: 1, score: 0)))
        #expect(try database.insert(sampleResult(index: 0)) == false)
        #expect(try database.count() == 2)
        #expect(try database.allResults() == [sampleResult(index: 0), sampleResult(index: 1, score: 0)])
        #expect(try database.existingKeys() == [ExampleKey(runKey: "run-a", exampleIndex: 0, repeatIndex: 0),
                                                ExampleKey(runKey: "run-a", exampleIndex: 1, repeatIndex: 0)])
    }

    @Test func aggregatesGroupBySeriesPoint() throws {
        let database = try ResultsDatabase(scratchURL("results.sqlite"))
        for index in 0 ..< 10 { try database.insert(sampleResult(run: "b", index: index, score: index < 5 ? 1 : 0, config: "b", steps: 8, nfe: 8)) }
        for index in 0 ..< 4 { try database.insert(sampleResult(run: "a", index: index, config: "a", steps: 2, nfe: 2)) }
        let table = try database.aggregates()
        #expect(table.map(\.samplerConfig) == ["b", "a"])  // configurations in the order they first appear
        #expect(table[0].examples == 10 && table[0].accuracy == 0.5 && table[0].meanNFE == 8)
        #expect(table[1].tokensPerForward == 4)
        let text = formatAggregateTable(table)
        #expect(text.contains("50.0%") && text.contains("[23.7, 76.3]"))
    }

    @Test func mergeJoinsShardsAndRejectsConflicts() throws {
        let (first, second, merged) = (scratchURL("a.sqlite"), scratchURL("b.sqlite"), scratchURL("m.sqlite"))
        let a = try ResultsDatabase(first)
        let b = try ResultsDatabase(second)
        try a.insert(sampleResult(index: 0))
        try b.insert(sampleResult(index: 1))
        try b.insert(sampleResult(index: 0))
        let target = try ResultsDatabase(merged)
        let counts = try target.merge(from: [first, second])
        #expect(counts.added == 2 && counts.skipped == 1)
        #expect(try target.allResults() == [sampleResult(index: 0), sampleResult(index: 1)])
        let other = scratchURL("c.sqlite")
        try ResultsDatabase(other).insert(sampleResult(index: 1, score: 0))
        #expect(throws: MergeConflict.self) { try target.merge(from: [other]) }
    }

    @Test func exportsCSVAndJSONL() throws {
        let database = try ResultsDatabase(scratchURL("results.sqlite"))
        try database.insert(sampleResult(index: 0))
        var csv = ""
        try database.export(.csv, to: &csv)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("id,run_key,experiment"))
        #expect(lines[1].contains("\"46, \"\"quoted\"\"\""))
        var jsonl = ""
        try database.export(.jsonl, to: &jsonl)
        let object = try JSONSerialization.jsonObject(with: Data(jsonl.utf8)) as? [String: Any]
        #expect(object?["commit_steps"] as? [Int] == [0, 1, 2, 3, 3, 2, 1, 0])
        #expect(object?["output"] as? String == "46, \"quoted\"")
        #expect(object?["block_length"] is NSNull)
    }
}
