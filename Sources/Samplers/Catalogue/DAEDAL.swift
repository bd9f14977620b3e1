// port of https://github.com/Li-Jinsong/DAEDAL/blob/main/models/LLaDA_DAEDAL.py (`generate`, commit 303c9e9), Li et al.
// 2025, "Beyond Fixed: Variable-Length Denoising for Diffusion Large Language Models", arXiv 2508.00819. The canvas
// length is the sampler's: `length` is the most it may hold (the reference's `max_gen_length`).
// - Stage 1 (initial length): from `initial_length` masks, each pass reads the EOS confidence — the probabilities of
//   EOS at the (up to `eos_check_tokens`) last positions whose argmax is EOS, summed and divided by `eos_check_tokens`
//   — and while it is below `eos_threshold` appends `expansion_factor` masks. Then `eos_check_tokens`/2 EOS tokens are
//   appended (within `length`).
// - Stage 2 (denoise and insert): a window of `block_length` positions from the first with a mask; each pass commits
//   its masked proposals with probability > `high_threshold`, else the most probable one; and, while the EOS
//   confidence is below `expand_eos_threshold` and the canvas is shorter than `length`, the least probable remaining
//   masked position of the window with probability < `low_threshold` becomes `expansion_factor` masks.
// Difference, deliberate (a reference bug, see `DAEDALDifferenceTests`): when an insertion would pass `length`, the
// reference still writes the full `expansion_factor` masks and cuts the canvas at `length`, dropping its last
// positions (the EOS tail, committed tokens); here the insertion is shortened so the canvas ends at `length`.
// Also: mask/pad get −∞ logits (so the reference's branch for a window whose proposals are all the mask is not
// needed, and the EOS confidence reads the same suppressed softmax); Float64 Gumbel noise and probabilities (the
// reference: Float32 noise under autocast); ties to the lower position; batch 1 (the reference's per-sequence
// bookkeeping of a batch is the same rule per row). The appended EOS tail counts as committed at step 0.
// Stage-1 passes commit nothing and are not traced; they count as forward passes.
// Draws: per stage-2 pass, the proposals of the window's masked positions in ascending order (V uniforms each when τ > 0).
import DiffusionCore

/// DAEDAL's parameters (defaults of the reference `generate`).
public struct DAEDALParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultInitialLength = 64
    public static let defaultBlockLength = 32
    public static let defaultHighThreshold = 0.9
    public static let defaultLowThreshold = 0.1
    public static let defaultExpansionFactor = 8
    public static let defaultEOSThreshold = 0.5
    public static let defaultExpandEOSThreshold = 0.9
    public static let defaultEOSCheckTokens = 32

    public var temperature: Double?
    public var initialLength: Int?
    public var blockLength: Int?
    public var highThreshold: Double?
    public var lowThreshold: Double?
    public var expansionFactor: Int?
    public var eosThreshold: Double?
    public var expandEOSThreshold: Double?
    public var eosCheckTokens: Int?
    public var cache: String?

    /// Why DAEDAL takes only `cache: none`.
    public static let cacheRefusal = "DAEDAL grows the canvas and inserts masks inside it (the positions a cache keeps move), and reads the EOS confidence at the canvas end every pass"

    enum CodingKeys: String, CodingKey {
        case temperature, initialLength = "initial_length", blockLength = "block_length", highThreshold = "high_threshold"
        case lowThreshold = "low_threshold", expansionFactor = "expansion_factor", eosThreshold = "eos_threshold"
        case expandEOSThreshold = "expand_eos_threshold", eosCheckTokens = "eos_check_tokens", cache
    }

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("initial_length", "\(defaultInitialLength)", "masks to start from (at most the canvas length, which is the maximum)"),
        SamplerParameter("block_length", "\(defaultBlockLength)", "the stage-2 window, from the first position with a mask"),
        SamplerParameter("high_threshold", "\(defaultHighThreshold)", "commit masked proposals above this probability (else the best one)"),
        SamplerParameter("low_threshold", "\(defaultLowThreshold)", "a masked proposal below this probability may become expansion_factor masks"),
        SamplerParameter("expansion_factor", "\(defaultExpansionFactor)", "masks appended (stage 1) or a position becomes (stage 2)"),
        SamplerParameter("eos_threshold", "\(defaultEOSThreshold)", "stage 1 grows the canvas while the EOS confidence is below this"),
        SamplerParameter("expand_eos_threshold", "\(defaultExpandEOSThreshold)", "stage 2 inserts masks while the EOS confidence is below this"),
        SamplerParameter("eos_check_tokens", "\(defaultEOSCheckTokens)", "EOS confidences averaged from the end (also twice the EOS tail)"),
        LoopOptions.refusedCacheParameter(cacheRefusal),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let initialLength { try requireParameter(initialLength > 0, "initial_length", initialLength, "must be positive") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        for (key, value) in [("high_threshold", highThreshold), ("low_threshold", lowThreshold), ("eos_threshold", eosThreshold),
                             ("expand_eos_threshold", expandEOSThreshold)] {
            if let value { try requireParameter(value >= 0 && value <= 1, key, value, "must be in [0, 1]") }
        }
        if let expansionFactor { try requireParameter(expansionFactor >= 1, "expansion_factor", expansionFactor, "must be ≥ 1") }
        if let eosCheckTokens { try requireParameter(eosCheckTokens >= 1, "eos_check_tokens", eosCheckTokens, "must be ≥ 1") }
        try LoopOptions.refuseCache(cache, because: Self.cacheRefusal)
    }
}

