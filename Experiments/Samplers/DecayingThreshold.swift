// A worked example of a researcher's own sampler (see README.md beside this file): Fast-dLLM's threshold rule,
// but the threshold decays with the step inside a block, τ_j = max(τ_min, τ_0 · decay^j): strict at first,
// when one early mistake would spread, then more and more parallel.
import DiffusionCore
import Foundation
import Samplers

/// The parameters: YAML keys and `--param key=value`. Optional stored values, defaults computed (so a missing key
/// takes its default, and a wrong type is a clear error naming the key).
public struct DecayingThresholdParameters: SamplerConfig {
    public var start: Double?
    public var decay: Double?
    public var floor: Double?

    public init() {}

    public static let parameters = [
        SamplerParameter("start", "0.95", "threshold at the first step of a block"),
        SamplerParameter("decay", "0.8", "factor applied to the threshold at every step"),
        SamplerParameter("floor", "0.3", "the threshold never goes below this"),
    ]

    public func validate() throws {
        guard (decay ?? 0.8) > 0, (decay ?? 0.8) <= 1 else { throw SamplerError.invalidParameter("decay must be in (0, 1]") }
    }
}

/// The transfer rule: the best candidate always, plus every candidate above this step's threshold.
public struct DecayingThresholdRule: TransferRule {
    let start: Double, decay: Double, floor: Double

    public func steps(budget: Int, masked: Int) -> Int { masked }  // ≥ 1 per step, so at most one step per mask

    public func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int] {
        let threshold = max(floor, start * pow(decay, Double(step.step)))
        let ranked = rankedByScore(candidates)  // best first
        return ranked.enumerated().filter { $0.offset == 0 || candidates[$0.element].score >= threshold }.map(\.element)
    }
}

/// The sampler: three parts on the shared loop (so blocks, CFG, EOS options come for free).
public struct DecayingThreshold: LoopSampler {
    public static let name = "decaying_threshold"
    public static let about = SamplerAbout(summary: "Example: confidence threshold that decays with the step",
                                           source: "Experiments/Samplers/DecayingThreshold.swift (worked example)", stepBudget: .unused)
    public let config: WithLoop<DecayingThresholdParameters>

    public init(_ config: WithLoop<DecayingThresholdParameters>) throws {
        try config.validate()
        self.config = config
    }

    public var pick: GumbelPick { GumbelPick(temperature: 0) }           // greedy proposals
    public var score: ProbabilityScore { ProbabilityScore() }            // confidence = p(proposal)
    public var rule: DecayingThresholdRule {
        DecayingThresholdRule(start: config.own.start ?? 0.95, decay: config.own.decay ?? 0.8, floor: config.own.floor ?? 0.3)
    }
}
