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
}
