import DiffusionCore

/// Options of the shared masked-diffusion loop, written once for every sampler built on `MaskedLoop`: they sit
/// beside each sampler's own keys in YAML and `--param`.
public struct LoopOptions: SamplerConfig, Equatable {
    public static let defaultCfgScale = 0.0

    /// Semi-autoregressive block length (LLaDA `block_length`); nil = one block over the whole canvas.
    public var blockLength: Int?
    /// Classifier-free guidance scale w: ℓ = u + (w+1)(c − u), u from the prompt replaced by masks (LLaDA
    /// `cfg_scale`). 0 = off (one forward pass per step).
    public var cfgScale: Double?
    /// Logits of position i come from position i−1 (Dream and other AR-initialised models).
    public var shiftLogits: Bool?
    /// Never propose an EOS/EoT token (LLaDA `logits_eos_inf`, applied to every EOS id the model names).
    public var suppressEOS: Bool?
    /// Once an EOS is committed and everything before it is committed, fill the rest with EOS and stop.
    public var stopAtEOS: Bool?
    /// Keys and values kept across a block's steps: "none", "prefix" or "dual" (Fast-dLLM, see `CacheMode`).
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case blockLength = "block_length", cfgScale = "cfg_scale", shiftLogits = "shift_logits"
        case suppressEOS = "suppress_eos", stopAtEOS = "stop_at_eos", cache
    }

    public init() {}

    public init(blockLength: Int? = nil, cfgScale: Double? = nil, shiftLogits: Bool? = nil, suppressEOS: Bool? = nil,
                stopAtEOS: Bool? = nil, cache: CacheMode? = nil) {
        self.blockLength = blockLength
        self.cfgScale = cfgScale
        self.shiftLogits = shiftLogits
        self.suppressEOS = suppressEOS
        self.stopAtEOS = stopAtEOS
        self.cache = cache?.rawValue
    }

    /// The `cache` option as a mode (none when absent or not a mode; `validate` rejects the latter).
    public var cacheMode: CacheMode { cache.flatMap(CacheMode.init(rawValue:)) ?? .none }

    public static let parameters = [
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        SamplerParameter("cfg_scale", "\(defaultCfgScale)", "classifier-free guidance w: u + (w+1)(c-u), prompt masked for u"),
        SamplerParameter("shift_logits", "false", "take position i's logits from i-1 (AR-initialised models, Dream)"),
        SamplerParameter("suppress_eos", "false", "never propose EOS/EoT tokens"),
        SamplerParameter("stop_at_eos", "false", "stop once an EOS is committed after a complete prefix; fill the rest with EOS"),
        cacheParameter,
    ]

    /// The `cache` key, shared with block samplers that do not take the other loop options.
    public static let cacheParameter = SamplerParameter(
        "cache", "none", "keys/values kept across a block's steps (Fast-dLLM): none, prefix (prompt + earlier blocks), dual (also the masked suffix)")

    /// The `cache` key of a sampler that cannot honour a block cache: it takes only `none`, and `dlab samplers show`
    /// says why (`reason`, also the sampler's `SamplerAbout.cacheRefusal`).
    public static func refusedCacheParameter(_ reason: String) -> SamplerParameter {
        SamplerParameter("cache", "none", "only none: " + reason)
    }

    /// Accepts a `cache` of none (or absent); prefix or dual is a `ParameterError` on `cache` giving `reason`.
    public static func refuseCache(_ cache: String?, because reason: String) throws {
        try validateCache(cache)
        try requireParameter(mode(cache) == CacheMode.none, "cache", cache ?? "",
                             "is not available (only none): " + reason)
    }

    /// A `cache` value as a mode (none when absent; `validateCache` rejects other values first).
    public static func mode(_ cache: String?) -> CacheMode { cache.flatMap(CacheMode.init(rawValue:)) ?? .none }

    public func validate() throws {
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        if let cfgScale { try requireParameter(cfgScale >= 0 && cfgScale.isFinite, "cfg_scale", cfgScale, "must be ≥ 0") }
        try Self.validateCache(cache)
        if cacheMode != .none {
            try requireParameter((cfgScale ?? 0) == 0, "cache", cache ?? "", "does not combine with cfg_scale > 0 (the unconditional pass would need its own cache)")
            try requireParameter(shiftLogits != true, "cache", cache ?? "", "does not combine with shift_logits (the shifted rows start before the block)")
        }
    }

    /// A `cache` value must name a `CacheMode`.
    public static func validateCache(_ cache: String?) throws {
        guard let cache else { return }
        try requireParameter(CacheMode(rawValue: cache) != nil, "cache", cache,
                             "must be one of \(CacheMode.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}

/// A sampler's own parameters plus the loop options, decoded from one flat set of keys.
public struct WithLoop<Own: SamplerConfig>: SamplerConfig {
    public var own: Own
    public var loop: LoopOptions

    public init() { self.init(Own(), loop: LoopOptions()) }

    public init(_ own: Own, loop: LoopOptions = LoopOptions()) {
        self.own = own
        self.loop = loop
    }

    public init(from decoder: any Decoder) throws {
        own = try Own(from: decoder)
        loop = try LoopOptions(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try own.encode(to: encoder)
        try loop.encode(to: encoder)
    }

    public static var parameters: [SamplerParameter] { Own.parameters + LoopOptions.parameters }

    public func validate() throws {
        try own.validate()
        try loop.validate()
    }
}

extension SamplerConfig {
    /// Checks values that decoding cannot (ranges); the default accepts everything.
    public func validate() throws {}
}
