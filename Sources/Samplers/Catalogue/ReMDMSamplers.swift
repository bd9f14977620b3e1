// The four ReMDM samplers of kuleshov-group/remdm (`sampling.sampler` = remdm-cap, remdm-rescale, remdm-conf,
// remdm-loop), each with exactly its own parameters; defaults from the authors' scripts/remdm-*.sh (OpenWebText, 1024
// steps). The loop and the port notes are in ReMDM.swift.
import DiffusionCore

/// Parameters every ReMDM sampler has: the proposal temperature and the end of the time grid.
public struct ReMDMCommon: Sendable {
    public static let defaultTemperature = 1.0
    public static let defaultEps = 1e-5

    /// Why the ReMDM samplers take only `cache: none`.
    public static let cacheRefusal = "ReMDM is not block-wise: every step reads the logits of every position and may re-mask any decoded token, so there is no block whose surroundings a cache could keep"

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (1 = sample p_theta)"),
        SamplerParameter("eps", "\(defaultEps)", "last time of the grid t_i = 1 - i(1 - eps)/steps"),
        LoopOptions.refusedCacheParameter(cacheRefusal),
    ]

    static func validate(temperature: Double?, eps: Double?, cache: String?) throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let eps { try requireParameter(eps > 0 && eps < 1, "eps", eps, "must be in (0, 1)") }
        try LoopOptions.refuseCache(cache, because: cacheRefusal)
    }
}

/// The default η of remdm-cap or remdm-rescale.
public protocol ReMDMEtaDefault: Sendable { static var eta: Double { get } }
public enum ReMDMCapDefault: ReMDMEtaDefault { public static let eta = 0.008 }
public enum ReMDMRescaleDefault: ReMDMEtaDefault { public static let eta = 0.015 }

/// remdm-cap and remdm-rescale: one η, whose default `D` gives.
public struct ReMDMEtaParameters<D: ReMDMEtaDefault>: SamplerConfig, Equatable {
    public var temperature: Double?
    public var eps: Double?
    public var cache: String?
    public var eta: Double?

    public init() {}
    public static var parameters: [SamplerParameter] {
        ReMDMCommon.parameters + [SamplerParameter("eta", "\(D.eta)", "re-masking strength eta")]
    }

    var resolvedEta: Double { eta ?? D.eta }

    public func validate() throws {
        try ReMDMCommon.validate(temperature: temperature, eps: eps, cache: cache)
        if let eta { try requireParameter(eta >= 0 && eta <= 1, "eta", eta, "must be in [0, 1]") }
    }
}

/// remdm-conf: no η (the weights come from the confidences).
public struct ReMDMConfParameters: SamplerConfig, Equatable {
    public var temperature: Double?
    public var eps: Double?
    public var cache: String?

    public init() {}
    public static let parameters = ReMDMCommon.parameters

    public func validate() throws { try ReMDMCommon.validate(temperature: temperature, eps: eps, cache: cache) }
}

/// remdm-loop: η, the loop's time window and α inside it.
public struct ReMDMLoopParameters: SamplerConfig, Equatable {
    public static let defaultEta = 0.02
    public static let defaultTOn = 0.55
    public static let defaultTOff = 0.05
    public static let defaultAlphaOn = 0.9

    public var temperature: Double?
    public var eps: Double?
    public var cache: String?
    public var eta: Double?
    public var tOn: Double?
    public var tOff: Double?
    public var alphaOn: Double?

    enum CodingKeys: String, CodingKey {
        case temperature, eps, eta, tOn = "t_on", tOff = "t_off", alphaOn = "alpha_on", cache
    }

    public init() {}

    public static let parameters = ReMDMCommon.parameters + [
        SamplerParameter("eta", "\(defaultEta)", "re-masking probability inside the loop window"),
        SamplerParameter("t_on", "\(defaultTOn)", "the loop starts at t = t_on (MDLM before, alpha rescaled to reach alpha_on)"),
        SamplerParameter("t_off", "\(defaultTOff)", "the loop ends at t = t_off (MDLM after, alpha from alpha_on to 1)"),
        SamplerParameter("alpha_on", "\(defaultAlphaOn)", "alpha held constant inside the loop"),
    ]

    public func validate() throws {
        try ReMDMCommon.validate(temperature: temperature, eps: eps, cache: cache)
        let (eta, tOn, tOff, alphaOn) = (eta ?? Self.defaultEta, tOn ?? Self.defaultTOn, tOff ?? Self.defaultTOff, alphaOn ?? Self.defaultAlphaOn)
        try requireParameter(eta >= 0 && eta <= 1, "eta", eta, "must be in [0, 1]")
        try requireParameter(tOff > 0 && tOff < tOn && tOn < 1, "t_off", tOff, "must satisfy 0 < t_off < t_on < 1 (t_on \(tOn))")
        try requireParameter(alphaOn > 0 && alphaOn < 1, "alpha_on", alphaOn, "must be in (0, 1)")
        try requireParameter(eta * alphaOn / (1 - alphaOn) <= 1, "eta", eta, "makes eta·alpha_on/(1 − alpha_on) = \(eta * alphaOn / (1 - alphaOn)), which must be ≤ 1 (an unmasking probability)")
    }
}

