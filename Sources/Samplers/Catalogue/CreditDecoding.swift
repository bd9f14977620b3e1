// port of https://github.com/inclusionAI/dInfer/blob/main/python/dinfer/decoding/parallel_strategy.py
// (`CreditThresholdParallelDecoder`, `get_transfer_index_threshold`; commit fce4e32), the decoding rule of
// CreditDecoding (Wang et al. 2025, "CreditDecoding: Accelerating Parallel Decoding in Diffusion Large Language Models
// with Trace Credits", arXiv 2510.06133) in dInfer (arXiv 2510.08666). Each block keeps a credit C[i, v] per position and
// token, zero at the block start. Every pass, from the second of the block on, decays all credit by β
// (`decay_beta`), then adds p₁^γ (`boost_gamma`) to the credit of each masked position's top-1 token (p₁ its
// probability under softmax(ℓ)); the proposal and its confidence come from the fused logits ℓ + α·ln(1 + C)
// (`credit_alpha`), and every masked position of the block whose confidence ≥ min(τ, max confidence − 1e−5) is
// committed (so at least the most confident). The block ends when it has no masks.
// Differences, deliberate: mask/pad get −∞ logits before the credit, so credit never accrues to the mask token (see
// `CreditDecodingDifferenceTests`: in the reference a position whose top-1 is the mask gains mask credit, its proposal
// stays the mask, which the threshold rule excludes, and the block never ends); Float64 credit and probabilities (the
// reference: Float32); the credit of a position is stored for the tokens that were its top-1 only (all others are 0,
// so the fused logits are the same); the step budget is unused. With `cache` (Fast-dLLM's prefix and dual caches, as
// dInfer runs this rule; see `CachedBlockPasses`), a block's first pass is a full pass that fills the KV cache and its
// later passes run through it; without, the whole canvas is forwarded each pass.
// Draws: per pass, the proposals of the block's masked positions in ascending order (V uniforms each when τ > 0).
import DiffusionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CreditDecoding's parameters (defaults of `CreditThresholdParallelDecoder`; τ as dInfer's evaluations run it).
public struct CreditDecodingParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultThreshold = 0.9
    public static let defaultCreditAlpha = 0.7
    public static let defaultBoostGamma = 0.2
    public static let defaultDecayBeta = 0.8

    public var temperature: Double?
    public var threshold: Double?
    public var creditAlpha: Double?
    public var boostGamma: Double?
    public var decayBeta: Double?
    public var blockLength: Int?
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case temperature, threshold, creditAlpha = "credit_alpha", boostGamma = "boost_gamma", decayBeta = "decay_beta"
        case blockLength = "block_length", cache
    }

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals from the fused logits (0 = argmax)"),
        SamplerParameter("threshold", "\(defaultThreshold)", "commit masked proposals whose fused confidence ≥ min(threshold, best − 1e-5)"),
        SamplerParameter("credit_alpha", "\(defaultCreditAlpha)", "alpha: fused logits = logits + alpha·ln(1 + credit)"),
        SamplerParameter("boost_gamma", "\(defaultBoostGamma)", "gamma: a masked position's top-1 token gains p1^gamma credit per pass"),
        SamplerParameter("decay_beta", "\(defaultDecayBeta)", "beta: credit decays by this factor each pass of the block"),
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        LoopOptions.cacheParameter,
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let threshold { try requireParameter(threshold >= 0 && threshold <= 1, "threshold", threshold, "must be in [0, 1]") }
        if let creditAlpha { try requireParameter(creditAlpha >= 0 && creditAlpha.isFinite, "credit_alpha", creditAlpha, "must be ≥ 0") }
        if let boostGamma { try requireParameter(boostGamma >= 0 && boostGamma.isFinite, "boost_gamma", boostGamma, "must be ≥ 0") }
        if let decayBeta { try requireParameter(decayBeta >= 0 && decayBeta <= 1, "decay_beta", decayBeta, "must be in [0, 1]") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        try LoopOptions.validateCache(cache)
    }
}

/// CreditDecoding: threshold decoding on logits boosted by each position's decayed history of top-1 predictions.
/// The step budget is not used.
public struct CreditDecoding: Sampler {
    public static let name = "credit_decoding"
    public static let about = SamplerAbout(
        summary: "CreditDecoding: threshold decoding on logits + alpha·ln(1 + credit), credit = decayed sum of past top-1 probabilities^gamma",
        source: "Wang et al. 2025, arXiv 2510.06133; inclusionAI/dInfer parallel_strategy.py: CreditThresholdParallelDecoder", stepBudget: .unused)
    public let config: CreditDecodingParameters
    public init(_ config: CreditDecodingParameters) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = CreditDecodingParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        let block = config.blockLength ?? length
        try BlockCanvas.check(length: length, block: block)
        let threshold = config.threshold ?? D.defaultThreshold
        let (alpha, gamma, beta) = (config.creditAlpha ?? D.defaultCreditAlpha, config.boostGamma ?? D.defaultBoostGamma,
                                    config.decayBeta ?? D.defaultDecayBeta)
        let pick = GumbelPick(temperature: config.temperature ?? D.defaultTemperature)
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var canvas = Canvas(length: length, mask: mask)
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, step) = (0, 0)
        var blockPasses = CachedBlockPasses(mode: LoopOptions.mode(config.cache))
        for b in 0 ..< length / block {
            let range = b * block ..< (b + 1) * block
            blockPasses.startBlock()
            var credit = [[(token: Int, value: Double)]](repeating: [], count: block)  // nonzero C[i, v] of the block
            var blockPass = 0
            while !canvas.maskedPositions(in: range).isEmpty {
                let logits = try blockPasses.pass(prefix: prompt, canvas: canvas.tokens, block: range, denoiser: denoiser)
                passes += 1
                if blockPass > 0 {
                    for i in credit.indices { for k in credit[i].indices { credit[i][k].value *= beta } }
                }
                blockPass += 1
                var candidates: [Candidate] = []
                for position in canvas.maskedPositions(in: range) {
                    logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    let summary = SoftmaxSummary(row)
                    let i = position - range.lowerBound
                    let boost = pow(summary.top1, gamma)
                    if let k = credit[i].firstIndex(where: { $0.token == summary.argmax }) { credit[i][k].value += boost }
                    else { credit[i].append((summary.argmax, 0 + boost)) }
                    for (token, value) in credit[i] { row[token] += alpha * log(value + 1) }
                    let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                    candidates.append(Candidate(position: position, token: proposal.token, score: proposal.probability, pick: proposal))
                }
                let best = candidates.map(\.score).max() ?? -.infinity
                let bar = min(best - 1e-5, threshold)
                let chosen = candidates.indices.filter { candidates[$0].score >= bar }
                for index in chosen { try canvas.commit(candidates[index].position, candidates[index].token, step: step, sampler: Self.name) }
                try trace?.record(StepTrace(step: step, positions: chosen.map { candidates[$0].position }, tokens: chosen.map { candidates[$0].token },
                                            scores: chosen.map { candidates[$0].score }, canvas: canvas.tokens))
                step += 1
            }
        }
        return Generation(tokens: canvas.tokens, forwardPasses: passes, steps: step, commitStep: canvas.commitStep)
    }
}
