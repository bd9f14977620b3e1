// port of https://github.com/kuleshov-group/mdlm/blob/master/diffusion.py (`_sample`, `_ddpm_caching_update`)
// and noise_schedule.py (log-linear), Sahoo et al. 2024, arXiv 2406.07524; first-hitting sampler of Zheng et al.
// 2024, arXiv 2409.02908 §4.
// Differences, deliberate: a step draws "unmask?" per masked position with probability (α_s − α_t)/(1 − α_t)
// and the token from p_θ (Float64 Gumbel-max), which is MDLM's joint draw over V ∪ {mask} factored in two; the
// last step unmasks everything (instead of MDLM's extra noise-removal forward pass). The first-hitting sampler
// reveals one uniformly chosen masked position per forward pass; the models here are time-agnostic, so the
// exact hitting times (t_k = t_{k+1}·u^{1/k}) would not change the tokens and are not computed.
import DiffusionCore

/// MDLM ancestral sampling's parameters besides the loop options.
public struct MDLMParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 1.0
    public static let defaultSchedule = AlphaSchedule.Shape.loglinear
    public static let defaultEps = 1e-3

    public var temperature: Double?
    public var schedule: AlphaSchedule.Shape?
    public var eps: Double?

    public init() {}
    public init(temperature: Double? = nil, schedule: AlphaSchedule.Shape? = nil, eps: Double? = nil) {
        (self.temperature, self.schedule, self.eps) = (temperature, schedule, eps)
    }

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (1 = sample p_theta)"),
        SamplerParameter("schedule", defaultSchedule.rawValue, "noise schedule: linear, loglinear or cosine"),
        SamplerParameter("eps", "\(defaultEps)", "last time of the grid linspace(1, eps, steps+1)"),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let eps { try requireParameter(eps > 0 && eps < 1, "eps", eps, "must be in (0, 1)") }
    }
}

/// The first-hitting sampler's parameters besides the loop options (it has no time grid).
public struct FirstHittingParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 1.0

    public var temperature: Double?

    public init() {}
    public init(temperature: Double?) { self.temperature = temperature }

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (1 = sample p_theta)"),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
    }
}

extension AlphaSchedule.Shape: Codable {}

/// MDLM ancestral sampling: from t to s every masked position unmasks with probability (α_s − α_t)/(1 − α_t).
public struct MDLMAncestral: LoopSampler {
    public static let name = "mdlm_ancestral"
    public static let about = SamplerAbout(
        summary: "MDLM ancestral: each masked position unmasks w.p. (a_s - a_t)/(1 - a_t), token from p_theta",
        source: "Sahoo et al. 2024, arXiv 2406.07524; kuleshov-group/mdlm diffusion.py: _ddpm_caching_update")
    public let config: WithLoop<MDLMParameters>
    public init(_ config: WithLoop<MDLMParameters>) throws { try config.validate(); self.config = config }
    public var pick: GumbelPick { GumbelPick(temperature: config.own.temperature ?? MDLMParameters.defaultTemperature) }
    public var score: ProbabilityScore { ProbabilityScore() }
    public var rule: IndependentUnmasking {
        IndependentUnmasking(schedule: AlphaSchedule(config.own.schedule ?? MDLMParameters.defaultSchedule,
                                                     eps: config.own.eps ?? MDLMParameters.defaultEps))
    }
}

/// First-hitting sampler: one uniformly chosen masked position per forward pass. The step budget is not used.
public struct MDLMFirstHitting: LoopSampler {
    public static let name = "mdlm_first_hitting"
    public static let about = SamplerAbout(
        summary: "First-hitting: reveal one uniformly random masked position per forward pass",
        source: "Zheng et al. 2024, arXiv 2409.02908 (first-hitting sampler)", stepBudget: .unused)
    public let config: WithLoop<FirstHittingParameters>
    public init(_ config: WithLoop<FirstHittingParameters>) throws { try config.validate(); self.config = config }
    public var pick: GumbelPick { GumbelPick(temperature: config.own.temperature ?? FirstHittingParameters.defaultTemperature) }
    public var score: RandomScore { RandomScore() }
    public var rule: OnePerStep { OnePerStep() }
}
