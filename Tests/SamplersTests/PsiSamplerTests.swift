import DiffusionCore
import Foundation
import Samplers
import Testing

/// A recorded tape of the shipped uniform-state model (Experiments/models/tiny-diffusiongemma, no mask token).
final class UniformTapeDenoiser: Denoiser {
    let tape: TapeDenoiser
    let specialTokens: SpecialTokens
    let kind = DiffusionKind.uniform
    var vocabularySize: Int { tape.vocabularySize }

    init(_ fixture: TinyModelFixture, tape calls: [TinyModelFixture.Call]) {
        tape = TapeDenoiser(fixture, tape: calls)
        specialTokens = SpecialTokens(mask: nil, endOfSequence: [fixture.eos], pad: fixture.pad)
    }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        try tape.logits(prefix: prefix, canvas: canvas, conditioning: conditioning)
    }
}

/// The Ψ-sampler (s-sahoo/duo `_psi_update`): its reference trajectories on the shipped DiffusionGemma-format model
/// (tiny_diffusiongemma_trajectories_2026.json, written by `sampler_trajectories_2026.py --tiny-gemma` with
/// transformers' model), and where it follows ReMDM rather than the reference code.
@Suite struct PsiSamplerTests {
    static let gemma = SecondCatalogueFixtures.load("tiny_diffusiongemma_trajectories_2026", as: TinyModelFixture.self)

    @Test(arguments: gemma.cases.indices.map { $0 })
    func reproducesReferenceOnTheShippedUniformModel(_ index: Int) throws {
        let reference = Self.gemma.cases[index]
        let sampler = try SamplerRegistry().sampler(named: reference.sampler, parameters: reference.params)
        var rng = SeededGenerator(seed: reference.seed)
        let recorder = TraceRecorder()
        let generation = try sampler.run(prompt: reference.prompt, length: reference.length, steps: reference.steps,
                                         denoiser: UniformTapeDenoiser(Self.gemma, tape: reference.tape), rng: &rng, trace: recorder)
        let label = "\(reference.task) \(reference.sampler) \(reference.params)"
        #expect(recorder.trajectory == reference.trajectory, "\(label)")
        #expect(generation.tokens == reference.tokens, "\(label)")
        #expect(generation.forwardPasses == reference.tape.count, "\(label)")
    }

    /// `_mode_to_psi_kappas('max-rescale-η')` computes σ = η·min(η, (1 − α_s)/α_t): the cap at η, then the rescale by
    /// η, so σ = η² wherever the cap binds. ReMDM's rescale (which the mode is named after) is σ = η·min(1, (1 − α_s)/α_t).
    /// At the first step of 10 (α_t = 0.001, α_s ≈ 0.1009) the ratio is ≈ 900: the reference's σ is 0.25, ReMDM's 0.5.
    @Test func maxRescaleIsReMDMsRescale() {
        let (eta, alphaT, alphaS) = (0.5, 1 - 0.999 * 1.0, 1 - 0.999 * (1 - (1 - 1e-5) / 10))
        let kappa = PsiSampler.kappa(.maxRescale, eta: eta, alphaT: alphaT, alphaS: alphaS)
        #expect(abs(kappa - (1 - 0.5 / (1 - alphaS))) < 1e-12)
        let referenceSigma = min(eta, (1 - alphaS) / alphaT) * eta  // `torch.where(alpha_t > 0, sigma_max, 1) * eta`
        #expect(referenceSigma == 0.25)
        #expect(abs(kappa - (1 - referenceSigma / (1 - alphaS))) > 0.1, "the reference's kappa differs")
        // max_capped is the reference's: σ = min(η, ratio)
        #expect(PsiSampler.kappa(.maxCapped, eta: eta, alphaT: alphaT, alphaS: alphaS) == min(max(1 - 0.5 / (1 - alphaS), 0), 1))
    }

    @Test func refusesMaskedModels() throws {
        var rng = SeededGenerator(seed: 0)
        #expect(throws: SamplerError.self) {
            try SamplerRegistry().sampler(named: "psi_sampler").run(prompt: [5], length: 4, steps: 4, denoiser: ScriptedDenoiser(), rng: &rng)
        }
    }
}
