// port of https://github.com/huggingface/transformers/blob/main/src/transformers/models/diffusion_gemma/generation_diffusion_gemma.py
// (`EntropyBoundSampler.initialize_canvas/accept_canvas/renoise_canvas`, `LinearTemperatureScheduleLogitsProcessor`,
// `StableAndConfidentStoppingCriteria`, `_denoising_step`): DiffusionGemma's sampler for uniform-state models.
// Random canvas; step n = N…1 at temperature t_min + (t_max − t_min)·n/N; sample every position; accept the
// lowest-entropy positions while Σ H − max H ≤ bound; re-noise the rest; stop when the argmax canvas is stable
// for `stability_threshold` steps and the mean entropy < `confidence_threshold`; output the argmax canvas.
// On a masked model the rest is re-masked instead, mask/pad are never proposed, and an unmasked position keeps its
// token (MDLM's carry-over, SUBS: a masked-diffusion model is not trained to predict unmasked positions), so there it
// is an entropy-bound sampler with a cooling temperature and the stable-and-confident stop.
// Differences, deliberate: samples are inverse-CDF draws with one uniform per position and the re-noise canvas uses
// `SeededGenerator.nextInt(below:)`; Float64 throughout. All randomness goes through `RenoiseDraws`, so a test can
// hand in transformers' recorded draws (torch.multinomial/randint) and replay a reference trajectory exactly.
// Self-conditioning: each step passes the previous step's probabilities at its temperature in `Conditioning`.
import DiffusionCore

/// DiffusionGemma's generation_config parameters (the step budget is `max_denoising_steps`).
public struct RenoiseParameters: SamplerConfig, Equatable {
    public static let defaultEntropyBound = 0.1
    public static let defaultTMin = 0.4
    public static let defaultTMax = 0.8
    public static let defaultConfidenceThreshold = 0.005
    public static let defaultStabilityThreshold = 1

    public var entropyBound: Double?
    public var tMin: Double?
    public var tMax: Double?
    public var confidenceThreshold: Double?
    public var stabilityThreshold: Int?

    enum CodingKeys: String, CodingKey {
        case entropyBound = "entropy_bound", tMin = "t_min", tMax = "t_max"
        case confidenceThreshold = "confidence_threshold", stabilityThreshold = "stability_threshold"
    }

    public init() {}

    public static let parameters = [
        SamplerParameter("entropy_bound", "\(defaultEntropyBound)", "accept lowest-entropy positions while sum H - max H <= bound"),
        SamplerParameter("t_min", "\(defaultTMin)", "temperature at the last step"),
        SamplerParameter("t_max", "\(defaultTMax)", "temperature at the first step"),
        SamplerParameter("confidence_threshold", "\(defaultConfidenceThreshold)", "stop when mean entropy is below this (and stable)"),
        SamplerParameter("stability_threshold", "\(defaultStabilityThreshold)", "steps the argmax canvas must stay the same to stop (0 = no check)"),
    ]

    public func validate() throws {
        try requireParameter(resolvedEntropyBound > 0, "entropy_bound", resolvedEntropyBound, "must be > 0")
        try requireParameter(resolvedTMin >= 0, "t_min", resolvedTMin, "must be ≥ 0")
        try requireParameter(resolvedTMax > resolvedTMin, "t_max", resolvedTMax, "must be > t_min (\(resolvedTMin))")
        try requireParameter(resolvedConfidenceThreshold > 0, "confidence_threshold", resolvedConfidenceThreshold, "must be > 0")
        try requireParameter(resolvedStabilityThreshold >= 0, "stability_threshold", resolvedStabilityThreshold, "must be ≥ 0")
    }

    var resolvedEntropyBound: Double { entropyBound ?? Self.defaultEntropyBound }
    var resolvedTMin: Double { tMin ?? Self.defaultTMin }
    var resolvedTMax: Double { tMax ?? Self.defaultTMax }
    var resolvedConfidenceThreshold: Double { confidenceThreshold ?? Self.defaultConfidenceThreshold }
    var resolvedStabilityThreshold: Int { stabilityThreshold ?? Self.defaultStabilityThreshold }
}

/// DiffusionGemma's entropy-bound renoise sampler; re-masks instead on masked models.
public struct EntropyBoundRenoise: Sampler {
    public static let name = "gemma_entropy_bound"
    public static let about = SamplerAbout(
        summary: "DiffusionGemma: accept lowest-entropy samples under an entropy bound, re-noise (or re-mask) the rest",
        source: "transformers models/diffusion_gemma/generation_diffusion_gemma.py: EntropyBoundSampler", revisesTokens: true,
        modelKinds: [.masked, .uniform], stepBudget: .cap)
    public let config: RenoiseParameters

