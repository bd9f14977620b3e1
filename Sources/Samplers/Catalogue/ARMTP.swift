// Self-speculative decoding with multi-token-prediction modules: each round drafts k tokens with the MTP modules,
// verifies them together with the next token in one forward pass, and keeps the longest prefix the main model
// agrees with, plus its own next token (the bonus). Under greedy verification the output is greedy AR's exactly.
// DeepSeek-V3 report (arXiv:2412.19437, section 5.4.3, MTP for speculative decoding); the verify-and-accept rule
// of Leviathan et al. 2023 (arXiv:2211.17192, algorithm 1) at temperature 0; llama.cpp `common/speculative.cpp`.
import DiffusionCore

public struct ARMTPParameters: SamplerConfig, Equatable {
    public static let defaultDrafts = 2

    /// Tokens drafted per round (MTP modules used), 1 ... 4 and at most the model's modules.
    public var k: Int?

    public init() {}
    public init(k: Int?) { self.k = k }

    public static let parameters = [SamplerParameter("k", "\(defaultDrafts)", "tokens drafted per round by the MTP modules (1-4)")]

    public func validate() throws {
        if let k { try require((1 ... 4).contains(k), "k must be in 1...4, got \(k)") }
    }

    var drafts: Int { k ?? Self.defaultDrafts }
}

/// AR + MTP: draft k, verify in one pass, accept the agreeing prefix + the bonus token (greedy verification).
public struct ARMTP: Sampler {
    public static let name = "ar_mtp"
    public static let about = SamplerAbout(
        summary: "Autoregressive model with MTP modules: draft k tokens, verify them in one pass, keep the agreeing prefix + 1 (equals ar_greedy)",
        source: "DeepSeek-V3, arXiv 2412.19437 §5.4.3; Leviathan et al. 2023, arXiv 2211.17192 (greedy verification)",
        modelKinds: [.autoregressive], stepBudget: .unused)
    public let config: ARMTPParameters

    public init(_ config: ARMTPParameters) throws {
        try config.validate()
        self.config = config
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        let model = try ARDecoding.model(denoiser, sampler: Self.name)
        let k = config.drafts
        guard model.draftDepth >= k else {
            throw SamplerError.unsupportedModel("\(Self.name) with k = \(k) needs \(k) MTP modules; the model has \(model.draftDepth)")
        }
        let special = model.specialTokens
        var canvas = ARDecoding.Canvas(length: length, specialTokens: special)
        guard length > 0 else { return canvas.generation(forwardPasses: 0) }
        var proposed = [Int](repeating: 0, count: k)
        var accepted = [Int](repeating: 0, count: k)
        var rounds = 0
        let prefill = try model.prefill(prompt)
        var next = ARDecoding.greedy(prefill, row: prefill.rows - 1, specialTokens: special)
        while true {
            // Drafts past the canvas or an end-of-sequence token would be thrown away: draft only what can be kept.
            let count = special.endOfSequence.contains(next.token) ? 0 : min(k, canvas.remaining - 1)
            if count == 0 {
                try canvas.commit([next.token], scores: [next.probability], trace: trace)
                if canvas.finished { break }
                let logits = try model.decode([next.token])
                next = ARDecoding.greedy(logits, row: 0, specialTokens: special)
                continue
            }
            let drafts = try model.draft(next: next.token, count: count) { ARDecoding.greedy($0, row: 0, specialTokens: special).token }.tokens
            let before = model.cachedCount
            let verified = try model.decode([next.token] + drafts)  // row j: the main model's token after draft j
            var checks = (0 ... count).map { ARDecoding.greedy(verified, row: $0, specialTokens: special) }
            var agreed = 0
            while agreed < count, checks[agreed].token == drafts[agreed] { agreed += 1 }
            rounds += 1
            for j in 0 ..< count { proposed[j] += 1 }
            for j in 0 ..< agreed { accepted[j] += 1 }
            try model.truncate(to: before + 1 + agreed)
            let kept = [next] + checks[..<agreed].map { $0 }
            try canvas.commit(kept.map(\.token), scores: kept.map(\.probability), trace: trace)
            if canvas.finished { break }
            next = checks.remove(at: agreed)
        }
        var generation = canvas.generation(forwardPasses: 0)  // `run` writes the measured NFE
        (generation.draftsProposed, generation.draftsAccepted, generation.draftRounds) = (proposed, accepted, rounds)
        return generation
    }
}
