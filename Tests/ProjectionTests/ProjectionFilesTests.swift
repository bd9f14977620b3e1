import Foundation
@testable import Projection
import XCTest

/// The shipped model, hardware and methods files load, and their counts match the published sizes.
final class ProjectionFilesTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/projection")

    func model(_ name: String) throws -> ModelShape {
        try ProjectionFiles.model(Self.root.appendingPathComponent("models/\(name).yaml"))
    }

    func testShippedModelsMatchPublishedSizes() throws {
        // (file, total, active) from the model cards, which count the input embedding table as active (LLaDA 2.0:
        // 16B-A1.4B, 100B-A6.1B; DiffusionGemma ties it to the LM head, so nothing is added there). 3% tolerance,
        // 5% for flash, whose shape is Ling-flash-2.0's.
        let expected: [(String, Double, Double, Double)] = [
            ("diffusiongemma-26b-a4b", 25.2e9, 3.8e9, 0.03), ("gemma-4-26b-a4b", 25.2e9, 3.8e9, 0.03),
            ("llada2-mini", 16.3e9, 1.44e9, 0.03), ("llada2-flash", 100e9, 6.1e9, 0.05),
        ]
        for (name, total, active, tolerance) in expected {
            let shape = try model(name)
            let embedding = shape.tiedEmbeddings ? 0 : Double(shape.vocabularySize * shape.hiddenSize)
            XCTAssertEqual(shape.totalParameters, total, accuracy: tolerance * total, name)
            XCTAssertEqual(shape.activeParametersPerToken + embedding, active, accuracy: tolerance * active, name)
            XCTAssertFalse(shape.sources.isEmpty, name)
        }
        // LLaDA-MoE-7B-A1B: 7B total; "A1B" counts neither embedding matrix (about 1.1B).
        let llada = try model("llada-moe-7b-a1b")
        XCTAssertEqual(llada.totalParameters, 7.3e9, accuracy: 0.03 * 7.3e9)
        XCTAssertEqual(llada.activeParametersPerToken - Double(llada.vocabularySize * llada.hiddenSize), 1.1e9, accuracy: 0.1e9)
    }

    func testShippedHardwareAndMethodsLoad() throws {
        let folder = Self.root.appendingPathComponent("hardware")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(files.count, 6)
        for file in files {
            let profile = try ProjectionFiles.hardware(folder.appendingPathComponent(file))
            XCTAssertFalse(profile.sources.isEmpty, file)
        }
        let shape = try model("diffusiongemma-26b-a4b")
        for name in ["published", "diffusiongemma-vs-gemma4"] {
            let specs = try ProjectionFiles.methods(Self.root.appendingPathComponent("methods/\(name).yaml"), defaultModel: shape) {
                try self.model($0)
            }
            XCTAssertEqual(specs.count, 3, name)
        }
    }

    func testMeasuredStatisticsGoThroughTheResolver() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("methods-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
            methods:
              - name: measured
                kind: diffusion
                canvas: 32
                measured: {database: results.sqlite, sampler: "eb_sampler gamma=0.1", task: sudoku4, steps: 16}
            """.write(to: url, atomically: true, encoding: .utf8)
        let shape = try model("tiny-llada-moe")
        var asked: [MeasuredSource] = []
        let specs = try ProjectionFiles.methods(url, defaultModel: shape, resolveModel: { _ in shape }) { source in
            asked.append(source)
            return MethodStatistics(tokensPerForward: 6.2)
        }
        XCTAssertEqual(asked, [MeasuredSource(database: "results.sqlite", samplerConfig: "eb_sampler gamma=0.1",
                                              task: "sudoku4", stepBudget: 16)])
        XCTAssertEqual(specs.first?.method, .diffusion(canvas: 32, tokensPerForward: 6.2, commitPass: false))
        // Without a resolver, or with published values as well, the file is refused.
        XCTAssertThrowsError(try ProjectionFiles.methods(url, defaultModel: shape, resolveModel: { _ in shape }))
        try String(contentsOf: url, encoding: .utf8).appending("\n    tokens_per_forward: 3\n").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProjectionFiles.methods(url, defaultModel: shape, resolveModel: { _ in shape }) { _ in .init() }) { error in
            XCTAssertTrue(String(describing: error).contains("not both"), String(describing: error))
        }
    }

    func testBadFieldIsNamed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-model-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
            name: bad
            source: nowhere
            vocabulary: 10
            hidden: -3
            layers:
              - count: 1
                attention: {heads: 1, kv_heads: 1, head_dim: 4}
            """.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProjectionFiles.model(url)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("hidden") && text.contains("-3") && text.contains(url.lastPathComponent), text)
        }
        try """
            name: bad
            source: nowhere
            peak_tflops: {bf16: 1, fp9: 2}
            bandwidth_gb_s: 1
            memory_gb: 1
            """.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProjectionFiles.hardware(url)) { error in
            XCTAssertTrue(String(describing: error).contains("fp9"), String(describing: error))
        }
    }
}
