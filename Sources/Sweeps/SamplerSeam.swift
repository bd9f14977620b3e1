import DiffusionCore
import Foundation
import Samplers

/// Parameters as canonical JSON (sorted keys): the same parameters always give the same text, so it can be
/// part of a run key and a database column.
public func canonicalJSON(_ parameters: [String: ParameterValue]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? String(decoding: encoder.encode(parameters), as: UTF8.self)) ?? "{}"
}

/// The seam between the runner and the samplers: what the runner needs of a sampler, and nothing else.
/// `generate(prompt tokens, canvas length, step budget, denoiser, rng)` returns the canvas with its commit steps.
/// The runner wraps the denoiser in a `CountingDenoiser`, so the NFE it records is measured, not reported.
public struct SweepSampler: Sendable {
    public typealias Generate = @Sendable (_ prompt: [TokenID], _ length: Int, _ steps: Int, _ denoiser: any Denoiser,
                                           _ rng: inout SeededGenerator) throws -> Generation
    public let name: String
    public let parameters: [String: ParameterValue]
    public let generate: Generate

    public init(name: String, parameters: [String: ParameterValue], generate: @escaping Generate) {
        self.name = name
        self.parameters = parameters
        self.generate = generate
    }
}

/// Where experiment files find their samplers by name. `builtIn` wires the samplers that exist today; once the
/// sampler registry lands it becomes an adapter over it, along these lines:
/// ```swift
/// SamplerCatalog(names: registry.names) { name, parameters, blockLength in
///     var parameters = parameters
///     if let blockLength, parameters["block_length"] == nil { parameters["block_length"] = .int(blockLength) }
///     let sampler = try registry.sampler(named: name, parameters: parameters)
///     return SweepSampler(name: name, parameters: parameters) { prompt, length, steps, denoiser, rng in
///         try sampler.run(prompt: prompt, length: length, steps: steps, denoiser: denoiser, rng: &rng)
///     }
/// }
/// ```
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

    /// LLaDA's low-confidence remasking sampler (no parameters besides the spec's block length).
    public static let builtIn = SamplerCatalog(names: ["llada_low_confidence"]) { name, parameters, blockLength in
        guard name == "llada_low_confidence" else {
            throw SamplerSeamError("unknown sampler '\(name)'; known samplers: llada_low_confidence")
        }
        if let unknown = parameters.keys.sorted().first {
            throw SamplerSeamError("llada_low_confidence takes no parameter '\(unknown)'")
        }
        if let blockLength, blockLength <= 0 { throw SamplerSeamError("block length must be positive, got \(blockLength)") }
        return SweepSampler(name: name, parameters: parameters) { prompt, length, steps, denoiser, _ in
            try LowConfidenceSampler(steps: steps, blockLength: blockLength)
                .generate(prompt: prompt, length: length, denoiser: denoiser)
        }
    }
}

/// A sampler the catalogue cannot build as asked.
public struct SamplerSeamError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
