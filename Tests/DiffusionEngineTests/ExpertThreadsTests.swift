import DiffusionCore
import Testing
@testable import DiffusionEngine

/// Experts computed concurrently give bitwise the same forward pass as experts one after the other: each expert's
/// sgemms have the same shapes either way and the weighted sums are added in the same order.
@Suite(.serialized) struct ExpertThreadsTests {
    @Test func concurrentExpertsAreBitwiseIdentical() throws {
        MatMul.setThreads(1)
        let entry = try #require(BenchmarkConfigurations.all.first)
        let config = try LLaDAMoEConfiguration(fields: try JSONFields(entry.config, file: entry.name))
        let model = try LLaDAMoEModel(config: config, weights: RandomWeights(seed: 3))
        var generator = SeededGenerator(seed: 5)
        let tokens = (0 ..< 84).map { _ in generator.nextInt(below: model.vocabularySize) }
        defer { MatMul.expertThreads = 1 }
        MatMul.expertThreads = 1
        let sequential = try model.forward(tokens: tokens)
        for threads in [2, 3, 8] {
            MatMul.expertThreads = threads
            #expect(try model.forward(tokens: tokens).values == sequential.values, "\(threads) expert threads")
        }
    }
}
