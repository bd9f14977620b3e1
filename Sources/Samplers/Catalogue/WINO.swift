// port of https://github.com/Feng-Hong/WINO-DLLM/blob/main/LLaDA/decoding.py (`decoding_wino`), Hong et al. 2025,
// "Wide-In, Narrow-Out: Revokable Decoding for Efficient and Effective DLLMs", arXiv 2507.18578. Per block, each forward
// pass also runs the shadow block (`Denoiser.shadowBlock`, one pass): wide in, every masked position of the block whose proposal
// has probability > `threshold` is drafted (the most probable min(max(⌊0.7·M⌋, 5), 20) if more, M the block's masks;
// the most probable one if none); narrow out, when more
// than one token was drafted, the tokens decoded earlier in the block whose leave-one-out probability (shadow row) is
// below `threshold_back` are re-masked, at most one fewer than the previous pass drafted when they are that many (the
// least probable ones). The block ends when it has no masks.
// Differences, deliberate: mask/pad never proposed and removed from the shadow rows too; ⌊0.7·M⌋ is computed in Float32
// as torch does (`int(mask_index_block.sum() * 0.7)`). The run guard allows 4 passes per position: the reference has no
// bound, and a block whose drafts keep being re-masked would not end.
// Draws: per pass, the proposals of the block's masked positions in ascending order (V uniforms each when τ > 0).
import DiffusionCore

/// WINO's parameters (defaults of `decoding_wino`).
public struct WINOParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultThreshold = 0.6
    public static let defaultThresholdBack = 0.9

    public var temperature: Double?
    public var threshold: Double?
    public var thresholdBack: Double?
    public var blockLength: Int?
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case temperature, threshold, thresholdBack = "threshold_back", blockLength = "block_length", cache
    }

    /// Why WINO takes only `cache: none`.
    public static let cacheRefusal = "every WINO pass also runs the shadow block (the block again, each position hiding itself) beside the canvas, a pass a block cache does not serve"

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("threshold", "\(defaultThreshold)", "wide in: draft every masked proposal with probability > threshold"),
        SamplerParameter("threshold_back", "\(defaultThresholdBack)", "narrow out: re-mask a decoded token whose leave-one-out probability < this"),
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        LoopOptions.refusedCacheParameter(cacheRefusal),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let threshold { try requireParameter(threshold >= 0 && threshold <= 1, "threshold", threshold, "must be in [0, 1]") }
        if let thresholdBack { try requireParameter(thresholdBack >= 0 && thresholdBack <= 1, "threshold_back", thresholdBack, "must be in [0, 1]") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        try LoopOptions.refuseCache(cache, because: Self.cacheRefusal)
    }
}

/// WINO: draft wide above τ₁, verify each decoded token with the shadow block and re-mask it below τ₂.
/// The step budget is not used.
public struct WINO: Sampler {
    public static let name = "wino"
    public static let about = SamplerAbout(
        summary: "WINO: draft masked proposals above threshold, re-mask decoded tokens whose leave-one-out probability < threshold_back",
        source: "Hong et al. 2025, arXiv 2507.18578; Feng-Hong/WINO-DLLM LLaDA/decoding.py: decoding_wino", revisesTokens: true, stepBudget: .unused,
        cacheRefusal: WINOParameters.cacheRefusal)
    public let config: WINOParameters
    public init(_ config: WINOParameters) throws { try config.validate(); self.config = config }

    public func runBudget(steps: Int, length: Int) -> (forwardPasses: Int, steps: Int) {
        let passes = max(2 * max(steps, length), 4 * length)
        return (passes, passes)
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = WINOParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        guard let shadowed = denoiser.shadowBlock else {
            throw SamplerError.unsupportedModel("\(Self.name) needs a model that can run a shadow-block verification pass")
        }
        let block = config.blockLength ?? length
        try BlockCanvas.check(length: length, block: block)
        let (threshold, thresholdBack) = (config.threshold ?? D.defaultThreshold, config.thresholdBack ?? D.defaultThresholdBack)
        let pick = GumbelPick(temperature: config.temperature ?? D.defaultTemperature)
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var tokens = [TokenID](repeating: mask, count: length)
        var masked = [Bool](repeating: true, count: length)
        var commitStep = [Int](repeating: -1, count: length)
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, step) = (0, 0)
        func load(_ logits: Logits, _ index: Int) {
            logits.withRow(index) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
            for id in suppressed { row[id] = -.infinity }
        }
        for b in 0 ..< length / block {
            let range = b * block ..< (b + 1) * block
            var lastAccept = 30
            while range.contains(where: { masked[$0] }) {
                let maskCount = range.filter { masked[$0] }.count
                let maxAccept = min(max(Int(Float(maskCount) * Float(0.7)), 5), 20)
                let (logits, shadow) = try shadowed.logitsWithShadow(prefix: prompt, canvas: tokens, block: range)
                passes += 1
                guard logits.rows == length, shadow.rows == block, logits.vocabularySize == vocabulary, shadow.vocabularySize == vocabulary else {
                    throw SamplerError.unsupportedModel("the denoiser returned \(logits.rows)+\(shadow.rows) rows for \(length) positions and a block of \(block)")
                }
                var candidates: [Candidate] = []
                for position in range where masked[position] {
                    load(logits, position)
                    let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                    candidates.append(Candidate(position: position, token: proposal.token, score: proposal.probability, pick: proposal))
                }
                var back: [(position: Int, probability: Double)] = []
                for position in range where !masked[position] {  // the reference's `unmask_index_block`
                    load(shadow, position - range.lowerBound)
                    back.append((position, SoftmaxSummary(row).probability(of: row[tokens[position]])))
                }
                // Wide in.
                let ranked = rankedByScore(candidates)
                var drafted = ranked.filter { candidates[$0].score > threshold }
                if drafted.count > maxAccept { drafted = Array(ranked.prefix(maxAccept)) } else if drafted.isEmpty { drafted = [ranked[0]] }
                // Narrow out: decoded before this pass, leave-one-out probability below threshold_back.
                var remasked: [Int] = []
                if drafted.count > 1 {
                    remasked = back.filter { $0.probability < thresholdBack }.map(\.position)
                    if remasked.count >= lastAccept {
                        let lowest = back.indices.sorted {
                            back[$0].probability != back[$1].probability ? back[$0].probability < back[$1].probability : back[$0].position < back[$1].position
                        }
                        remasked = lowest.prefix(lastAccept - 1).map { back[$0].position }
                    }
                }
                for index in drafted {
                    let c = candidates[index]
                    (tokens[c.position], masked[c.position], commitStep[c.position]) = (c.token, false, step)
                }
                for position in remasked { (tokens[position], masked[position], commitStep[position]) = (mask, true, -1) }
                lastAccept = drafted.count
                try trace?.record(StepTrace(step: step, positions: drafted.map { candidates[$0].position }, tokens: drafted.map { candidates[$0].token },
                                            scores: drafted.map { candidates[$0].score }, canvas: tokens))
                step += 1
            }
        }
        return Generation(tokens: tokens, forwardPasses: passes, steps: step, commitStep: commitStep)
    }
}
