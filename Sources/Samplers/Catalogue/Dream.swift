// port of https://github.com/ZHZisZZ/dllm/blob/main/dllm/pipelines/dream/models/generation_utils.py#L56 (`sample_tokens`,
// `top_p_logits`, `top_k_logits`, `_sample`; a copy of HKUNLP/Dream's generation_utils.py from the Dream-org hub models).
// alg = origin, maskgit_plus, topk_margin, entropy; `alg_temp`; timesteps linspace(1, eps, steps+1) in Float32.
// Differences, deliberate: proposals are sampled by inverse CDF with one uniform (CategoricalPick) and `alg_temp`
// by Gumbel-top-k (ScheduledCount), so a seeded run is replayable; the entropy score is −Σ p ln p without Dream's
// 1e-10 inside the log; `origin` proposes a token at every masked position and then draws which ones unmask
// (Dream draws first); the logit shift is the loop option `shift_logits` (true for Dream checkpoints).
import DiffusionCore

/// Dream's parameters besides the loop options, for `origin` (which draws positions independently, so it has no
/// `alg_temp`); the ranked algorithms add `alg_temp` (`DreamRankedParameters`).
public struct DreamParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultEps = 1e-3

    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var eps: Double?

    enum CodingKeys: String, CodingKey {
        case temperature, topP = "top_p", topK = "top_k", eps
    }

    public init() {}
    public init(temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, eps: Double? = nil) {
        (self.temperature, self.topP, self.topK, self.eps) = (temperature, topP, topK, eps)
    }

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "sampling temperature of the proposals (0 = argmax)"),
        SamplerParameter("top_p", "none", "nucleus filter before sampling"),
        SamplerParameter("top_k", "none", "top-k filter before sampling"),
        SamplerParameter("eps", "\(defaultEps)", "last timestep of linspace(1, eps, steps+1)"),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let topP { try requireParameter(topP > 0 && topP <= 1, "top_p", topP, "must be in (0, 1]") }
        if let topK { try requireParameter(topK > 0, "top_k", topK, "must be positive") }
        if let eps { try requireParameter(eps > 0 && eps < 1, "eps", eps, "must be in (0, 1)") }
    }

    var pick: CategoricalPick { CategoricalPick(temperature: temperature ?? Self.defaultTemperature, topP: topP, topK: topK) }
    var timesteps: DreamTimesteps { DreamTimesteps(eps: eps ?? Self.defaultEps) }
}

/// Dream's parameters for the ranked algorithms (`maskgit_plus`, `topk_margin`, `entropy`): `origin`'s plus `alg_temp`.
public struct DreamRankedParameters: SamplerConfig, Equatable {
    public var common: DreamParameters
    public var algTemp: Double?

    enum CodingKeys: String, CodingKey { case algTemp = "alg_temp" }

    public init() { (common, algTemp) = (DreamParameters(), nil) }
    public init(_ common: DreamParameters, algTemp: Double? = nil) { (self.common, self.algTemp) = (common, algTemp) }

    public init(from decoder: any Decoder) throws {
        common = try DreamParameters(from: decoder)
        algTemp = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Double.self, forKey: .algTemp)
    }

    public func encode(to encoder: any Encoder) throws {
        try common.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(algTemp, forKey: .algTemp)
    }

    public static let parameters = DreamParameters.parameters + [
        SamplerParameter("alg_temp", "none", "sample positions ∝ softmax(confidence/alg_temp) instead of top-k"),
    ]

    public func validate() throws {
        try common.validate()
        if let algTemp { try requireParameter(algTemp >= 0 && algTemp.isFinite, "alg_temp", algTemp, "must be ≥ 0") }
    }

    var pick: CategoricalPick { common.pick }
    var count: ScheduledCount { ScheduledCount(schedule: common.timesteps, temperature: algTemp ?? 0) }
}

/// Dream `alg='origin'`: each masked position unmasks with probability 1 − s/t (all on the last step).
public struct DreamOrigin: LoopSampler {
    public static let name = "dream_origin"
    public static let about = SamplerAbout(summary: "Dream: every masked position unmasks independently w.p. 1 - s/t",
                                           source: "Ye et al. 2025, arXiv 2508.15487; HKUNLP/Dream generation_utils.py (alg='origin')")
    public let config: WithLoop<DreamParameters>
    public init(_ config: WithLoop<DreamParameters>) throws { try config.validate(); self.config = config }
    public var pick: CategoricalPick { config.own.pick }
    public var score: ProbabilityScore { ProbabilityScore() }
    public var rule: IndependentUnmasking { IndependentUnmasking(schedule: config.own.timesteps) }
}

/// Dream `alg='maskgit_plus'`: ⌊M(1 − s/t)⌋ positions by the probability of the proposal.
public struct DreamMaskGitPlus: LoopSampler {
    public static let name = "dream_maskgit_plus"
    public static let about = SamplerAbout(summary: "Dream: floor(M(1-s/t)) most probable proposals per step",
                                           source: "HKUNLP/Dream generation_utils.py (alg='maskgit_plus')")
    public let config: WithLoop<DreamRankedParameters>
    public init(_ config: WithLoop<DreamRankedParameters>) throws { try config.validate(); self.config = config }
    public var pick: CategoricalPick { config.own.pick }
    public var score: ProbabilityScore { ProbabilityScore() }
    public var rule: ScheduledCount { config.own.count }
}

/// Dream `alg='topk_margin'`: ranked by top-1 − top-2 probability.
public struct DreamTopKMargin: LoopSampler {
    public static let name = "dream_topk_margin"
    public static let about = SamplerAbout(summary: "Dream: floor(M(1-s/t)) positions with the largest top1-top2 margin",
                                           source: "HKUNLP/Dream generation_utils.py (alg='topk_margin')")
    public let config: WithLoop<DreamRankedParameters>
    public init(_ config: WithLoop<DreamRankedParameters>) throws { try config.validate(); self.config = config }
    public var pick: CategoricalPick { config.own.pick }
    public var score: MarginScore { MarginScore() }
    public var rule: ScheduledCount { config.own.count }
}

/// Dream `alg='entropy'`: ranked by negative entropy (the Sudoku/Countdown recipe).
public struct DreamEntropy: LoopSampler {
    public static let name = "dream_entropy"
    public static let about = SamplerAbout(summary: "Dream: floor(M(1-s/t)) lowest-entropy positions per step",
                                           source: "HKUNLP/Dream generation_utils.py (alg='entropy')")
    public let config: WithLoop<DreamRankedParameters>
    public init(_ config: WithLoop<DreamRankedParameters>) throws { try config.validate(); self.config = config }
    public var pick: CategoricalPick { config.own.pick }
    public var score: NegativeEntropyScore { NegativeEntropyScore() }
    public var rule: ScheduledCount { config.own.count }
}
