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

/// Probability weighted by exp(−λ·position): λ > 0 leans left to right (PC-Sampler's position prior).
public struct PositionWeightedScore: ConfidenceScore {
    public let lambda: Double
    public init(lambda: Double) { self.lambda = lambda }
    public func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double {
        exp(-lambda * Double(position)) * pick.probability
    }
}

/// −position: the leftmost masked position first (the autoregressive order).
public struct LeftToRightScore: ConfidenceScore {
    public init() {}
    public func score(_ pick: RowPick, position: Int, rng: inout SeededGenerator) -> Double { -Double(position) }
}
