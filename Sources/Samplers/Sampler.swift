import DiffusionCore

/// A sampler of a diffusion language model. It owns its loop and sees the model only as a `Denoiser`: each
/// `logits` call is one forward pass, counted by the core (`CountingDenoiser`), never by the sampler.
///
/// Most samplers are a few lines over `MaskedLoop` (see `LoopSampler`); a sampler with its own loop implements
/// `generate` directly and writes through `Canvas`, which rejects out-of-range and repeated commits.
/// Run samplers through `Sampler.run` (or `AnySampler.run`), which adds the misbehaviour guards of `RunLimits`.
public protocol Sampler: Sendable {
    /// Registry key, used on the command line and in experiment files.
    static var name: String { get }
    /// One-line summary and the published source this sampler ports (`dlab samplers show`).
    static var about: SamplerAbout { get }
    /// The parameters, decoded from YAML or `--param key=value`; defaults are computed, not stored.
    associatedtype Config: SamplerConfig
    /// Validates `config`; a bad value is a `SamplerError.invalidParameter` naming the key.
    init(_ config: Config) throws
    /// Fills a canvas of `length` positions after `prompt` (at most `length` for a sampler whose `about.changesLength`).
    /// - Parameters:
    ///   - steps: the step budget (samplers with an adaptive rule may use fewer; never more forward passes than
    ///     `RunLimits` allows).
    ///   - rng: the only source of randomness.
    ///   - trace: receives one `StepTrace` per step; may throw to abort.
    func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                  rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation
    /// Forward passes and steps a correct run may take, the guards' default (see `RunLimits`).
    func runBudget(steps: Int, length: Int) -> (forwardPasses: Int, steps: Int)
}

/// What `dlab samplers show` prints about a sampler besides its parameters.
public struct SamplerAbout: Sendable {
    public var summary: String
    /// Paper and code the sampler ports, e.g. "ML-GSAI/LLaDA generate.py: generate".
    public var source: String
    /// True for samplers that may rewrite a position they accepted before (re-noising, re-masking); the run guard
    /// then allows a position to be traced more than once.
    public var revisesTokens: Bool
    /// The kinds of model the sampler can drive. Samplers built on a mask token (every `MaskedLoop` sampler)
    /// cannot run on uniform-state models such as DiffusionGemma, whose canvas holds no mask to unmask.
    public var modelKinds: Set<DiffusionKind>
    /// True for samplers that choose their own canvas length (DAEDAL grows it): `length` is then the most positions
    /// the canvas may hold, and the returned `Generation.tokens` (and every traced canvas) may be shorter. Fixed-length
    /// samplers keep the default, and the guards hold them to exactly `length`.
    public var changesLength: Bool
    /// What the sampler does with the step budget (`StepBudgetUse`): a sweep runs a budget-free one once per seed.
    public var stepBudget: StepBudgetUse
    /// Why the sampler takes only `cache: none` although it has the key (its loop reads or rewrites positions outside
    /// the block, or is not block-wise); nil for samplers that take every `CacheMode` or have no `cache` key.
    public var cacheRefusal: String?

    public init(summary: String, source: String, revisesTokens: Bool = false, modelKinds: Set<DiffusionKind> = [.masked],
                changesLength: Bool = false, stepBudget: StepBudgetUse = .schedule, cacheRefusal: String? = nil) {
        self.summary = summary
        self.source = source
        self.revisesTokens = revisesTokens
        self.modelKinds = modelKinds
        self.changesLength = changesLength
        self.stepBudget = stepBudget
        self.cacheRefusal = cacheRefusal
    }
}

/// One parameter of a sampler, as listed by `dlab samplers show`.
public struct SamplerParameter: Sendable, Equatable {
    /// The key in YAML and in `--param key=value` (snake_case).
    public var key: String
    /// The default, as text ("none" when the parameter is off by default).
    public var defaultValue: String
    public var help: String

    public init(_ key: String, _ defaultValue: String, _ help: String) {
        self.key = key
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// A sampler's parameters: a Codable struct of optional stored properties with computed defaults (ARCHITECTURE.md, Rules),
/// plus the list of its keys for help and for rejecting unknown keys.
public protocol SamplerConfig: Codable, Sendable {
    static var parameters: [SamplerParameter] { get }
    /// A config with every parameter at its default.
    init()
    /// Checks values that decoding cannot (ranges); a bad value is a `SamplerError.invalidParameter`.
    func validate() throws
}

/// A sampler that cannot run as asked, or that misbehaved while running.
public enum SamplerError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    case unsupportedModel(String)
    case unknownSampler(name: String, known: [String])
    /// A sampler broke the contract of `Sampler` (see `RunLimits`).
    case misbehaved(sampler: String, String)

    public var description: String {
        switch self {
        case .invalidParameter(let message): "invalid sampler parameter: \(message)"
        case .unsupportedModel(let message): "unsupported model: \(message)"
        case .unknownSampler(let name, let known): "unknown sampler '\(name)'; known samplers: \(known.joined(separator: ", "))"
        case .misbehaved(let sampler, let message): "sampler '\(sampler)' misbehaved: \(message)"
        }
    }
}

/// Throws `SamplerError.invalidParameter` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw SamplerError.invalidParameter(message()) }
}
