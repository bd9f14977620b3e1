import DiffusionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses the token proposed at one position and reports the statistics scores read.
/// `row` holds the position's logits in Float64 after guidance and suppression; a pick may rewrite it.
/// Random draws, in order: whatever the pick documents, from `rng` only.
public protocol TokenPick: Sendable {
    func pick(_ row: UnsafeMutableBufferPointer<Double>, rng: inout SeededGenerator) -> RowPick
}

/// LLaDA's proposal: x0 = argmax_v exp(ℓ_v) / (−ln u_v)^τ with u ~ U(0,1) in Float64 (Gumbel-max ≡ a sample
/// of softmax(ℓ/τ); τ = 0 is argmax and draws nothing). Statistics come from the *un-tempered* softmax(ℓ), as
/// LLaDA reads its confidence. Port of `add_gumbel_noise` in ML-GSAI/LLaDA `generate.py` (Float64 because
/// low-precision Gumbel lowers the effective temperature, arXiv 2409.02908).
/// Draws: V uniforms per position, in vocabulary order, when τ > 0.
public struct GumbelPick: TokenPick {
    public let temperature: Double

    public init(temperature: Double) { self.temperature = temperature }

    public func pick(_ row: UnsafeMutableBufferPointer<Double>, rng: inout SeededGenerator) -> RowPick {
        let summary = SoftmaxSummary(row)
        var token = summary.argmax
        if temperature > 0 {
            var best = -Double.infinity
            for v in 0 ..< row.count {
                let noise = pow(-log(rng.nextOpenUnitDouble()), temperature)
                let value = exp(row[v]) / noise
                if value > best { best = value; token = v }
            }
        }
        return RowPick(token: token, probability: summary.probability(of: row[token]), top1: summary.top1,
                       top2: summary.top2, entropy: summary.entropy)
    }
}

/// Dream's proposal (`sample_tokens` in HKUNLP/Dream `generation_utils.py`): ℓ/τ, then top-p, then top-k, then
/// softmax; τ > 0 samples from it, τ = 0 takes the argmax. Statistics (probability, margin, entropy) come from
/// this processed distribution, as Dream reads them.
/// Differences, deliberate: Float64 throughout; the sample is an inverse-CDF draw with one uniform (torch's
/// `Categorical.sample` cannot be fed a recorded draw), which samples the same distribution.
/// Draws: one uniform per position when τ > 0.
public struct CategoricalPick: TokenPick {
    public let temperature: Double
    public let topP: Double?
    public let topK: Int?

    public init(temperature: Double, topP: Double? = nil, topK: Int? = nil) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
    }

    public func pick(_ row: UnsafeMutableBufferPointer<Double>, rng: inout SeededGenerator) -> RowPick {
        if temperature > 0 { for v in 0 ..< row.count { row[v] /= temperature } }
        if let topP, topP < 1 { Self.keepTopP(row, topP) }
        if let topK, topK < row.count {
            let kth = row.sorted(by: >)[max(topK, 1) - 1]
            for v in 0 ..< row.count where row[v] < kth { row[v] = -.infinity }
        }
        let summary = SoftmaxSummary(row)
        var token = summary.argmax
        if temperature > 0 {
            let u = rng.nextOpenUnitDouble()
            var cumulative = 0.0
            for v in 0 ..< row.count where row[v] > -.infinity {
                cumulative += summary.probability(of: row[v])
                token = v
                if u < cumulative { break }
            }
        }
        return RowPick(token: token, probability: summary.probability(of: row[token]), top1: summary.top1,
                       top2: summary.top2, entropy: summary.entropy)
    }

    /// Dream's `top_p_logits`: keep the most probable tokens up to cumulative probability `p`, and always the first.
    static func keepTopP(_ row: UnsafeMutableBufferPointer<Double>, _ p: Double) {
        let summary = SoftmaxSummary(row)
        let order = (0 ..< row.count).sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
        var cumulative = 0.0
        var remove = [Bool](repeating: false, count: row.count)
        for (rank, v) in order.enumerated() {
            if rank > 0, cumulative > p { remove[v] = true }  // shifted right: the token crossing p stays
            cumulative += summary.probability(of: row[v])
        }
        for v in 0 ..< row.count where remove[v] { row[v] = -.infinity }
    }
}
