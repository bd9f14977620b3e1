import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// The batched pass (sequences stacked as rows, attention per sequence) against one pass per sequence, on the
/// shipped tiny model. Not bitwise in general: OpenBLAS's sgemm kernels (Haswell, Zen, SkylakeX, Cooperlake in
/// 0.3.21) round a row differently depending on the other rows of the call, so the stacked matmuls may change the
/// last bits (measured up to 2.4e-5 on logits of size ~10); the parity tolerance, 1e-4 max abs, bounds that. Whole sweeps compare tokens exactly (BatchedSweepTests).
@Suite struct BatchedForwardTests {
    @Test func stackedSequencesMatchSeparatePasses() throws {
        MatMul.setThreads(1)
        let llada = try #require(try ModelFolder(TinyModelParityTests.modelFolder).denoiser as? LLaDAMoEModel)
        var generator = SeededGenerator(seed: 9)
        let lengths = [5, 23, 1, 64, 17, 30]
        let sequences = lengths.map { length in (0 ..< length).map { _ in generator.nextInt(below: llada.vocabularySize) } }
        let calls = sequences.map { DenoiserCall(prefix: Array($0.prefix($0.count / 3)), canvas: Array($0.dropFirst($0.count / 3)), conditioning: nil) }
        let batched = try llada.logits(batch: calls)
        #expect(batched.count == calls.count)
        for (call, logits) in zip(calls, batched) {
            let alone = try llada.logits(prefix: call.prefix, canvas: call.canvas, conditioning: nil)
            #expect(logits.rows == call.canvas.count && alone.rows == logits.rows)
            let error = maxAbsDifference(logits.values, alone.values)
            #expect(error <= 1e-4, "length \(call.prefix.count + call.canvas.count): max abs difference \(error)")
        }
        // One sequence in a batch is the single pass itself.
        let single = try llada.logits(batch: [calls[3]])
        #expect(single[0].values == (try llada.logits(prefix: calls[3].prefix, canvas: calls[3].canvas, conditioning: nil)).values)
    }

    @Test func badSequenceInBatchIsNamed() throws {
        let llada = try #require(try ModelFolder(TinyModelParityTests.modelFolder).denoiser as? LLaDAMoEModel)
        #expect(throws: ModelInputError.self) {
            _ = try llada.forward(batch: [([3, 4], 0 ..< 2), ([3, 9999], 0 ..< 2)])
        }
    }
}
