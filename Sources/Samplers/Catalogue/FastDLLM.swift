// port of https://github.com/NVlabs/Fast-dLLM/blob/main/llada/generate.py (`get_transfer_index` with `threshold`,
// `get_transfer_index_dynamic` with `factor`, the block loop of `generate`), arXiv 2505.22618.
// The prefix/dual KV caches are the engine's business; the rule here is the same with or without them.
// Difference, deliberate: the factor rule is the paper's (see FactorRule): the reference also commits the last
// candidate when only it fails its bound.
import DiffusionCore

/// Fast-dLLM threshold decoding's parameters besides the loop options.
public struct FastDLLMThresholdParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultThreshold = 0.9

    public var temperature: Double?
    public var threshold: Double?

    public init() {}
    public init(temperature: Double? = nil, threshold: Double? = nil) {
        (self.temperature, self.threshold) = (temperature, threshold)
    }

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("threshold", "\(defaultThreshold)", "commit every proposal with confidence ≥ threshold (at least the best one)"),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let threshold { try requireParameter(threshold >= 0 && threshold <= 1, "threshold", threshold, "must be in [0, 1]") }
    }
}

/// Fast-dLLM factor decoding's parameters besides the loop options.
public struct FastDLLMFactorParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultFactor = 1.0

    public var temperature: Double?
    public var factor: Double?

    public init() {}
    public init(temperature: Double? = nil, factor: Double? = nil) {
        (self.temperature, self.factor) = (temperature, factor)
    }

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("factor", "\(defaultFactor)", "commit the longest confidence-sorted prefix with c(j) ≥ 1 - factor/(j+1)"),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let factor { try requireParameter(factor > 0 && factor.isFinite, "factor", factor, "must be positive") }
    }
}

/// Fast-dLLM threshold decoding: per block, the best proposal and every other with confidence ≥ τ, until the
/// block is full. The step budget is not used.
public struct FastDLLMThreshold: LoopSampler {
    public static let name = "fast_dllm_threshold"
    public static let about = SamplerAbout(
        summary: "Fast-dLLM: commit all proposals with confidence >= threshold (at least one) until the block is full",
        source: "Wu et al. 2025, arXiv 2505.22618; NVlabs/Fast-dLLM llada/generate.py: get_transfer_index", stepBudget: .unused)
    public let config: WithLoop<FastDLLMThresholdParameters>
    public init(_ config: WithLoop<FastDLLMThresholdParameters>) throws { try config.validate(); self.config = config }
    public var pick: GumbelPick { GumbelPick(temperature: config.own.temperature ?? FastDLLMThresholdParameters.defaultTemperature) }
    public var score: ProbabilityScore { ProbabilityScore() }
    public var rule: ThresholdRule { ThresholdRule(threshold: config.own.threshold ?? FastDLLMThresholdParameters.defaultThreshold) }
}

/// Fast-dLLM factor decoding: the longest confidence-sorted prefix with c(j) ≥ 1 − f/(j+1).
public struct FastDLLMFactor: LoopSampler {
    public static let name = "fast_dllm_factor"
    public static let about = SamplerAbout(
        summary: "Fast-dLLM: commit the longest confidence-sorted prefix with c(j) >= 1 - f/(j+1)",
        source: "Wu et al. 2025, arXiv 2505.22618 (Thm 1); NVlabs/Fast-dLLM llada/generate.py: get_transfer_index_dynamic", stepBudget: .unused)
    public let config: WithLoop<FastDLLMFactorParameters>
    public init(_ config: WithLoop<FastDLLMFactorParameters>) throws { try config.validate(); self.config = config }
    public var pick: GumbelPick { GumbelPick(temperature: config.own.temperature ?? FastDLLMFactorParameters.defaultTemperature) }
    public var score: ProbabilityScore { ProbabilityScore() }
    public var rule: FactorRule { FactorRule(factor: config.own.factor ?? FastDLLMFactorParameters.defaultFactor) }
}
