// port of https://github.com/LiangrunFlora/Slow-Fast-Sampling/blob/main/slow-fast-sampling/sampling_utils/generate_slow_fast_sampling.py
// (`generate_slow_fast_sampling`, commit 1f56fb6), Wei et al. 2025, "Accelerating Diffusion Large Language Models with
// SlowFast Sampling: The Three Golden Principles", arXiv 2506.10848. Each block is decoded in sub-cycles, each starting
// where the previous span ended (s₀):
// - slow (exploratory) phase, `exploration_steps` passes: each pass estimates the span end s₀ + (1 + the farthest masked
//   position after s₀ whose proposal probability ≥ `span_threshold`), or s₀ + 1 if there is none, clamped to 1 … B;
//   once the last `stability_window` estimates have a (population) standard deviation below `stability_std`, the
//   span is the last estimate and stops moving, otherwise it is their mean (rounded down); the pass then commits every
//   masked position after s₀ with probability ≥ `high_threshold` if there are at least two, else the most probable one;
// - fast phase: until the span [s₀, s) has no masks, each pass commits the span's masked positions with probability ≥
//   `high_threshold` if at least two, else the most probable one.
// Difference, deliberate (a reference bug, see `SlowFastDifferenceTests`): the reference runs all exploration passes
// even after the block is complete (forward passes that cannot commit anything); here the slow phase ends with the
// block. Also: the reference's fast phase forwards only prompt + canvas up to the span end after its first pass (a
// cache of the later positions' logits, which truncates what the model attends to); here every pass sees the whole
// canvas, as the model contract requires, unless `cache` is set (Fast-dLLM's prefix or dual cache, see
// `CachedBlockPasses`: a block's first pass fills the KV cache, its later passes run through it). Mask/pad never proposed; Float64 probabilities and Gumbel noise (the
// reference: the model's dtype); ties to the lower position; the reference's 256-sub-cycle safety stop is not needed
// (each sub-cycle commits at least one token); the step budget is unused.
// Draws: per pass, the proposals of the masked positions in the pass's scope (slow phase: s₀ to the block end; fast
// phase: the span), ascending (V uniforms each when τ > 0).
import DiffusionCore

/// SlowFast's parameters (defaults of `generate_slow_fast_sampling`).
public struct SlowFastParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultExplorationSteps = 6
    public static let defaultSpanThreshold = 0.3
    public static let defaultStabilityWindow = 2
    public static let defaultStabilityStd = 1.0
    public static let defaultHighThreshold = 0.9

    public var temperature: Double?
    public var explorationSteps: Int?
    public var spanThreshold: Double?
    public var stabilityWindow: Int?
    public var stabilityStd: Double?
    public var highThreshold: Double?
    public var blockLength: Int?
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case temperature, explorationSteps = "exploration_steps", spanThreshold = "span_threshold"
        case stabilityWindow = "stability_window", stabilityStd = "stability_std", highThreshold = "high_threshold"
        case blockLength = "block_length", cache
    }

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("exploration_steps", "\(defaultExplorationSteps)", "passes of the slow phase per sub-cycle (k_exploration_steps)"),
        SamplerParameter("span_threshold", "\(defaultSpanThreshold)", "the span reaches the farthest masked proposal with at least this probability"),
        SamplerParameter("stability_window", "\(defaultStabilityWindow)", "span estimates whose spread decides stability"),
        SamplerParameter("stability_std", "\(defaultStabilityStd)", "the span is stable when the estimates' standard deviation is below this"),
        SamplerParameter("high_threshold", "\(defaultHighThreshold)", "commit every proposal at least this probable when there are two or more"),
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        LoopOptions.cacheParameter,
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let explorationSteps { try requireParameter(explorationSteps >= 1, "exploration_steps", explorationSteps, "must be ≥ 1") }
        if let spanThreshold { try requireParameter(spanThreshold >= 0 && spanThreshold <= 1, "span_threshold", spanThreshold, "must be in [0, 1]") }
        if let stabilityWindow { try requireParameter(stabilityWindow >= 1, "stability_window", stabilityWindow, "must be ≥ 1") }
        if let stabilityStd { try requireParameter(stabilityStd >= 0 && stabilityStd.isFinite, "stability_std", stabilityStd, "must be ≥ 0") }
        if let highThreshold { try requireParameter(highThreshold >= 0 && highThreshold <= 1, "high_threshold", highThreshold, "must be in [0, 1]") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        try LoopOptions.validateCache(cache)
    }
}

