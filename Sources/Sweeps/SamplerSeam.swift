import DiffusionCore
import Foundation
import Samplers

/// Parameters as canonical JSON (sorted keys): the same parameters always give the same text, so it can be
/// part of a run key and a database column. A value JSON cannot hold (a non-finite number) is an error: a
/// fallback text would let two different configurations share a run key and be skipped as "already there".
public func canonicalJSON(_ parameters: [String: ParameterValue]) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(parameters), as: UTF8.self)
}

/// The seam between the runner and the samplers: what the runner needs of a sampler, and nothing else.
/// `generate(prompt tokens, canvas length, step budget, denoiser, rng, trace)` returns the canvas with its commit steps
/// (and sends each step to `trace` when one is given, for `trace: full`).
/// The runner wraps the denoiser in a `CountingDenoiser`, so the NFE it records is measured, not reported.
public struct SweepSampler: Sendable {
    public typealias Generate = @Sendable (_ prompt: [TokenID], _ length: Int, _ steps: Int, _ denoiser: any Denoiser,
                                           _ rng: inout SeededGenerator, _ trace: (any TraceSink)?) throws -> Generation
    public let name: String
    public let parameters: [String: ParameterValue]
    /// The kinds of model it can drive; the runner skips (and reports) runs that pair it with another kind.
    public let modelKinds: Set<DiffusionKind>
    /// What it does with the step budget: a budget-free sampler (`.unused`) runs once per seed, not once per budget.
    public let stepBudget: StepBudgetUse
    public let generate: Generate

    public init(name: String, parameters: [String: ParameterValue], modelKinds: Set<DiffusionKind> = [.masked, .uniform],
                stepBudget: StepBudgetUse = .schedule, generate: @escaping Generate) {
        self.name = name
        self.parameters = parameters
        self.modelKinds = modelKinds
        self.stepBudget = stepBudget
        self.generate = generate
    }
}

/// Where experiment files find their samplers by name: an adapter over a `SamplerRegistry` (the built-in
/// catalogue by default; `dlab` passes the one that also holds the researchers' samplers of Experiments/Samplers).
public struct SamplerCatalog: Sendable {
    public typealias Make = @Sendable (_ name: String, _ parameters: [String: ParameterValue], _ blockLength: Int?) throws
        -> SweepSampler
    /// Names an experiment file may use.
    public let names: [String]
    /// Builds a sampler; throws (with a message naming the parameter) for unknown parameters or bad values.
    public let make: Make

    public init(names: [String], make: @escaping Make) {
        self.names = names
        self.make = make
    }

    /// The samplers of `registry`. The spec's block length becomes the sampler's `block_length` parameter unless
    /// the sampler's own parameters set it.
    public init(registry: SamplerRegistry) {
        self.init(names: registry.names) { name, parameters, blockLength in
            var parameters = parameters
            if let blockLength, parameters["block_length"] == nil { parameters["block_length"] = .int(blockLength) }
            let entry = try registry.entry(named: name)
            let sampler = try entry.make(parameters)
            return SweepSampler(name: name, parameters: parameters, modelKinds: entry.about.modelKinds,
                                stepBudget: entry.about.stepBudget) {
                prompt, length, steps, denoiser, rng, trace in
                try sampler.run(prompt: prompt, length: length, steps: steps, denoiser: denoiser, rng: &rng, trace: trace)
            }
        }
    }

    /// The built-in catalogue of `Samplers` (whose names are unique: a test checks it; were they not, every
    /// lookup would fail with that message rather than trap).
    public static var builtIn: SamplerCatalog {
        guard let registry = try? SamplerRegistry() else {
            return SamplerCatalog(names: []) { _, _, _ in throw SamplerSeamError("the built-in sampler catalogue repeats a name") }
        }
        return SamplerCatalog(registry: registry)
    }
}

/// A sampler the catalogue cannot build as asked.
public struct SamplerSeamError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