    public init(_ config: RenoiseParameters) throws {
        try config.validate()
        self.config = config
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        var draws = SeededRenoiseDraws(rng: rng)
        defer { rng = draws.rng }
        return try generate(prompt: prompt, length: length, steps: steps, denoiser: denoiser, draws: &draws, trace: trace)
    }

    /// The sampler with its randomness from `draws` (seeded normally; recorded to replay a reference).
    public func generate<Draws: RenoiseDraws>(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                                             draws: inout Draws, trace: (any TraceSink)?) throws -> Generation {
        try require(length > 0 && steps > 0, "canvas length and steps must be positive, got \(length) and \(steps)")
        let vocabulary = denoiser.vocabularySize
        let mask = denoiser.kind == .masked ? denoiser.specialTokens.mask : nil
        let suppressed = mask == nil ? [] : denoiser.specialTokens.neverGenerated.filter { $0 < vocabulary }
        let (tMin, tMax, bound) = (config.resolvedTMin, config.resolvedTMax, config.resolvedEntropyBound)
        let stability = config.resolvedStabilityThreshold
        var canvas = mask.map { [TokenID](repeating: $0, count: length) } ?? draws.noise(length: length, vocabulary: vocabulary)
        var argmax = canvas
        var history = [[TokenID]](repeating: [TokenID](repeating: -1, count: length), count: stability)
        var commitStep = [Int](repeating: 0, count: length)
        var conditioning: Conditioning?
        var row = [Double](repeating: 0, count: vocabulary)
        var rowProbabilities = [Double](repeating: 0, count: vocabulary)
        var probabilities = [Float](repeating: 0, count: length * vocabulary)
        var (passes, step) = (0, 0)
        for remaining in stride(from: steps, through: 1, by: -1) {
            let temperature = tMin + (tMax - tMin) * Double(remaining) / Double(steps)
            let logits = try denoiser.logits(prefix: prompt, canvas: canvas, conditioning: conditioning)
            passes += 1
            guard logits.rows == length, logits.vocabularySize == vocabulary else {
                throw SamplerError.unsupportedModel("the denoiser returned \(logits.rows) rows for a canvas of \(length)")
            }
            var samples = [TokenID](repeating: 0, count: length), entropy = [Double](repeating: 0, count: length)
            var newArgmax = argmax
            for i in 0 ..< length {
                logits.withRow(i) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) / temperature } }
                for id in suppressed { row[id] = -.infinity }
                if let mask, canvas[i] != mask {  // masked models: an unmasked token is carried over (SUBS)
                    for v in 0 ..< vocabulary where v != canvas[i] { row[v] = -.infinity }
                }
                let summary = SoftmaxSummary(row)
                (entropy[i], newArgmax[i]) = (summary.entropy, summary.argmax)
                for v in 0 ..< vocabulary {
                    rowProbabilities[v] = summary.probability(of: row[v])
                    probabilities[i * vocabulary + v] = Float(rowProbabilities[v])
                }
                samples[i] = draws.sample(position: i, probabilities: rowProbabilities)
            }
            let order = (0 ..< length).sorted { entropy[$0] != entropy[$1] ? entropy[$0] < entropy[$1] : $0 < $1 }
            var accepted = [Bool](repeating: false, count: length), acceptedOrder: [Int] = [], total = 0.0
            for i in order {
                total += entropy[i]
                if total - entropy[i] <= bound { accepted[i] = true; acceptedOrder.append(i) }
            }
            let noise = mask == nil ? draws.noise(length: length, vocabulary: vocabulary) : []
            canvas = (0 ..< length).map { accepted[$0] ? samples[$0] : (mask ?? noise[$0]) }
            let stable = history.allSatisfy { $0 == newArgmax }
            if stability > 0 { history.removeFirst(); history.append(newArgmax) }
            for i in 0 ..< length where newArgmax[i] != argmax[i] { commitStep[i] = step }
            argmax = newArgmax
            conditioning = Conditioning(previousProbabilities: Logits(rows: length, vocabularySize: vocabulary, values: probabilities))
            try trace?.record(StepTrace(step: step, positions: acceptedOrder, tokens: acceptedOrder.map { samples[$0] },
                                        scores: acceptedOrder.map { -entropy[$0] }, canvas: canvas))
            step += 1
            if stable, entropy.reduce(0, +) / Double(length) < config.resolvedConfidenceThreshold { break }
        }
        return Generation(tokens: argmax, forwardPasses: passes, steps: step, commitStep: commitStep)
    }
}
