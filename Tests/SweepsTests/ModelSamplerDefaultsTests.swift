import Foundation
import GRDB
import Testing
@testable import Sweeps

/// A model's own sampler defaults (DiffusionGemma's generation_config.json) reach a sweep the way they reach
/// `dlab sample`: under the spec's parameters, and recorded in every row.
@Suite(.serialized) struct ModelSamplerDefaultsTests {
    static let tinyGemma = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/models/tiny-diffusiongemma")

    @Test func aSweepRunsWithTheModelsDefaultsUnderTheSpecs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-defaults-\(UUID().uuidString)")
        let model = folder.appendingPathComponent("gemma")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.tinyGemma, to: model)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The model ships its own bound and minimum temperature, unlike the sampler's built-in defaults.
        let configURL = model.appendingPathComponent("generation_config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any] ?? [:]
        config["t_min"] = 0.25
        config["sampler_config"] = ["_cls_name": "EntropyBoundSamplerConfig", "entropy_bound": 0.3]
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let file = folder.appendingPathComponent("defaults.yaml")
        try """
            name: defaults
            models: [gemma]
            tasks:
              - {name: addition, examples: 2}
            samplers:
              - name: gemma_entropy_bound
                parameters: {t_max: 0.9}
            steps: [4]
            """.write(to: file, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: file)
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        try runner.run()
        let parameters = try ResultsDatabase(spec.database).read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT sampler_parameters FROM examples")
        }
        #expect(parameters.count == 1)
        let values = try JSONSerialization.jsonObject(with: Data((parameters.first ?? "{}").utf8)) as? [String: Double] ?? [:]
        #expect(values["entropy_bound"] == 0.3, "the model's bound")
        #expect(values["t_min"] == 0.25, "the model's minimum temperature")
        #expect(values["t_max"] == 0.9, "the spec's own value wins over the model's 0.8")
    }
}
