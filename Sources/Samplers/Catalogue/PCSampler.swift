// port of https://github.com/NEUIR/PC-Sampler/blob/main/src/generate.py (`generate_with_pc_sampler`,
// `pc_sampler_function`, `load_baseline`), Huang et al. 2025, arXiv 2508.13021: LLaDA's blocks and uniform count, the
// proposals ranked by exp(−λ·j) · min(−p · ln f(x), α) (see `PositionWeightedScore`), j the offset in the block.
// The background frequencies f come from a JSON file in the reference's format (`P_baseline.json`:
// {"num_token": N, "p_baseline_dict": {"id": count, …}}, f = count/N, and 1/N for an id it does not list); with no
// file every token has frequency 1/V, and the score is the position-weighted probability.
// Differences, deliberate: Float64 probabilities (the reference takes a Float32 softmax here, unlike LLaDA); as in the
// rest of the catalogue, mask/pad never proposed and a block gets at most as many steps as masks.
import DiffusionCore
import Foundation

/// PC-Sampler's parameters besides the loop options (defaults of the authors' README: `--lambd 0.25 --alpha 10`).
public struct PCSamplerParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultLambda = 0.25
    public static let defaultAlpha = 10.0

    public var temperature: Double?
    public var lambda: Double?
    public var alpha: Double?
    public var background: String?

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("lambda", "\(defaultLambda)", "position decay exp(-lambda*j), j the offset in the block (0 = no position prior)"),
        SamplerParameter("alpha", "\(defaultAlpha)", "clip of the calibrated confidence -p*ln f(token)"),
        SamplerParameter("background", "none", "JSON file of background token counts {num_token, p_baseline_dict} (none = uniform)"),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let lambda { try requireParameter(lambda >= 0 && lambda.isFinite, "lambda", lambda, "must be ≥ 0") }
        if let alpha { try requireParameter(alpha > 0 && alpha.isFinite, "alpha", alpha, "must be positive") }
    }
}

/// Background token frequencies in PC-Sampler's `P_baseline.json` format.
public struct BackgroundFrequencies: Sendable, Equatable {
    public let total: Double
    public let counts: [Int: Double]

    struct File: Decodable {
        let numToken: Double
        let pBaselineDict: [String: Double]
        enum CodingKeys: String, CodingKey { case numToken = "num_token", pBaselineDict = "p_baseline_dict" }
    }

    /// Reads `path`; a missing file, bad JSON or a non-integer id is an `invalidParameter` naming the file.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SamplerError.invalidParameter("background: cannot read '\(path)'")
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw SamplerError.invalidParameter("background: '\(path)' is not {\"num_token\": N, \"p_baseline_dict\": {id: count}}")
        }
        try require(file.numToken > 0, "background: num_token in '\(path)' must be positive, got \(file.numToken)")
        var counts: [Int: Double] = [:]
        for (key, count) in file.pBaselineDict {
            guard let id = Int(key), id >= 0 else { throw SamplerError.invalidParameter("background: '\(path)' lists token id '\(key)'") }
            counts[id] = count
        }
        (total, self.counts) = (file.numToken, counts)
    }

    /// f per token id of a `vocabulary`-token model: count/N, or 1/N for an id not listed.
    public func frequencies(vocabulary: Int) -> [Double] {
        (0 ..< vocabulary).map { (counts[$0] ?? 1) / total }
    }
}

/// PC-Sampler: position-aware weight × confidence calibrated against frequent tokens, a uniform count per step.
public struct PCSampler: Sampler {
    public static let name = "pc_sampler"
    public static let about = SamplerAbout(
        summary: "PC-Sampler: rank by exp(-lambda*j) * min(-p ln f_bg(token), alpha), a uniform count per step, per block",
        source: "Huang et al. 2025, arXiv 2508.13021; NEUIR/PC-Sampler src/generate.py: generate_with_pc_sampler")
    public let config: WithLoop<PCSamplerParameters>
    let background: BackgroundFrequencies?

    public init(_ config: WithLoop<PCSamplerParameters>) throws {
        try config.validate()
        self.config = config
        background = try config.own.background.map(BackgroundFrequencies.init(path:))
    }

    /// The shared loop with LLaDA's pick and count; the score needs the model's vocabulary, so it is made here.
    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        let vocabulary = denoiser.vocabularySize
        let frequencies = background?.frequencies(vocabulary: vocabulary)
            ?? [Double](repeating: 1 / Double(vocabulary), count: vocabulary)
        let score = PositionWeightedScore(
            lambda: config.own.lambda ?? PCSamplerParameters.defaultLambda, alpha: config.own.alpha ?? PCSamplerParameters.defaultAlpha,
            blockLength: max(1, config.loop.blockLength ?? length), frequencies: frequencies)
        return try MaskedLoop(options: config.loop, sampler: Self.name).run(
            pick: GumbelPick(temperature: config.own.temperature ?? PCSamplerParameters.defaultTemperature), score: score,
            rule: UniformCount(), prompt: prompt, length: length, steps: steps, denoiser: denoiser,
            rng: &rng, trace: trace)
    }
}
