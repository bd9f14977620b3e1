/// Statistics of a decoding run that set how many forward passes a generated token costs. Filled from published
/// numbers in a methods file today, and from a results database's measured runs once it records them.
public struct MethodStatistics: Sendable, Equatable {
    /// Forward passes per generated token (NFE / tokens).
    public var nfePerToken: Double?
    /// Tokens committed per forward pass (1 / nfePerToken for diffusion; mean accepted drafts + 1 for MTP).
    public var tokensPerForward: Double?
    /// MTP: for draft position i (1-based), the fraction of verify passes whose accepted prefix reaches i.
    /// Non-increasing; tokens per forward = 1 + Σ acceptance.
    public var acceptancePerPosition: [Double]?

    public init(nfePerToken: Double? = nil, tokensPerForward: Double? = nil, acceptancePerPosition: [Double]? = nil) {
        (self.nfePerToken, self.tokensPerForward, self.acceptancePerPosition) = (nfePerToken, tokensPerForward, acceptancePerPosition)
    }
}

/// Where measured statistics come from: one point (sampler configuration, and optionally model, task, step budget)
/// of a results database. The Projection target does not read databases; `dlab project` resolves this to
/// `MethodStatistics` through the sweeps' results database.
public struct MeasuredSource: Sendable, Equatable {
    public var database: String
    public var samplerConfig: String
    public var model: String?
    public var task: String?
    public var stepBudget: Int?

    public init(database: String, samplerConfig: String, model: String? = nil, task: String? = nil, stepBudget: Int? = nil) {
        (self.database, self.samplerConfig, self.model, self.task, self.stepBudget) = (database, samplerConfig, model, task, stepBudget)
    }
}

/// How a method turns forward passes into tokens.
public enum DecodingMethod: Sendable, Equatable {
    /// One token per pass; B users batch B positions per pass.
    case autoregressive
    /// Draft `drafts` tokens with a drafter of `drafterParameters` weights in `drafterLayers` transformer layers (one
    /// drafter pass per draft), then verify them and the next token in one pass of 1 + drafts positions per user.
    case multiTokenPrediction(drafts: Int, acceptancePerPosition: [Double], drafterParameters: Double, drafterLayers: Int)
    /// Denoise a canvas of `canvas` positions, committing `tokensPerForward` per pass on average; B users batch
    /// B canvases per pass. `commitPass`: one more causal pass per canvas writes it to the KV cache (block diffusion).
    case diffusion(canvas: Int, tokensPerForward: Double, commitPass: Bool)

    /// Mean tokens one user gets from one (verify or denoising) pass.
    public var tokensPerForward: Double {
        switch self {
        case .autoregressive: return 1
        case .multiTokenPrediction(_, let acceptance, _, _): return 1 + acceptance.reduce(0, +)
        case .diffusion(_, let tokens, _): return tokens
        }
    }

    /// A method from measured or published statistics. Diffusion takes tokens per forward, or NFE per token;
    /// MTP takes acceptance per draft position. `field` names the input in errors.
    public static func diffusion(canvas: Int, statistics: MethodStatistics, commitPass: Bool, field: String) throws -> DecodingMethod {
        guard canvas > 0 else { throw ProjectionError("\(field): canvas must be positive, got \(canvas)") }
        let tokens: Double
        if let tpf = statistics.tokensPerForward {
            tokens = tpf
        } else if let nfe = statistics.nfePerToken, nfe > 0 {
            tokens = 1 / nfe
        } else {
            throw ProjectionError("\(field): a diffusion method needs tokens_per_forward or a positive nfe_per_token")
        }
        guard tokens >= 1, tokens <= Double(canvas) else {
            throw ProjectionError("\(field): tokens per forward must lie in 1...\(canvas) (the canvas), got \(tokens)")
        }
        return .diffusion(canvas: canvas, tokensPerForward: tokens, commitPass: commitPass)
    }

    public static func multiTokenPrediction(statistics: MethodStatistics, drafterParameters: Double, drafterLayers: Int = 1,
                                            field: String) throws -> DecodingMethod {
        guard let acceptance = statistics.acceptancePerPosition, !acceptance.isEmpty else {
            throw ProjectionError("\(field): an MTP method needs acceptance per draft position (one value per draft)")
        }
        for (index, value) in acceptance.enumerated() {
            guard value >= 0, value <= 1 else {
                throw ProjectionError("\(field): acceptance[\(index)] = \(value) is not a fraction in 0...1")
            }
            if index > 0, value > acceptance[index - 1] + 1e-12 {
                throw ProjectionError("\(field): acceptance must not increase with the draft position "
                    + "(acceptance[\(index)] = \(value) > acceptance[\(index - 1)] = \(acceptance[index - 1]))")
            }
        }
        guard drafterParameters >= 0 else { throw ProjectionError("\(field): drafter_parameters must be ≥ 0") }
        guard drafterLayers > 0 else { throw ProjectionError("\(field): drafter_layers must be positive") }
        return .multiTokenPrediction(drafts: acceptance.count, acceptancePerPosition: acceptance,
                                     drafterParameters: drafterParameters, drafterLayers: drafterLayers)
    }
}

/// A named method on a model, with the sources of its statistics.
public struct MethodSpec: Sendable, Equatable {
    public var name: String
    public var method: DecodingMethod
    public var model: ModelShape
    public var sources: [String]

    public init(name: String, method: DecodingMethod, model: ModelShape, sources: [String] = []) {
        (self.name, self.method, self.model, self.sources) = (name, method, model, sources)
    }
}
