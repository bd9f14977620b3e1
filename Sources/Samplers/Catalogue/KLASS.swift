// port of https://github.com/shkim0116/KLASS/blob/main/src/model/llada_klass.py (`stable_confident_decode`,
// alg='klass', unmask_strategy='all'), KL-Adaptive Stability Sampling, Kim et al., NeurIPS 2025, arXiv 2511.05664.
// LLaDA's semi-autoregressive blocks and uniform count; at each forward pass every masked position's distribution is
// compared with the previous pass's, KL(p_t ‖ p_{t−1}) = Σ p_t (ln(p_t + 1e-12) − ln(p_{t−1} + 1e-12)) (p_{−1} = 0),
// and the masked positions of the block whose last `history_length` KLs are all below `kl_threshold` and whose
// proposal has probability above `conf_threshold` are committed together; if none is ready, the step commits the
// scheduled count of the most probable proposals. The history runs across blocks, as in the reference.
// Differences, deliberate:
// - with temperature > 0 the reference computes confidence and KL from softmax(exp(ℓ)/(−ln u)^τ), the softmax of the
//   Gumbel-perturbed *exponentials*; the paper's confidence and KL are of the model's distribution, so here they are
//   read from softmax(ℓ) and only the token is the Gumbel-max sample (see `KLASSReferenceDifferenceTests`);
// - the reference can leave masks in a block (a ready step may commit fewer than the scheduled count, and the block
//   then runs out of steps) and, when the scheduled count exceeds the masks left, its top-k reaches −inf positions
//   and overwrites committed or prompt tokens; here the fallback takes at most the masks left and the block's last
//   step commits every mask left;
// - as in the rest of the catalogue: mask/pad never proposed, a block gets at most as many steps as masks.
import DiffusionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// KLASS's parameters (defaults of `stable_confident_decode`; the authors' LLaDA GSM8K script uses 0.6 / 0.015 / 2).
public struct KLASSParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultConfThreshold = 0.9
    public static let defaultKLThreshold = 0.01
    public static let defaultHistoryLength = 2

    public var temperature: Double?
    public var confThreshold: Double?
    public var klThreshold: Double?
    public var historyLength: Int?
    public var blockLength: Int?
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case temperature, confThreshold = "conf_threshold", klThreshold = "kl_threshold"
        case historyLength = "history_length", blockLength = "block_length", cache
    }

    /// Why KLASS takes only `cache: none`.
    public static let cacheRefusal = "KLASS measures the KL between consecutive passes at every masked position, the later blocks' too (a block's first KLs compare with the pass before it), and a cached pass computes only the block's rows"

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("conf_threshold", "\(defaultConfThreshold)", "a ready position's proposal has probability > this"),
        SamplerParameter("kl_threshold", "\(defaultKLThreshold)", "a ready position's last history_length KLs between passes are all < this"),
        SamplerParameter("history_length", "\(defaultHistoryLength)", "how many consecutive KLs must be below kl_threshold"),
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        LoopOptions.refusedCacheParameter(cacheRefusal),
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let confThreshold { try requireParameter(confThreshold >= 0 && confThreshold <= 1, "conf_threshold", confThreshold, "must be in [0, 1]") }
        if let klThreshold { try requireParameter(klThreshold >= 0 && klThreshold.isFinite, "kl_threshold", klThreshold, "must be ≥ 0") }
        if let historyLength { try requireParameter(historyLength > 0, "history_length", historyLength, "must be positive") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        try LoopOptions.refuseCache(cache, because: Self.cacheRefusal)
    }
}

/// KLASS: commit the masked positions whose distribution has stopped changing and whose proposal is confident.
/// Draws: V uniforms per masked position of the block, in position order, when temperature > 0.
public struct KLASS: Sampler {
    public static let name = "klass"
    public static let about = SamplerAbout(
        summary: "KLASS: commit masked positions whose distribution is stable (KL < kappa for h passes) and confident",
        source: "Kim et al. 2025, arXiv 2511.05664; shkim0116/KLASS src/model/llada_klass.py: stable_confident_decode",
        cacheRefusal: KLASSParameters.cacheRefusal)
    public let config: KLASSParameters
    public init(_ config: KLASSParameters) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = KLASSParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        let block = config.blockLength ?? length
        try BlockCanvas.check(length: length, block: block, steps: steps)
        let (confThreshold, klThreshold) = (config.confThreshold ?? D.defaultConfThreshold, config.klThreshold ?? D.defaultKLThreshold)
        let history = config.historyLength ?? D.defaultHistoryLength
        let pick = GumbelPick(temperature: config.temperature ?? D.defaultTemperature)
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var canvas = Canvas(length: length, mask: mask)
        var previous = [Double](repeating: 0, count: length * vocabulary)  // p_{t−1}, [length, V]
        var kls = [[Double]](repeating: [Double](repeating: 0, count: history), count: length)  // oldest first
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, stepIndex) = (0, 0)
        for b in 0 ..< length / block {
            let range = b * block ..< (b + 1) * block
            let maskedAtStart = canvas.maskedPositions(in: range).count
            let blockSteps = max(1, min(steps / (length / block), maskedAtStart))
            let schedule = UniformCount.schedule(masked: maskedAtStart, steps: blockSteps)
            for j in 0 ..< blockSteps {
                let positions = canvas.maskedPositions(in: range)
                if positions.isEmpty { break }
                let logits = try BlockCanvas.logits(of: denoiser, prefix: prompt, canvas: canvas.tokens, conditioning: nil)
                passes += 1
                // KL of every masked position against the previous pass (committed positions never matter again).
                for position in canvas.maskedPositions(in: 0 ..< length) {
                    logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    let summary = SoftmaxSummary(row)
                    var kl = 0.0
                    for v in 0 ..< vocabulary {
                        let p = summary.probability(of: row[v])
                        kl += p * (log(p + 1e-12) - log(previous[position * vocabulary + v] + 1e-12))
                        previous[position * vocabulary + v] = p
                    }
                    kls[position].removeFirst()
                    kls[position].append(kl)
                }
                var candidates: [Candidate] = []
                for position in positions {
                    logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                    candidates.append(Candidate(position: position, token: proposal.token, score: proposal.probability, pick: proposal))
                }
                let stableAfter = j >= history - 1  // the reference's guard against its zero-initialised history
                var chosen = candidates.indices.filter {
                    stableAfter && candidates[$0].score > confThreshold && kls[candidates[$0].position].allSatisfy { $0 < klThreshold }
                }
                if j == blockSteps - 1 {
                    chosen = rankedByScore(candidates)
                } else if chosen.isEmpty {
                    chosen = Array(rankedByScore(candidates).prefix(schedule[j]))
                }
                for index in chosen {
                    try canvas.commit(candidates[index].position, candidates[index].token, step: stepIndex, sampler: Self.name)
                }
                try trace?.record(StepTrace(
                    step: stepIndex, positions: chosen.map { candidates[$0].position }, tokens: chosen.map { candidates[$0].token },
                    scores: chosen.map { candidates[$0].score }, canvas: canvas.tokens))
                stepIndex += 1
            }
        }
        return Generation(tokens: canvas.tokens, forwardPasses: passes, steps: stepIndex, commitStep: canvas.commitStep)
    }
}
