import DiffusionCore
import Foundation

/// A parameter value as YAML or the command line gives it.
public enum ParameterValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case bool(Bool), int(Int), double(Double), string(String)

    /// The one scalar parser of sampler parameters, for `--param key=value` and YAML's plain (unquoted) scalars
    /// alike: an integer, a finite number, true/false, else text (a quoted YAML scalar is always text; `--param
    /// key=none` leaves the key out before this is called). `nan` and `inf` stay text, so a number key refuses them.
    public init(parsing text: String) {
        if let value = Int(text) { self = .int(value) }
        else if let value = Double(text), value.isFinite { self = .double(value) }
        else if text == "true" || text == "false" { self = .bool(text == "true") }
        else { self = .string(text) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): value
        }
    }
}

/// A configured sampler of any type, as the registry makes it.
public struct AnySampler: Sendable {
    public let name: String
    private let body: @Sendable ([TokenID], Int, Int, any Denoiser, inout SeededGenerator, (any TraceSink)?, RunLimits) throws -> Generation

    public init<S: Sampler>(_ sampler: S) {
        name = S.name
        body = { try sampler.run(prompt: $0, length: $1, steps: $2, denoiser: $3, rng: &$4, trace: $5, limits: $6) }
    }

    /// `Sampler.run`: generate under the guards of `limits`, NFE counted by the core.
    public func run(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser, rng: inout SeededGenerator,
                    trace: (any TraceSink)? = nil, limits: RunLimits = RunLimits()) throws -> Generation {
        try body(prompt, length, steps, denoiser, &rng, trace, limits)
    }
}

/// One registered sampler type: its name, description, parameters and a maker from parameter values.
public struct SamplerEntry: Sendable {
    public let name: String
    public let about: SamplerAbout
    public let parameters: [SamplerParameter]
    private let maker: @Sendable ([String: ParameterValue]) throws -> AnySampler

    public init<S: Sampler>(_ type: S.Type) {
        name = S.name
        about = S.about
        parameters = S.Config.parameters
        maker = { values in
            let known = S.Config.parameters.map(\.key)
            for (key, value) in values.sorted(by: { $0.key < $1.key }) where !known.contains(key) {
                throw ParameterError(sampler: S.name, key: key, value: value.description,
                                     problem: "is not a parameter of this sampler (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            let config: S.Config
            do {
                config = try ParameterDecoder.decode(S.Config.self, from: values)
            } catch var error as ParameterError {
                error.sampler = S.name
                throw error
            }
            do {
                return AnySampler(try S(config))
            } catch var error as ParameterError {
                error.sampler = S.name
                throw error
            }
        }
    }

    /// The sampler configured with `parameters` (missing keys take their defaults).
    public func make(_ parameters: [String: ParameterValue] = [:]) throws -> AnySampler { try maker(parameters) }
}

/// The one place where a sampler name maps to a sampler type (ARCHITECTURE.md, Rules: one registry per name). `dlab` adds the researchers' samplers
/// of `Experiments/Samplers` to the built-in catalogue.
public struct SamplerRegistry: Sendable {
    public let entries: [SamplerEntry]

    /// The built-in catalogue, in the order `dlab samplers list` shows it.
    public static let builtIn: [SamplerEntry] = [
        SamplerEntry(LLaDALowConfidence.self), SamplerEntry(LLaDARandom.self),
        SamplerEntry(DreamOrigin.self), SamplerEntry(DreamMaskGitPlus.self), SamplerEntry(DreamTopKMargin.self),
        SamplerEntry(DreamEntropy.self), SamplerEntry(FastDLLMThreshold.self), SamplerEntry(FastDLLMFactor.self),
        SamplerEntry(EBSampler.self), SamplerEntry(MDLMAncestral.self), SamplerEntry(MDLMFirstHitting.self),
        SamplerEntry(EntropyBoundRenoise.self), SamplerEntry(Autoregressive.self),
    ] + secondWave

    /// The second catalogue (the samplers of 2025–26), each in its own file under Catalogue/.
    static let secondWave: [SamplerEntry] = [
        SamplerEntry(LLaDA2Threshold.self), SamplerEntry(LLaDA21Editing.self), SamplerEntry(KLASS.self),
        SamplerEntry(PCSampler.self), SamplerEntry(ReMDMCap.self), SamplerEntry(ReMDMRescale.self), SamplerEntry(ReMDMConf.self),
        SamplerEntry(ReMDMLoopSampler.self), SamplerEntry(ReMDMLLaDA.self), SamplerEntry(WINO.self),
        SamplerEntry(Prophet.self), SamplerEntry(Saber.self),
        SamplerEntry(DUS.self), SamplerEntry(SlowFast.self), SamplerEntry(CreditDecoding.self),
        SamplerEntry(DAEDAL.self), SamplerEntry(PsiSampler.self),
    ] + autoregressive

    /// Samplers of autoregressive models (`DiffusionKind.autoregressive`).
    static let autoregressive: [SamplerEntry] = [SamplerEntry(ARGreedy.self), SamplerEntry(ARMTP.self)]

    /// - Throws: `SamplerError.invalidParameter` when two entries share a name.
    public init(_ entries: [SamplerEntry] = SamplerRegistry.builtIn) throws {
        var seen: Set<String> = []
        for entry in entries where !seen.insert(entry.name).inserted {
            throw SamplerError.invalidParameter("two samplers are registered as '\(entry.name)'")
        }
        self.entries = entries
    }

    public var names: [String] { entries.map(\.name) }

    public func entry(named name: String) throws -> SamplerEntry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw SamplerError.unknownSampler(name: name, known: names)
        }
        return entry
    }

    /// The sampler `name` configured with `parameters`.
    public func sampler(named name: String, parameters: [String: ParameterValue] = [:]) throws -> AnySampler {
        try entry(named: name).make(parameters)
    }
}
