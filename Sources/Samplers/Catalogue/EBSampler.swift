// port of https://github.com/NEUIR/PC-Sampler/blob/main/src/generate.py (`generate_with_eb_sampler`), the
// EB-Sampler of Ben-Hamu et al. 2025, arXiv 2505.24857: commit the lowest-entropy proposals while
// Σ H − max H ≤ γ (at least one). Proposals as LLaDA (Float64 Gumbel-max); entropy of the un-tempered softmax.
import DiffusionCore

/// EB-Sampler's parameters besides the loop options.
public struct EBParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultGamma = 0.1

    public var temperature: Double?
    public var gamma: Double?

    public init() {}
    public init(temperature: Double? = nil, gamma: Double? = nil) { (self.temperature, self.gamma) = (temperature, gamma) }

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("gamma", "\(defaultGamma)", "entropy bound: commit while sum H - max H <= gamma (0 = one token per step)"),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let gamma { try requireParameter(gamma >= 0 && gamma.isFinite, "gamma", gamma, "must be ≥ 0") }
    }
}

/// EB-Sampler: an entropy-bounded number of tokens per step, until the block is full. The step budget is not used.
public struct EBSampler: LoopSampler {
    public static let name = "eb_sampler"
    public static let about = SamplerAbout(
        summary: "EB-Sampler: commit lowest-entropy proposals while sum H - max H <= gamma",
        source: "Ben-Hamu et al. 2025, arXiv 2505.24857; NEUIR/PC-Sampler src/generate.py: generate_with_eb_sampler", stepBudget: .unused)
    public let config: WithLoop<EBParameters>
    public init(_ config: WithLoop<EBParameters>) throws { try config.validate(); self.config = config }
    public var pick: GumbelPick { GumbelPick(temperature: config.own.temperature ?? EBParameters.defaultTemperature) }
    public var score: NegativeEntropyScore { NegativeEntropyScore() }
    public var rule: EntropyBoundRule { EntropyBoundRule(gamma: config.own.gamma ?? EBParameters.defaultGamma) }
}
