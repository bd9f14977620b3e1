import DiffusionCore
import Samplers
import Testing

/// Saber (`generate_with_saber`): where the port implements the paper rather than the reference code.
@Suite struct SaberDifferenceTests {
    /// When fewer than n masks are left up to the block end, the reference's `torch.topk(confidence, k=n)` reaches
    /// positions whose confidence is −∞: an already decoded position (overwritten by a fresh proposal and counted as
    /// committed), a prompt position (its probability then enters the threshold) or one after the block. Here, with
    /// n = 3 on 4 positions: pass 1 commits positions 0, 1, 2 (τ = 1, so the top 3) and backtracks the largest drop,
    /// position 2 (the drop against the initial 0 is its probability, the smallest); pass 2 has 2 masks for n = 3. The
    /// paper commits the masks left; this port does, and the block is complete after 2 passes.
    @Test func commitsTheMasksLeftWhereTheReferenceReachesPastThem() throws {
        var rng = SeededGenerator(seed: 0)
        let recorder = TraceRecorder()
        let generation = try SamplerRegistry().sampler(named: "saber", parameters: ["min_tokens": .int(3)])
            .run(prompt: [5, 9], length: 4, steps: 4, denoiser: ConstantDenoiser(peaks: [5, 4, 3, 2]), rng: &rng, trace: recorder)
        #expect(recorder.steps.map(\.positions) == [[0, 1, 2], [2, 3]])
        #expect(recorder.steps[0].canvas == [3, 4, 1, 1], "pass 1 backtracks position 2")
        #expect(generation.tokens == [3, 4, 5, 6] && generation.forwardPasses == 2)
        // The reference's pass 2, transcribed: k = max(n, 0 above τ) = 3 positions from a confidence vector with 2 finite.
        let masksLeft = recorder.steps[0].canvas.filter { $0 == 1 }.count
        #expect(masksLeft == 2 && 3 > masksLeft, "the reference's top-3 takes one position that is not a mask")
    }

    @Test func rejectsAZeroMinimum() {
        let error = #expect(throws: ParameterError.self) { try SamplerRegistry().sampler(named: "saber", parameters: ["min_tokens": .int(0)]) }
        #expect(error?.key == "min_tokens")
    }
}
