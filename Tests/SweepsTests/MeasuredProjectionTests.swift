import Foundation
import Testing
@testable import Sweeps

/// `dlab project` takes a diffusion method's tokens per forward from a results database (`measured:`).
@Suite struct MeasuredProjectionTests {
    static let projection = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/projection")

    /// Runs the dlab executable; returns its exit status and its stdout and stderr together.
    func dlab(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try dlabExecutable()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func diffusionStatisticsComeFromTheDatabase() throws {
        let database = scratchURL("results.sqlite")
        defer { try? FileManager.default.removeItem(at: database.deletingLastPathComponent()) }
        let results = try ResultsDatabase(database)
        // "eb" at 16 steps: 8 tokens in 4 and in 2 passes → 16 tokens / 6 passes = 2.67 tokens per forward.
        #expect(try results.insert(sampleResult(index: 0, config: "eb", steps: 16, nfe: 4)))
        #expect(try results.insert(sampleResult(index: 1, config: "eb", steps: 16, nfe: 2)))
        #expect(try results.insert(sampleResult(run: "run-b", index: 0, config: "eb", steps: 4, nfe: 4)))
        let methods = database.deletingLastPathComponent().appendingPathComponent("methods.yaml")
        func write(_ measured: String) throws {
            try """
                methods:
                  - name: measured diffusion
                    kind: diffusion
                    canvas: 32
                    measured: \(measured)
                """.write(to: methods, atomically: true, encoding: .utf8)
        }
        let common = ["project", "--model", Self.projection.appendingPathComponent("models/tiny-llada-moe.yaml").path,
                      "--hardware", Self.projection.appendingPathComponent("hardware/h200.yaml").path,
                      "--methods", methods.path, "--no-plot", "--max-users", "2"]

        try write("{database: \(database.path), sampler: eb, steps: 16}")
        let run = try dlab(common)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("canvas 32, 2.67 tokens per pass"), "\(run.output)")

        // Two points match without a step budget: the error says so and names the file and field.
        try write("{database: \(database.path), sampler: eb}")
        let ambiguous = try dlab(common)
        #expect(ambiguous.status != 0)
        #expect(ambiguous.output.contains("methods[0].measured") && ambiguous.output.contains("2 points"), "\(ambiguous.output)")
    }

    @Test func mtpAcceptanceComesFromTheDatabase() throws {
        let database = scratchURL("results.sqlite")
        defer { try? FileManager.default.removeItem(at: database.deletingLastPathComponent()) }
        let results = try ResultsDatabase(database)
        // Two examples of "mtp": position 1 accepted 3 of 4 and 1 of 4 (4 of 8), position 2 1 of 2 and 2 of 2 (3 of 4,
        // capped at position 1's 0.5); position 3 drafted 0 times in one and 4 in the other, 1 accepted (0.25).
        var first = sampleResult(index: 0, config: "mtp", steps: 8, nfe: 4)
        (first.draftsProposed, first.draftsAccepted) = ([4, 2, 0], [3, 1, 0])
        var second = sampleResult(index: 1, config: "mtp", steps: 8, nfe: 4)
        (second.draftsProposed, second.draftsAccepted) = ([4, 2, 4], [1, 2, 1])
        #expect(try results.insert(first))
        #expect(try results.insert(second))
        #expect(DraftAcceptance.reach(try results.results(task: "addition", samplerConfig: "mtp", stepBudget: 8)) == [0.5, 0.5, 0.25])
        let methods = database.deletingLastPathComponent().appendingPathComponent("methods.yaml")
        try """
            methods:
              - name: measured MTP
                kind: ar_mtp
                drafter_parameters: 1.0e6
                measured: {database: \(database.path), sampler: mtp}
            """.write(to: methods, atomically: true, encoding: .utf8)
        let run = try dlab(["project", "--model", Self.projection.appendingPathComponent("models/tiny-llada-moe.yaml").path,
                            "--hardware", Self.projection.appendingPathComponent("hardware/h200.yaml").path,
                            "--methods", methods.path, "--no-plot", "--max-users", "2"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("3 drafts, 2.25 tokens per verify pass"), "\(run.output)")
    }
}
