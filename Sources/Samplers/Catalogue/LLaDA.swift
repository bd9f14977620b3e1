// port of https://github.com/ML-GSAI/LLaDA/blob/main/generate.py#L44 (`generate`, `get_num_transfer_tokens`,
// `add_gumbel_noise`), remasking 'low_confidence' and 'random'.
// Differences, deliberate (see MaskedLoop, UniformCount): mask/pad never proposed; a block gets at most as many
// steps as it has masks. `suppress_eos` sets every EOS/EoT id the model names to −inf: LLaDA's
// `confidence_eos_eot_inf`, as written (`a[..., EOS] = b[..., EoT] = -inf`), reaches only one id per tensor
// (see `LLaDAReferenceDifferenceTests`).
import DiffusionCore

/// LLaDA's parameters besides the loop options (blocks, CFG, EOS).
public struct LLaDAParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0

    /// Gumbel-max temperature (Float64 noise); 0 = argmax.
    public var temperature: Double?

    public init() {}
    public init(temperature: Double?) { self.temperature = temperature }

    public static let parameters = [SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature, Float64 noise (0 = argmax)")]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
    }

    var pick: GumbelPick { GumbelPick(temperature: temperature ?? Self.defaultTemperature) }
}

/// LLaDA `remasking='low_confidence'`: per block, the uniform count of the most probable proposals.
public struct LLaDALowConfidence: LoopSampler {
    public static let name = "llada_low_confidence"
    public static let about = SamplerAbout(
        summary: "LLaDA: commit the most probable proposals, a uniform count per step, per block",
        source: "Nie et al. 2025, arXiv 2502.09992; ML-GSAI/LLaDA generate.py: generate (remasking='low_confidence')")
    public let config: WithLoop<LLaDAParameters>

    public init(_ config: WithLoop<LLaDAParameters>) throws {
        try config.validate()
        self.config = config
    }

    public var pick: GumbelPick { config.own.pick }
    public var score: ProbabilityScore { ProbabilityScore() }
    public var rule: UniformCount { UniformCount() }
}

/// LLaDA `remasking='random'`: the same counts at uniformly random positions (the theory-faithful reverse step).
public struct LLaDARandom: LoopSampler {
    public static let name = "llada_random"
    public static let about = SamplerAbout(
        summary: "LLaDA: commit a uniform count of random positions per step, per block",
        source: "Nie et al. 2025, arXiv 2502.09992; ML-GSAI/LLaDA generate.py: generate (remasking='random')")
    public let config: WithLoop<LLaDAParameters>

    public init(_ config: WithLoop<LLaDAParameters>) throws {
        try config.validate()
        self.config = config
    }

    public var pick: GumbelPick { config.own.pick }
    public var score: RandomScore { RandomScore() }
    public var rule: UniformCount { UniformCount() }
}
