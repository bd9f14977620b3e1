import Foundation
import GRDB
import Testing
@testable import Sweeps

/// `dlab sweep --timeout` wraps the model in a deadline; the model's optional interfaces (the autoregressive one of
/// AR samplers, WINO's shadow-block pass) must reach the sampler through it, each pass checked against the deadline.
@Suite(.serialized) struct TimeLimitCapabilityTests {
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/models")

    func rows(model: String, sampler: String, timeout: Double?) throws -> [[DatabaseValue]] {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("limited.yaml")
        try """
            name: limited
            models: [\(Self.models.appendingPathComponent(model).path)]
            tasks: [{name: addition, examples: 3}, {name: sudoku4, examples: 2}]
            samplers: [{name: \(sampler)}]
            steps: [16]
            """.write(to: file, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: file)
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        runner.exampleTimeout = timeout
        try runner.run()
        return try deterministicRows(spec.database)
    }

    @Test(arguments: [("tiny-ar-mtp", "ar_greedy"), ("tiny-ar-mtp", "ar_mtp"), ("tiny-llada-moe", "wino")])
    func samplersNeedingAnInterfaceRunUnderATimeLimit(_ model: String, _ sampler: String) throws {
        let free = try rows(model: model, sampler: sampler, timeout: nil)
        #expect(free.count == 5)
        #expect(try rows(model: model, sampler: sampler, timeout: 1000) == free, "\(sampler)")
        // A limit already past stops the first pass of the interface: it goes through the deadline.
        let error = #expect(throws: RunError.self) { try rows(model: model, sampler: sampler, timeout: 1e-9) }
        #expect(error?.underlying is ExampleTimeout, "\(sampler): \(String(describing: error))")
    }
}
