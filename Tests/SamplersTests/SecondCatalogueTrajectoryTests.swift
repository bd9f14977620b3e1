import DiffusionCore
import Foundation
import Samplers
import Testing

/// Fixtures of the second catalogue, written by Experiments/models/tools/sampler_trajectories_2026.py: the reference
/// ports on the scripted model (trajectories_2026.json) and on the shipped tiny model with its recorded forward passes
/// (tiny_model_trajectories_2026.json). Exact: every step's canvas, the tokens and the forward passes must agree.
enum SecondCatalogueFixtures {
    struct CaseFile: Decodable {
        let cases: [TrajectoryFixture.Case]
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) -> T {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json")!
        return try! JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static let scripted = load("trajectories_2026", as: CaseFile.self).cases

    /// A file parameter (PC-Sampler's `background`) names a file of the fixtures folder.
    static func resolved(_ parameters: [String: ParameterValue]) -> [String: ParameterValue] {
        parameters.mapValues { value in
            guard case .string(let name) = value, name.hasSuffix(".json"),
                  let url = Bundle.module.url(forResource: "Fixtures/\(name.dropLast(5))", withExtension: "json") else { return value }
            return .string(url.path)
        }
    }
    static let tiny = load("tiny_model_trajectories_2026", as: TinyModelFixture.self)
}

@Suite struct SecondCatalogueTrajectoryTests {
    @Test(arguments: SecondCatalogueFixtures.scripted.indices.map { $0 })
    func reproducesReferenceTrajectory(_ index: Int) throws {
        let fixture = SecondCatalogueFixtures.scripted[index]
        let sampler = try SamplerRegistry().sampler(named: fixture.sampler, parameters: SecondCatalogueFixtures.resolved(fixture.params))
        var rng = SeededGenerator(seed: fixture.seed)
        let recorder = TraceRecorder()
        let generation = try sampler.run(prompt: fixture.prompt, length: fixture.length, steps: fixture.steps,
                                         denoiser: ScriptedDenoiser(kind: fixture.kind), rng: &rng, trace: recorder)
        let label = "\(fixture.sampler) \(fixture.params)"
        #expect(recorder.trajectory.count == fixture.trajectory.count, "\(label): step count")
        for (step, (swift, reference)) in zip(recorder.trajectory, fixture.trajectory).enumerated() where swift != reference {
            Issue.record("\(label): step \(step) canvas \(swift) != reference \(reference)")
            break
        }
        #expect(generation.tokens == fixture.tokens, "\(label): tokens")
        #expect(generation.forwardPasses == fixture.forwardPasses, "\(label): NFE")
    }

    @Test(arguments: SecondCatalogueFixtures.tiny.cases.indices.map { $0 })
    func reproducesReferenceOnTinyModel(_ index: Int) throws {
        let fixture = SecondCatalogueFixtures.tiny
        let reference = fixture.cases[index]
        let sampler = try SamplerRegistry().sampler(named: reference.sampler, parameters: SecondCatalogueFixtures.resolved(reference.params))
        var rng = SeededGenerator(seed: reference.seed)
        let recorder = TraceRecorder()
        let generation = try sampler.run(prompt: reference.prompt, length: reference.length, steps: reference.steps,
                                         denoiser: TapeDenoiser(fixture, tape: reference.tape), rng: &rng, trace: recorder)
        let label = "\(reference.task) \(reference.sampler) \(reference.params)"
        #expect(recorder.trajectory == reference.trajectory, "\(label)")
        #expect(generation.tokens == reference.tokens, "\(label)")
        #expect(generation.forwardPasses == reference.tape.count, "\(label)")
    }

    /// Every sampler of the second catalogue has a scripted case, greedy and seeded, and a tiny-model case (on the
    /// shipped DiffusionGemma-format model for a uniform-state-only sampler). A sampler without a temperature samples
    /// by construction (the Ψ-sampler) and needs seeded cases only.
    @Test func everySecondWaveSamplerHasFixtures() {
        // Samplers of autoregressive models are checked against greedy decoding instead (ARSamplerTests,
        // ARMTPExactnessTests): they have no diffusion trajectory to record.
        let names = Set(SamplerRegistry.builtIn.filter { !$0.about.modelKinds.contains(.autoregressive) }.map(\.name))
            .subtracting(TrajectoryFixture.shared.cases.map(\.sampler))
        for name in names {
            let cases = SecondCatalogueFixtures.scripted.filter { $0.sampler == name }
            let defaultTemperature = (try? SamplerRegistry().entry(named: name))?.parameters
                .first { $0.key == "temperature" }.map { ParameterValue(parsing: $0.defaultValue) }
            let temperatures = cases.map { ($0.params["temperature"] ?? defaultTemperature)?.description ?? "none" }
            if defaultTemperature == nil {
                #expect(Set(cases.map(\.seed)).count > 1, "\(name): no seeded cases")
            } else {
                #expect(temperatures.contains { Double($0) == 0 }, "\(name): no greedy case")
                #expect(temperatures.contains { Double($0).map { $0 > 0 } ?? false }, "\(name): no seeded case")
            }
            let uniformOnly = (try? SamplerRegistry().entry(named: name)).map { !$0.about.modelKinds.contains(.masked) } ?? false
            let tiny = uniformOnly ? PsiSamplerTests.gemma.cases : SecondCatalogueFixtures.tiny.cases
            #expect(tiny.contains { $0.sampler == name }, "\(name): no tiny-model case")
        }
    }
}
