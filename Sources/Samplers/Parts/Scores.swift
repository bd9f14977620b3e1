import DiffusionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The score that ranks masked positions for commitment; higher is surer.
public protocol ConfidenceScore: Sendable {
    func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double
}

/// Probability of the proposed token (LLaDA `low_confidence`, Dream `maskgit_plus`, Fast-dLLM).
public struct ProbabilityScore: ConfidenceScore {
    public init() {}
    public func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double { pick.probability }
}

/// Top-1 minus top-2 probability (Dream `topk_margin`).
public struct MarginScore: ConfidenceScore {
    public init() {}
    public func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double { pick.top1 - pick.top2 }
}

/// Negative entropy, Σ p ln p (Dream `entropy`, EB-Sampler's order).
public struct NegativeEntropyScore: ConfidenceScore {
    public init() {}
    public func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double { -pick.entropy }
}

/// A uniform random score (LLaDA `random` remasking, first-hitting's uniformly chosen position). Draws one uniform.
public struct RandomScore: ConfidenceScore {
    public init() {}
    public func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double { rng.nextOpenUnitDouble() }
}

/// PC-Sampler's position-aware calibrated confidence (arXiv 2508.13021; `pc_sampler_function` in NEUIR/PC-Sampler
/// `src/generate.py`): exp(−λ·j) · min(−p · ln(f(token) + 1e-9), α), with j the position's offset in its block and f the
/// token's background frequency, so frequent ("trivial") tokens and late positions wait. λ = 0 drops the position prior;
/// with uniform frequencies it is the position-weighted probability.
public struct PositionWeightedScore: ConfidenceScore {
    public let lambda: Double
    public let alpha: Double
    /// Positions are offsets from the start of their block of this length (the whole canvas when it is one block).
    public let blockLength: Int
    /// −ln(f_v + 1e-9) per token id.
    public let negativeLogFrequency: [Double]

    public init(lambda: Double, alpha: Double, blockLength: Int, frequencies: [Double]) {
        (self.lambda, self.alpha, self.blockLength) = (lambda, alpha, blockLength)
        negativeLogFrequency = frequencies.map { -log($0 + 1e-9) }
    }

    public func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double {
        let calibrated = min(pick.probability * negativeLogFrequency[pick.token], alpha)
        return exp(-lambda * Double(position % blockLength)) * calibrated
    }
}

/// −position: the leftmost masked position first (the autoregressive order).
public struct LeftToRightScore: ConfidenceScore {
    public init() {}
    public func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double { -Double(position) }
}