/// DAEDAL: variable-length generation; grows the canvas while EOS is unlikely and turns unsure masks into more masks.
/// The step budget is not used.
public struct DAEDAL: Sampler {
    public static let name = "daedal"
    public static let about = SamplerAbout(
        summary: "DAEDAL: variable length; grow the canvas until EOS is confident, then denoise a window and expand unsure masks",
        source: "Li et al. 2025, arXiv 2508.00819; Li-Jinsong/DAEDAL models/LLaDA_DAEDAL.py: generate", changesLength: true, stepBudget: .unused,
        cacheRefusal: DAEDALParameters.cacheRefusal)
    public let config: DAEDALParameters
    public init(_ config: DAEDALParameters) throws { try config.validate(); self.config = config }

    /// Stage 1 adds a pass per expansion: at most length / expansion_factor + 1 more than a fixed-length run.
    public func runBudget(steps: Int, length: Int) -> (forwardPasses: Int, steps: Int) {
        (2 * max(steps, length) + length + 2, max(steps, length))
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = DAEDALParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        let vocabulary = denoiser.vocabularySize
        guard let eos = denoiser.specialTokens.endOfSequence.first(where: { $0 >= 0 && $0 < vocabulary }) else {
            throw SamplerError.unsupportedModel("\(Self.name) needs a model with an EOS token (its length follows EOS confidence)")
        }
        try require(length > 0, "canvas length must be positive, got \(length)")
        let c = config
        let (factor, checkTokens, window) = (c.expansionFactor ?? D.defaultExpansionFactor, c.eosCheckTokens ?? D.defaultEOSCheckTokens,
                                             c.blockLength ?? D.defaultBlockLength)
        let (high, low) = (c.highThreshold ?? D.defaultHighThreshold, c.lowThreshold ?? D.defaultLowThreshold)
        let pick = GumbelPick(temperature: c.temperature ?? D.defaultTemperature)
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var row = [Double](repeating: 0, count: vocabulary)
        var passes = 0

        func forward(_ canvas: [TokenID]) throws -> Logits {
            let logits = try denoiser.logits(prefix: prompt, canvas: canvas, conditioning: nil)
            passes += 1
            guard logits.rows == canvas.count, logits.vocabularySize == vocabulary else {
                throw SamplerError.unsupportedModel("the denoiser returned \(logits.rows)×\(logits.vocabularySize) logits for \(canvas.count) positions")
            }
            return logits
        }
        func load(_ logits: Logits, _ position: Int) {
            logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
            for id in suppressed { row[id] = -.infinity }
        }
        /// `_calculate_eos_confidence`: from the end, the EOS probability where EOS is the argmax, up to `checkTokens` of them.
        func eosConfidence(_ logits: Logits) -> Double {
            var (sum, found) = (0.0, 0)
            for position in stride(from: logits.rows - 1, through: 0, by: -1) where found < checkTokens {
                load(logits, position)
                let summary = SoftmaxSummary(row)
                if summary.argmax == eos { sum += summary.probability(of: row[eos]); found += 1 }
            }
            return sum / Double(checkTokens)
        }

        // Stage 1: the initial length.
        var tokens = [TokenID](repeating: mask, count: min(c.initialLength ?? D.defaultInitialLength, length))
        while eosConfidence(try forward(tokens)) < c.eosThreshold ?? D.defaultEOSThreshold, tokens.count < length {
            tokens += [TokenID](repeating: mask, count: min(factor, length - tokens.count))
        }
        let tail = min(checkTokens / 2, length - tokens.count)
        var commitStep = [Int](repeating: -1, count: tokens.count) + [Int](repeating: 0, count: tail)
        tokens += [TokenID](repeating: eos, count: tail)

        // Stage 2: denoise a window, insert masks where the model is unsure.
        var (start, step) = (0, 0)
        while start < tokens.count {
            let logits = try forward(tokens)
            let eosConfident = eosConfidence(logits) >= c.expandEOSThreshold ?? D.defaultExpandEOSThreshold
            let range = start ..< min(start + window, tokens.count)
            var candidates: [Candidate] = []
            for position in range where commitStep[position] < 0 {
                load(logits, position)
                let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                candidates.append(Candidate(position: position, token: proposal.token, score: proposal.probability, pick: proposal))
            }
            let ranked = rankedByScore(candidates)
            var chosen = candidates.indices.filter { candidates[$0].score > high }
            if chosen.isEmpty { chosen = Array(ranked.prefix(1)) }
            var expanded: Int?
            if !eosConfident, tokens.count < length {
                expanded = candidates.indices.filter { !chosen.contains($0) && candidates[$0].score < low }
                    .min { (candidates[$0].score, candidates[$0].position) < (candidates[$1].score, candidates[$1].position) }
                    .map { candidates[$0].position }
            }
            for index in chosen { (tokens[candidates[index].position], commitStep[candidates[index].position]) = (candidates[index].token, step) }
            var positions = chosen.map { candidates[$0].position }
            if let expanded {
                let extra = min(factor - 1, length - tokens.count)
                tokens.insert(contentsOf: [TokenID](repeating: mask, count: extra), at: expanded)
                commitStep.insert(contentsOf: [Int](repeating: -1, count: extra), at: expanded)
                positions = positions.map { $0 > expanded ? $0 + extra : $0 }
            }
            try trace?.record(StepTrace(step: step, positions: positions, tokens: chosen.map { candidates[$0].token },
                                        scores: chosen.map { candidates[$0].score }, canvas: tokens))
            step += 1
            while start < tokens.count, commitStep[start ..< min(start + window, tokens.count)].allSatisfy({ $0 >= 0 }) {
                start += window
            }
            if chosen.isEmpty && expanded == nil { break }  // the reference's stagnation stop; a window always has a mask here
        }
        return Generation(tokens: tokens, forwardPasses: passes, steps: step, commitStep: commitStep)
    }
}
