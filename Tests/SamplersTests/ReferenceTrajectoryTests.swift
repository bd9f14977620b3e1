import DiffusionCore
import Foundation
import Samplers
import Testing

/// Fixtures written by Experiments/models/tools/sampler_trajectories.py: each published sampler's reference port,
/// run on the scripted model (greedy and seeded-stochastic, the randomness fed from the same SplitMix64 stream).
struct TrajectoryFixture: Decodable {
    struct Case: Decodable {
        let sampler: String
        let params: [String: ParameterValue]
        let prompt: [TokenID]
        let length: Int
        let steps: Int
        let seed: UInt64
        let kind: DiffusionKind
        let trajectory: [[TokenID]]
        let tokens: [TokenID]
        let forwardPasses: Int

        enum CodingKeys: String, CodingKey {
            case sampler, params, prompt, length, steps, seed, kind, trajectory, tokens
            case forwardPasses = "forward_passes"
        }
    }

    let cases: [Case]
    let linspace: [String: [Float]]

    enum CodingKeys: String, CodingKey {
        case cases
        case linspace = "dream_linspace_eps_1e-3"
    }

    static let shared: TrajectoryFixture = {
        let url = Bundle.module.url(forResource: "Fixtures/trajectories", withExtension: "json")!
        return try! JSONDecoder().decode(TrajectoryFixture.self, from: Data(contentsOf: url))
    }()
}

@Suite struct ReferenceTrajectoryTests {
    static let cases = TrajectoryFixture.shared.cases.indices.map { $0 }

    @Test(arguments: cases)
    func reproducesReferenceTrajectory(_ index: Int) throws {
        let fixture = TrajectoryFixture.shared.cases[index]
        let sampler = try SamplerRegistry().sampler(named: fixture.sampler, parameters: fixture.params)
        let model = ScriptedDenoiser(kind: fixture.kind)
        var rng = SeededGenerator(seed: fixture.seed)
        let recorder = TraceRecorder()
        let generation = try sampler.run(prompt: fixture.prompt, length: fixture.length, steps: fixture.steps,
                                         denoiser: model, rng: &rng, trace: recorder)
        let label = "\(fixture.sampler) \(fixture.params)"
        #expect(recorder.trajectory.count == fixture.trajectory.count, "\(label): step count")
        for (step, (swift, reference)) in zip(recorder.trajectory, fixture.trajectory).enumerated() where swift != reference {
            Issue.record("\(label): step \(step) canvas \(swift) != reference \(reference)")
            break
        }
        #expect(generation.tokens == fixture.tokens, "\(label): tokens")
        #expect(generation.forwardPasses == fixture.forwardPasses, "\(label): NFE")
        #expect(generation.steps == fixture.trajectory.count, "\(label): steps")
    }

    @Test func everyBuiltInSamplerHasAFixture() {
        let covered = Set((TrajectoryFixture.shared.cases + SecondCatalogueFixtures.scripted).map(\.sampler))
        // Samplers of autoregressive models: see ARSamplerTests and ARMTPExactnessTests (greedy decoding is their reference).
        let diffusion = SamplerRegistry.builtIn.filter { !$0.about.modelKinds.contains(.autoregressive) }
        #expect(Set(diffusion.map(\.name)).subtracting(covered).isEmpty)
    }

    /// Dream's Float32 `torch.linspace(1, eps, steps + 1)`, value for value.
    @Test func dreamTimestepsMatchTorchLinspace() {
        for (count, values) in TrajectoryFixture.shared.linspace {
            #expect(DreamTimesteps.linspace(1, 1e-3, Int(count)! + 1) == values, "steps \(count)")
        }
    }
}