/// SlowFast: alternate a slow phase that finds a stable span and a fast phase that fills it in parallel.
/// The step budget is not used.
public struct SlowFast: Sampler {
    public static let name = "slow_fast"
    public static let about = SamplerAbout(
        summary: "SlowFast: a slow phase commits one token a pass until the confident span is stable, a fast phase fills the span in parallel",
        source: "Wei et al. 2025, arXiv 2506.10848; LiangrunFlora/Slow-Fast-Sampling generate_slow_fast_sampling.py: generate_slow_fast_sampling", stepBudget: .unused)
    public let config: SlowFastParameters
    public init(_ config: SlowFastParameters) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = SlowFastParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        let block = config.blockLength ?? length
        try BlockCanvas.check(length: length, block: block)
        let explorationSteps = config.explorationSteps ?? D.defaultExplorationSteps
        let (spanThreshold, highThreshold) = (config.spanThreshold ?? D.defaultSpanThreshold, config.highThreshold ?? D.defaultHighThreshold)
        let (window, stabilityStd) = (config.stabilityWindow ?? D.defaultStabilityWindow, config.stabilityStd ?? D.defaultStabilityStd)
        let pick = GumbelPick(temperature: config.temperature ?? D.defaultTemperature)
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var canvas = Canvas(length: length, mask: mask)
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, step) = (0, 0)
        var blockPasses = CachedBlockPasses(mode: LoopOptions.mode(config.cache))

        /// One pass over `scope` (inside `block`): the masked proposals (ascending), and the commit (≥ 2 above the high threshold, else the best).
        func pass(_ scope: Range<Int>, of block: Range<Int>) throws -> [Candidate] {
            let logits = try blockPasses.pass(prefix: prompt, canvas: canvas.tokens, block: block, denoiser: denoiser)
            passes += 1
            let candidates = canvas.maskedPositions(in: scope).map { position in
                logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                for id in suppressed { row[id] = -.infinity }
                let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                return Candidate(position: position, token: proposal.token, score: proposal.probability, pick: proposal)
            }
            let high = candidates.indices.filter { candidates[$0].score >= highThreshold }
            let chosen = high.count > 1 ? high : Array(rankedByScore(candidates).prefix(1))
            for index in chosen { try canvas.commit(candidates[index].position, candidates[index].token, step: step, sampler: Self.name) }
            try trace?.record(StepTrace(step: step, positions: chosen.map { candidates[$0].position }, tokens: chosen.map { candidates[$0].token },
                                        scores: chosen.map { candidates[$0].score }, canvas: canvas.tokens))
            step += 1
            return candidates
        }

        for b in 0 ..< length / block {
            let start = b * block
            blockPasses.startBlock()
            var last = 0  // the span reached so far, relative to the block start
            while !canvas.maskedPositions(in: start ..< start + block).isEmpty {
                var (span, determined, history) = (block, false, [Int]())
                for k in 0 ..< explorationSteps where !canvas.maskedPositions(in: start ..< start + block).isEmpty {
                    let scope = start + last ..< start + block
                    let candidates = try pass(scope, of: start ..< start + block)  // estimates read the proposals made before this pass's commit
                    guard !determined else { continue }
                    let farthest = candidates.last { $0.score >= spanThreshold }.map { $0.position - scope.lowerBound + 1 } ?? 1
                    history.append(min(max(1, last + (scope.isEmpty ? 0 : farthest)), block))
                    if history.count > window { history.removeFirst() }
                    if history.count >= window {
                        if Self.standardDeviation(history) < stabilityStd {
                            (span, determined) = (history[history.count - 1], true)
                        } else {
                            (span, determined) = (Self.meanFloor(history), k == explorationSteps - 1)
                        }
                    }
                }
                if !determined { span = history.isEmpty ? block / 2 : Self.meanFloor(history) }
                let region = start + last ..< start + max(last, span)
                while !canvas.maskedPositions(in: region).isEmpty { _ = try pass(region, of: start ..< start + block) }
                last = max(last, span)
            }
        }
        return Generation(tokens: canvas.tokens, forwardPasses: passes, steps: step, commitStep: canvas.commitStep)
    }

    /// numpy's `np.std` (population), summed in order.
    static func standardDeviation(_ values: [Int]) -> Double {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        return (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)).squareRoot()
    }

    /// `int(np.mean(values))`, at least 1 (values are ≥ 1).
    static func meanFloor(_ values: [Int]) -> Int { Int(values.reduce(0.0) { $0 + Double($1) } / Double(values.count)) }
}
