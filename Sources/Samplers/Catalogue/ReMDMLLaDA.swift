// port of https://github.com/guanghanwang/ReMDM-LLaDA/blob/main/eval_llada.py (`llada_remdm_sample`), the ReMDM loop
// schedule on LLaDA (Wang et al. 2025, arXiv 2503.00307): per block, 2·s passes for s = steps per block; the first
// ⌊7s/8⌋ commit k = length/steps proposals each (most probable first, tokens sampled), the next s passes each re-mask the
// `remask_count` decoded tokens of the block that were least probable when committed and commit as many, and the last
// passes commit the rest. The authors run it with 32 positions, 32 steps, blocks of 32 and `remdm_number=1`.
// Difference, deliberate (a reference bug, see `ReMDMLLaDAReferenceDifferenceTests`): the reference starts the loop at
// pass ⌊7B/8⌋ with B the *block length*, which is the paper's 87% point only when s = B; with fewer steps its
// first phase asks for more commits than the block has masks, its top-k then reaches positions outside the masks (a
// no-op write that stores −∞ confidence there), and the loop re-masks those first: prompt tokens or earlier blocks.
// Here the loop starts at pass ⌊7s/8⌋, commits at most the masks left, and re-masks only tokens of the block.
// Also: mask/pad never proposed; Float64 Gumbel-max sampling (`temperature` 1 samples p_θ as the reference's
// `_sample_categorical`); the reference's return at the first EOS is not ported (the canvas has a fixed length).
// With `cache` (Fast-dLLM, see `CachedBlockPasses`), a block's first pass is a full pass that fills the KV cache and its
// later passes run through it: the re-masking stays inside the block, so the kept keys and values are those of
// positions the block's passes do not change.
// Draws: per pass, the proposals of the block's masked positions in ascending order (V uniforms each when τ > 0).
import DiffusionCore

/// The parameters of the LLaDA ReMDM loop.
public struct ReMDMLLaDAParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 1.0
    public static let defaultRemaskCount = 1

    public var temperature: Double?
    public var remaskCount: Int?
    public var blockLength: Int?
    public var cache: String?

    enum CodingKeys: String, CodingKey { case temperature, remaskCount = "remask_count", blockLength = "block_length", cache }

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (1 = sample p_theta, 0 = argmax)"),
        SamplerParameter("remask_count", "\(defaultRemaskCount)", "tokens re-masked and re-committed per loop pass (remdm_number)"),
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        LoopOptions.cacheParameter,
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let remaskCount { try requireParameter(remaskCount >= 0, "remask_count", remaskCount, "must be ≥ 0") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        try LoopOptions.validateCache(cache)
    }
}

/// ReMDM's loop schedule on LLaDA: unmask most of each block, then re-mask and re-commit the least confident tokens.
public struct ReMDMLLaDA: Sampler {
    public static let name = "remdm_llada"
    public static let about = SamplerAbout(
        summary: "ReMDM loop on LLaDA: per block, unmask 7/8, then re-mask and re-commit the least confident tokens for s passes",
        source: "Wang et al. 2025, arXiv 2503.00307; guanghanwang/ReMDM-LLaDA eval_llada.py: llada_remdm_sample", revisesTokens: true)
    public let config: ReMDMLLaDAParameters
    public init(_ config: ReMDMLLaDAParameters) throws { try config.validate(); self.config = config }

    public func runBudget(steps: Int, length: Int) -> (forwardPasses: Int, steps: Int) {
        (2 * max(steps, length), 2 * max(steps, length))
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = ReMDMLLaDAParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        let block = config.blockLength ?? length
        try BlockCanvas.check(length: length, block: block, steps: steps)
        try require(length % steps == 0, "canvas length \(length) is not a multiple of steps \(steps) (each step commits length/steps)")
        let (perStep, blockSteps) = (length / steps, steps / (length / block))
        let loopStart = blockSteps * 7 / 8
        let remaskCount = config.remaskCount ?? D.defaultRemaskCount
        let pick = GumbelPick(temperature: config.temperature ?? D.defaultTemperature)
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var tokens = [TokenID](repeating: mask, count: length)
        var committed = [Double?](repeating: nil, count: length)  // probability at commit; nil while masked
        var commitStep = [Int](repeating: -1, count: length)
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, step) = (0, 0)
        var blockPasses = CachedBlockPasses(mode: LoopOptions.mode(config.cache))
        for b in 0 ..< length / block {
            let range = b * block ..< (b + 1) * block
            blockPasses.startBlock()
            for i in 0 ..< 2 * blockSteps {
                let looping = i >= loopStart && i < loopStart + blockSteps
                if looping {  // the least probable decoded tokens of the block (leftmost on ties)
                    let decoded = range.filter { committed[$0] != nil }.sorted {
                        committed[$0]! != committed[$1]! ? committed[$0]! < committed[$1]! : $0 < $1
                    }
                    for position in decoded.prefix(remaskCount) {
                        (tokens[position], committed[position], commitStep[position]) = (mask, nil, -1)
                    }
                }
                let logits = try blockPasses.pass(prefix: prompt, canvas: tokens, block: range, denoiser: denoiser)
                passes += 1
                var candidates: [Candidate] = []
                for position in range where committed[position] == nil {
                    logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                    candidates.append(Candidate(position: position, token: proposal.token, score: proposal.probability, pick: proposal))
                }
                let chosen = rankedByScore(candidates).prefix(looping ? remaskCount : perStep).map { candidates[$0] }
                for c in chosen { (tokens[c.position], committed[c.position], commitStep[c.position]) = (c.token, c.score, step) }
                try trace?.record(StepTrace(step: step, positions: chosen.map(\.position), tokens: chosen.map(\.token),
                                            scores: chosen.map(\.score), canvas: tokens))
                step += 1
            }
        }
        return Generation(tokens: tokens, forwardPasses: passes, steps: step, commitStep: commitStep)
    }
}
