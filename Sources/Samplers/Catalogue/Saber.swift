// port of https://github.com/zhaoyMa/Saber/blob/main/decoding.py (`generate_with_saber`, commit 49579a9), Dong, Ma et
// al. 2025, "Saber: An Efficient Sampling with Adaptive Acceleration and Backtracking Enhanced Remasking for Diffusion
// Language Model", arXiv 2510.18165 (ACL 2026). Per forward pass, every position of the canvas up to the end of the current block
// gets a proposal and its probability c_i; the threshold τ is the mean probability recorded when each position was last
// committed (1 before any commit); every masked position up to the block end with c_i > τ is committed, at least the
// `min_tokens` most probable. Unless that completed everything up to the block end, backtracking then re-masks the
// min(max(⌊n/2⌋, ⌈f/8⌉), f − 1) decoded positions (f = tokens committed this pass, n = `min_tokens`) whose proposal
// probability dropped most since the previous pass (a position whose previous value was not finite counts as +∞). The
// block ends when everything up to its end is committed; earlier blocks stay open to backtracking, as in the reference.
// Difference, deliberate (a reference bug, see `SaberReferenceDifferenceTests`): when fewer than `min_tokens` masks are
// left up to the block end, the reference's top-n reaches positions whose confidence is −∞ (prompt, decoded or later
// positions): it overwrites a decoded token with a fresh proposal, commits a position after the block, or counts a
// prompt position's probability in τ. Here the pass commits the masks that are left, which completes the block.
// Also: mask/pad never proposed; probabilities and τ in Float64 (the reference: the model's dtype); ties broken by the
// lower position; re-masking picks only decoded positions (never a prompt or masked one); the step budget is unused.
// Draws: per pass, the proposals of canvas positions 0 ..< block end in ascending order (V uniforms each when τ > 0).
import DiffusionCore

/// Saber's parameters (defaults of `generate_with_saber`).
public struct SaberParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultMinTokens = 2

    public var temperature: Double?
    public var minTokens: Int?
    public var blockLength: Int?
    public var cache: String?

    enum CodingKeys: String, CodingKey { case temperature, minTokens = "min_tokens", blockLength = "block_length", cache }

    /// Why Saber takes only `cache: none`.
    public static let cacheRefusal = "Saber's backtracking reads every position up to the block end and re-masks tokens of earlier blocks, whose keys and values a cache holds fixed"

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("min_tokens", "\(defaultMinTokens)", "n: tokens committed per pass at least (the reference's n)"),
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        LoopOptions.refusedCacheParameter(cacheRefusal),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let minTokens { try requireParameter(minTokens >= 1, "min_tokens", minTokens, "must be ≥ 1") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        try LoopOptions.refuseCache(cache, because: Self.cacheRefusal)
    }
}

/// Saber: commit above the running mean confidence, then backtrack the tokens whose confidence dropped most.
/// The step budget is not used; each pass that does not complete a block leaves one mask fewer up to its end, so a
/// run takes at most `length` passes (the guards' default budget).
public struct Saber: Sampler {
    public static let name = "saber"
    public static let about = SamplerAbout(
        summary: "Saber: commit masks above the mean confidence of committed tokens (at least n), re-mask the largest confidence drops",
        source: "Dong et al. 2025, arXiv 2510.18165; zhaoyMa/Saber decoding.py: generate_with_saber", revisesTokens: true, stepBudget: .unused,
        cacheRefusal: SaberParameters.cacheRefusal)
    public let config: SaberParameters
    public init(_ config: SaberParameters) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = SaberParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        let block = config.blockLength ?? length
        try BlockCanvas.check(length: length, block: block)
        let n = config.minTokens ?? D.defaultMinTokens
        let pick = GumbelPick(temperature: config.temperature ?? D.defaultTemperature)
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var tokens = [TokenID](repeating: mask, count: length)
        var masked = [Bool](repeating: true, count: length)
        var commitStep = [Int](repeating: -1, count: length)
        var recorded = [Double?](repeating: nil, count: length)  // probability at the last commit (`final_confidence`)
        var last = [Double](repeating: 0, count: length)        // previous pass's proposal probability (`last_confidence`)
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, step) = (0, 0)
        for b in 0 ..< length / block {
            let end = (b + 1) * block
            while (0 ..< end).contains(where: { masked[$0] }) {
                let logits = try BlockCanvas.logits(of: denoiser, prefix: prompt, canvas: tokens, conditioning: nil)
                passes += 1
                var proposals: [RowPick] = []
                proposals.reserveCapacity(end)
                for position in 0 ..< end {
                    logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    proposals.append(row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) })
                }
                var drop = [Double](repeating: .infinity, count: length)
                for position in 0 ..< length {
                    let confidence = position < end ? proposals[position].probability : -.infinity
                    let delta = confidence - last[position]
                    drop[position] = delta.isFinite ? delta : .infinity
                    last[position] = confidence
                }
                let values = recorded.compactMap { $0 }
                let threshold = values.isEmpty ? 1 : values.reduce(0, +) / Double(values.count)
                let candidates = (0 ..< end).filter { masked[$0] }.map {
                    Candidate(position: $0, token: proposals[$0].token, score: proposals[$0].probability, pick: proposals[$0])
                }
                let ranked = rankedByScore(candidates)
                var chosen = ranked.filter { candidates[$0].score > threshold }
                if chosen.count < n { chosen = Array(ranked.prefix(n)) }
                let fixed = max(n, chosen.count)
                for index in chosen {
                    let c = candidates[index]
                    (tokens[c.position], masked[c.position], commitStep[c.position], recorded[c.position]) = (c.token, false, step, c.score)
                }
                if (0 ..< end).contains(where: { masked[$0] }) {  // backtrack: the largest drops among decoded positions
                    let count = min(max(n / 2, (fixed + 7) / 8), fixed - 1)
                    let decoded = (0 ..< end).filter { !masked[$0] }.sorted {
                        drop[$0] != drop[$1] ? drop[$0] < drop[$1] : $0 < $1
                    }
                    for position in decoded.prefix(count) {
                        (tokens[position], masked[position], commitStep[position]) = (mask, true, -1)
                    }
                }
                try trace?.record(StepTrace(step: step, positions: chosen.map { candidates[$0].position }, tokens: chosen.map { candidates[$0].token },
                                            scores: chosen.map { candidates[$0].score }, canvas: tokens))
                step += 1
            }
        }
        return Generation(tokens: tokens, forwardPasses: passes, steps: step, commitStep: commitStep)
    }
}
