// port of https://github.com/pixeli99/Prophet/blob/main/generate_earlyexit.py (`generate`, `should_early_exit`),
// Li et al. 2025, "Diffusion Language Models Know the Answer Before Decoding", arXiv 2508.19982: LLaDA's loop
// (semi-autoregressive blocks, uniform count, Float64 Gumbel-max), and before each step's commit the mean top-1 − top-2
// logit gap over an answer window (`answer_length` positions from `answer_start`); when it reaches the threshold of
// the decoding phase (progress = step/steps below 1/3: `early`, below 2/3: `mid`, else `late`), every mask left in the
// canvas is filled with its proposal at once ("all-in") and decoding stops.
// Differences, deliberate: confidence in Float64 (the reference's is a Float32 softmax); the gap is read after mask/pad
// are removed from the row (they are never proposed here, as in the rest of the catalogue); the reference's forced
// answer prefix (`constraints`) is not ported, so `answer_start` is given directly (the reference derives it as two
// positions after the last constrained token); a block gets at most as many steps as masks. No CFG.
// Draws, per step: when the exit fires, the proposals of every masked position of the canvas in ascending order;
// otherwise those of the block's masked positions (V uniforms each when temperature > 0).
import DiffusionCore

/// Prophet's parameters (defaults of `should_early_exit` and of the authors' evaluation, `answer_length` 5).
public struct ProphetParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultAnswerStart = 0
    public static let defaultAnswerLength = 5
    public static let defaultEarly = 7.5
    public static let defaultMid = 5.0
    public static let defaultLate = 2.5

    public var temperature: Double?
    public var blockLength: Int?
    public var answerStart: Int?
    public var answerLength: Int?
    public var early: Double?
    public var mid: Double?
    public var late: Double?
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case temperature, blockLength = "block_length", answerStart = "answer_start", answerLength = "answer_length"
        case early, mid, late, cache
    }

    /// Why Prophet takes only `cache: none`.
    public static let cacheRefusal = "Prophet reads every pass's logits at the answer window and, when it exits, at every mask left in the canvas: positions outside the block, which a cached pass does not compute"

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        SamplerParameter("answer_start", "\(defaultAnswerStart)", "first canvas position of the answer window whose top-2 logit gap is watched"),
        SamplerParameter("answer_length", "\(defaultAnswerLength)", "positions in the answer window (cut at the canvas end)"),
        SamplerParameter("early", "\(defaultEarly)", "gap that ends decoding while progress < 1/3"),
        SamplerParameter("mid", "\(defaultMid)", "gap that ends decoding while progress < 2/3"),
        SamplerParameter("late", "\(defaultLate)", "gap that ends decoding afterwards"),
        LoopOptions.refusedCacheParameter(cacheRefusal),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        if let answerStart { try requireParameter(answerStart >= 0, "answer_start", answerStart, "must be ≥ 0") }
        if let answerLength { try requireParameter(answerLength > 0, "answer_length", answerLength, "must be positive") }
        for (key, value) in [("early", early), ("mid", mid), ("late", late)] {
            if let value { try requireParameter(value >= 0 && value.isFinite, key, value, "must be ≥ 0") }
        }
        try LoopOptions.refuseCache(cache, because: Self.cacheRefusal)
    }

    /// `should_early_exit`: the phase's threshold at 1-based `step` of `steps`.
    func threshold(step: Int, steps: Int) -> Double {
        let progress = Double(step) / Double(steps)
        return progress < 0.33 ? early ?? Self.defaultEarly : progress < 0.67 ? mid ?? Self.defaultMid : late ?? Self.defaultLate
    }
}

/// Prophet: LLaDA low-confidence decoding that commits everything once the answer's top-2 logit gap is large enough.
public struct Prophet: Sampler {
    public static let name = "prophet"
    public static let about = SamplerAbout(
        summary: "Prophet: LLaDA decoding; fill every mask at once when the answer window's top1-top2 logit gap passes the phase threshold",
        source: "Li et al. 2025, arXiv 2508.19982; pixeli99/Prophet generate_earlyexit.py: generate, should_early_exit", stepBudget: .cap,
        cacheRefusal: ProphetParameters.cacheRefusal)
    public let config: ProphetParameters
    public init(_ config: ProphetParameters) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = ProphetParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        let block = config.blockLength ?? length
        try BlockCanvas.check(length: length, block: block, steps: steps)
        let start = min(config.answerStart ?? D.defaultAnswerStart, length)
        let window = start ..< min(length, start + (config.answerLength ?? D.defaultAnswerLength))
        let pick = GumbelPick(temperature: config.temperature ?? D.defaultTemperature)
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var canvas = Canvas(length: length, mask: mask)
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, stepIndex, exited) = (0, 0, false)
        for b in 0 ..< length / block where !exited {
            let range = b * block ..< (b + 1) * block
            let maskedAtStart = canvas.maskedPositions(in: range).count
            let blockSteps = max(1, min(steps / (length / block), maskedAtStart))
            let schedule = UniformCount.schedule(masked: maskedAtStart, steps: blockSteps)
            for j in 0 ..< blockSteps {
                if canvas.maskedPositions(in: range).isEmpty { break }
                let logits = try BlockCanvas.logits(of: denoiser, prefix: prompt, canvas: canvas.tokens, conditioning: nil)
                passes += 1
                func propose(_ position: Int) -> Candidate {
                    logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                    return Candidate(position: position, token: proposal.token, score: proposal.probability, pick: proposal)
                }
                var gap = 0.0
                for position in window {
                    logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    let (first, second) = row.reduce(into: (-Double.infinity, -Double.infinity)) { top, value in
                        if value > top.0 { top = (value, top.0) } else if value > top.1 { top.1 = value }
                    }
                    gap += first - second
                }
                exited = !window.isEmpty && gap / Double(window.count) >= config.threshold(step: stepIndex + 1, steps: steps)
                let chosen: [Candidate]
                if exited {
                    chosen = canvas.maskedPositions(in: 0 ..< length).map(propose)
                } else {
                    let candidates = canvas.maskedPositions(in: range).map(propose)
                    chosen = rankedByScore(candidates).prefix(schedule[j]).map { candidates[$0] }
                }
                for candidate in chosen {
                    try canvas.commit(candidate.position, candidate.token, step: stepIndex, sampler: Self.name)
                }
                try trace?.record(StepTrace(step: stepIndex, positions: chosen.map(\.position), tokens: chosen.map(\.token),
                                            scores: chosen.map(\.score), canvas: canvas.tokens))
                stepIndex += 1
                if exited { break }
            }
        }
        return Generation(tokens: canvas.tokens, forwardPasses: passes, steps: stepIndex, commitStep: canvas.commitStep)
    }
}