/// ReMDM-cap: σ_t = min(η, (1 − α_s)/α_t).
public struct ReMDMCap: Sampler {
    public static let name = "remdm_cap"
    public static let about = SamplerAbout(
        summary: "ReMDM-cap: re-mask decoded tokens with sigma = min(eta, (1 - a_s)/a_t), unmask as the ReMDM posterior",
        source: "Wang et al. 2025, arXiv 2503.00307; kuleshov-group/remdm diffusion.py: _ddpm_caching_update (remdm-cap)",
        revisesTokens: true, cacheRefusal: ReMDMCommon.cacheRefusal)
    public let config: ReMDMEtaParameters<ReMDMCapDefault>
    public init(_ config: ReMDMEtaParameters<ReMDMCapDefault>) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        try ReMDMLoop(schedule: .cap(eta: config.resolvedEta), temperature: config.temperature ?? ReMDMCommon.defaultTemperature,
                      eps: config.eps ?? ReMDMCommon.defaultEps, sampler: Self.name)
            .run(prompt: prompt, length: length, steps: steps, denoiser: denoiser, rng: &rng, trace: trace)
    }
}

/// ReMDM-rescale: σ_t = η · min(1, (1 − α_s)/α_t).
public struct ReMDMRescale: Sampler {
    public static let name = "remdm_rescale"
    public static let about = SamplerAbout(
        summary: "ReMDM-rescale: re-mask decoded tokens with sigma = eta * min(1, (1 - a_s)/a_t)",
        source: "Wang et al. 2025, arXiv 2503.00307; kuleshov-group/remdm diffusion.py: _ddpm_caching_update (remdm-rescale)",
        revisesTokens: true, cacheRefusal: ReMDMCommon.cacheRefusal)
    public let config: ReMDMEtaParameters<ReMDMRescaleDefault>
    public init(_ config: ReMDMEtaParameters<ReMDMRescaleDefault>) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        try ReMDMLoop(schedule: .rescale(eta: config.resolvedEta), temperature: config.temperature ?? ReMDMCommon.defaultTemperature,
                      eps: config.eps ?? ReMDMCommon.defaultEps, sampler: Self.name)
            .run(prompt: prompt, length: length, steps: steps, denoiser: denoiser, rng: &rng, trace: trace)
    }
}

/// ReMDM-conf: σ_t of a decoded position ∝ softmax of −p(its token when unmasked), times σ_max.
public struct ReMDMConf: Sampler {
    public static let name = "remdm_conf"
    public static let about = SamplerAbout(
        summary: "ReMDM-conf: re-mask the least confident decoded tokens most, sigma_i = softmax(-p_i) * sigma_max",
        source: "Wang et al. 2025, arXiv 2503.00307; kuleshov-group/remdm diffusion.py: _ddpm_caching_update (remdm-conf)",
        revisesTokens: true, cacheRefusal: ReMDMCommon.cacheRefusal)
    public let config: ReMDMConfParameters
    public init(_ config: ReMDMConfParameters) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        try ReMDMLoop(schedule: .confidence, temperature: config.temperature ?? ReMDMCommon.defaultTemperature,
                      eps: config.eps ?? ReMDMCommon.defaultEps, sampler: Self.name)
            .run(prompt: prompt, length: length, steps: steps, denoiser: denoiser, rng: &rng, trace: trace)
    }
}

/// ReMDM-loop: MDLM to α_on at t_on, re-mask with σ = η at constant α_on until t_off, then MDLM.
public struct ReMDMLoopSampler: Sampler {
    public static let name = "remdm_loop"
    public static let about = SamplerAbout(
        summary: "ReMDM-loop: MDLM to alpha_on at t_on, re-mask/unmask at constant alpha_on until t_off, then MDLM",
        source: "Wang et al. 2025, arXiv 2503.00307; kuleshov-group/remdm diffusion.py: _ddpm_caching_update (remdm-loop)",
        revisesTokens: true, cacheRefusal: ReMDMCommon.cacheRefusal)
    public let config: ReMDMLoopParameters
    public init(_ config: ReMDMLoopParameters) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = ReMDMLoopParameters
        let schedule = RemaskSchedule.loop(eta: config.eta ?? D.defaultEta, tOn: config.tOn ?? D.defaultTOn,
                                           tOff: config.tOff ?? D.defaultTOff, alphaOn: config.alphaOn ?? D.defaultAlphaOn)
        return try ReMDMLoop(schedule: schedule, temperature: config.temperature ?? ReMDMCommon.defaultTemperature,
                             eps: config.eps ?? ReMDMCommon.defaultEps, sampler: Self.name)
            .run(prompt: prompt, length: length, steps: steps, denoiser: denoiser, rng: &rng, trace: trace)
    }
}
