import DiffusionCore
import Testing
@testable import DiffusionEngine

/// `MatMul.setThreads(n)`: OpenBLAS threads for the F32 matmuls, Dispatch workers for attention heads, experts and
/// the panels of stored weights (`WorkSplitTests`). The Dispatch part gives the same bits at every count: attention
/// work items and experts are computed the same way whichever worker takes them, and summed in a fixed order. (OpenBLAS's own threads do not: with more than one,
/// OpenBLAS 0.3.21 rounds some products differently, about 1e-6 on logits of magnitude 1 on this shape. That is not
/// tested here: switching OpenBLAS's process-wide thread count would disturb the bitwise tests running beside it.)
@Suite(.serialized) struct ForwardThreadsTests {
    @Test func dispatchWorkersGiveTheBitsOfOne() throws {
        let entry = try #require(BenchmarkConfigurations.all.first)
        let config = try LLaDAMoEConfiguration(fields: try JSONFields(entry.config, file: entry.name))
        let model = try LLaDAMoEModel(config: config, weights: RandomWeights(seed: 4))
        var generator = SeededGenerator(seed: 6)
        let tokens = (0 ..< 300).map { _ in generator.nextInt(below: model.vocabularySize) }
        MatMul.setThreads(1)
        defer {
            MatMul.attentionThreads = 1
            MatMul.expertThreads = 1
            MatMul.linearThreads = 1
        }
        let single = try model.forward(tokens: tokens).values
        for threads in [2, 3] {
            MatMul.attentionThreads = threads
            MatMul.expertThreads = threads
            MatMul.linearThreads = threads
            #expect(try model.forward(tokens: tokens).values == single, "\(threads) Dispatch workers")
        }
    }
}
