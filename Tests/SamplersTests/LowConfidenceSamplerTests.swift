import DiffusionCore
import Testing
@testable import Samplers

/// A deterministic fake model: position i of the canvas prefers token `10 + i` with a logit that grows with i,
/// so the most confident positions are the last ones. The mask token gets the largest logit of all, which a
/// correct sampler must never propose.
final class ScriptedDenoiser: Denoiser {
    let vocabularySize = 40
    let specialTokens = SpecialTokens(mask: 1, endOfSequence: [2], pad: 0)
    let kind = DiffusionKind.masked
    var calls: [[TokenID]] = []

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        calls.append(canvas)
        var values = [Float](repeating: 0, count: canvas.count * vocabularySize)
        for i in 0 ..< canvas.count {
            values[i * vocabularySize + 10 + i] = Float(i + 1)
            values[i * vocabularySize + 1] = 100  // mask
        }
        return Logits(rows: canvas.count, vocabularySize: vocabularySize, values: values)
    }
}

@Suite struct LowConfidenceSamplerTests {
    @Test func transferScheduleMatchesLLaDA() {
        // get_num_transfer_tokens: ⌊M/s⌋ each, the remainder to the first steps.
        #expect(LowConfidenceSampler.transferSchedule(masked: 10, steps: 4) == [3, 3, 2, 2])
        #expect(LowConfidenceSampler.transferSchedule(masked: 8, steps: 8) == Array(repeating: 1, count: 8))
    }

    @Test func oneTokenPerStepCommitsMostConfidentFirst() throws {
        let model = ScriptedDenoiser()
        let generation = try LowConfidenceSampler(steps: 6).generate(prompt: [5, 6], length: 6, denoiser: model)
        #expect(generation.tokens == [10, 11, 12, 13, 14, 15])
        #expect(generation.forwardPasses == 6)
        #expect(generation.commitStep == [5, 4, 3, 2, 1, 0])
        #expect(model.calls[1] == [1, 1, 1, 1, 1, 15])
    }

    @Test func oneStepCommitsEverythingAtOnce() throws {
        let generation = try LowConfidenceSampler(steps: 1).generate(prompt: [5], length: 6, denoiser: ScriptedDenoiser())
        #expect(generation.forwardPasses == 1)
        #expect(generation.commitStep == Array(repeating: 0, count: 6))
        #expect(generation.tokensPerForward == 6)
    }

    @Test func blocksAreFilledLeftToRight() throws {
        let generation = try LowConfidenceSampler(steps: 4, blockLength: 3).generate(prompt: [], length: 6, denoiser: ScriptedDenoiser())
        // Block 0 (positions 0-2) in steps 0-1, block 1 in steps 2-3; within a block the later positions first.
        #expect(generation.commitStep == [1, 0, 0, 3, 2, 2])
    }

    @Test func badParametersAreClearErrors() {
        #expect(throws: SamplerError.self) { try LowConfidenceSampler(steps: 0) }
        #expect(throws: SamplerError.self) {
            try LowConfidenceSampler(steps: 3, blockLength: 4).generate(prompt: [], length: 6, denoiser: ScriptedDenoiser())
        }
        #expect(throws: SamplerError.self) {
            try LowConfidenceSampler(steps: 3, blockLength: 3).generate(prompt: [], length: 6, denoiser: ScriptedDenoiser())
        }
    }
}
