import DiffusionCore
import Samplers
import Testing

/// DUS and SlowFast: where the ports implement the papers rather than the reference code.
@Suite struct DilatedAndSlowFastDifferenceTests {
    func run(_ name: String, _ parameters: [String: ParameterValue], peaks: [Float]) throws -> (Generation, TraceRecorder) {
        var rng = SeededGenerator(seed: 0)
        let recorder = TraceRecorder()
        let generation = try SamplerRegistry().sampler(named: name, parameters: parameters)
            .run(prompt: [5, 9], length: peaks.count, steps: peaks.count, denoiser: ConstantDenoiser(peaks: peaks), rng: &rng, trace: recorder)
        return (generation, recorder)
    }

    /// DUS (`generate_scheduled`): a token re-masked below `confidence_threshold` is never scheduled again, so the
    /// reference returns a mask there. The levels of 4 positions are [0, 2] and [1, 3]; position 0 is improbable
    /// (p ≈ 0.07 < 0.3) and re-masked after level 0. The reference's level 1 commits [1, 3] only and leaves position 0
    /// masked; here it joins level 1.
    @Test func dusRefillsARemaskedPositionWhereTheReferenceLeavesAMask() throws {
        let (generation, trace) = try run("dus", ["remask_threshold": .double(0.3)], peaks: [0.5, 9, 9, 9])
        #expect(trace.steps.map(\.positions) == [[0, 2], [0, 1, 3]])
        #expect(trace.steps[0].canvas == [1, 1, 5, 1], "level 0 re-masks position 0")
        #expect(generation.tokens == [3, 4, 5, 6] && generation.forwardPasses == 2)
        let referenceLevelOne = [1, 3]  // `dilated_unmask_levels(0, 3)` after the first level, as the reference schedules it
        #expect(!referenceLevelOne.contains(0), "the reference has no later level that holds position 0")
    }

    /// SlowFast (`generate_slow_fast_sampling`): the exploration loop `for k_step in range(k_exploration_steps)` has no
    /// exit, so a block that one pass completes still costs 6 forward passes that commit nothing. Here every proposal
    /// has p ≈ 0.997 ≥ 0.9: pass 1 commits the whole block and the sampler stops.
    @Test func slowFastStopsWhenTheBlockIsComplete() throws {
        let (generation, trace) = try run("slow_fast", [:], peaks: [9, 9, 9, 9])
        #expect(trace.steps.map(\.positions) == [[0, 1, 2, 3]])
        #expect(generation.forwardPasses == 1 && generation.forwardPasses < SlowFastParameters.defaultExplorationSteps)
    }

    /// The dilated levels of the reference (`dilated_unmask_levels` + `merge_last_level`), as the port schedules them.
    @Test func dusLevelsAreDilated() throws {
        let (_, trace) = try run("dus", [:], peaks: [Float](repeating: 9, count: 16))
        #expect(trace.steps.map(\.positions) == [[0, 8], [4, 12], [2, 6, 10, 14], [1, 3, 5, 7, 9, 11, 13, 15]])
        let (_, short) = try run("dus", [:], peaks: [Float](repeating: 9, count: 5))
        #expect(short.steps.map(\.positions) == [[0, 1, 2, 3, 4]], "[1, 3] is smaller than [0, 2, 4] and merged into it")
    }
}
