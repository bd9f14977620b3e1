import DiffusionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A masked position's proposal at one step: where, which token, its score and its distribution statistics.
public struct Candidate: Sendable {
    public var position: Int
    public var token: TokenID
    public var score: Double
    public var pick: RowPick

    public init(position: Int, token: TokenID, score: Double, pick: RowPick) {
        (self.position, self.token, self.score, self.pick) = (position, token, score, pick)
    }
}

/// Where a step stands inside its block.
public struct BlockStep: Sendable {
    /// Step index inside the block, and the steps the block was given.
    public var step: Int
    public var steps: Int
    /// Masked positions of the block when it started, and now.
    public var maskedAtStart: Int
    public var masked: Int

    public init(step: Int, steps: Int, maskedAtStart: Int, masked: Int) {
        (self.step, self.steps, self.maskedAtStart, self.masked) = (step, steps, maskedAtStart, masked)
    }
}

/// Decides which candidates a step commits.
public protocol TransferRule: Sendable {
    /// Steps a block gets from its share `budget` of the step budget when it starts with `masked` masks.
    /// The loop stops a block early once it has no masks left.
    func steps(budget: Int, masked: Int) -> Int
    /// Indices into `candidates` (which come in position order) to commit, in commit order.
    func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int]
}

/// Candidate indices by score, highest first; ties go to the leftmost position (the fixtures' rule).
@inline(__always)
public func rankedByScore(_ candidates: [Candidate]) -> [Int] {
    candidates.indices.sorted {
        candidates[$0].score != candidates[$1].score ? candidates[$0].score > candidates[$1].score
            : candidates[$0].position < candidates[$1].position
    }
}

/// LLaDA: a fixed count per step, the block's masks spread evenly (`get_num_transfer_tokens`), highest scores first.
/// Deliberate difference: a block never gets more steps than masks (LLaDA would run forward passes that commit
/// nothing).
public struct UniformCount: TransferRule {
    public init() {}

    /// ⌊M/s⌋ per step, the remainder to the first steps.
    public static func schedule(masked: Int, steps: Int) -> [Int] {
        (0 ..< steps).map { masked / steps + ($0 < masked % steps ? 1 : 0) }
    }

    public func steps(budget: Int, masked: Int) -> Int { max(1, min(budget, masked)) }

    public func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int] {
        let count = Self.schedule(masked: step.maskedAtStart, steps: step.steps)[step.step]
        return Array(rankedByScore(candidates).prefix(count))
    }
}

/// A count per step from a noise schedule (Dream: ⌊M·(1 − s/t)⌋, all on the last step), the top scores first;
/// with `temperature` > 0, positions are sampled without replacement ∝ softmax(score / temperature) (Dream's
/// `alg_temp`), by Gumbel-top-k with one uniform per candidate (torch.multinomial cannot replay a recorded draw).
public struct ScheduledCount: TransferRule {
    public let schedule: any NoiseSchedule
    public let temperature: Double

    public init(schedule: any NoiseSchedule, temperature: Double = 0) {
        self.schedule = schedule
        self.temperature = temperature
    }

    public func steps(budget: Int, masked: Int) -> Int { budget }

    public func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int] {
        let count = step.step == step.steps - 1
            ? step.masked : schedule.transferCount(masked: step.masked, step: step.step, steps: step.steps)
        guard count > 0 else { return [] }
        guard temperature > 0 else { return Array(rankedByScore(candidates).prefix(count)) }
        var keyed = candidates
        for i in keyed.indices { keyed[i].score = keyed[i].score / temperature - log(-log(rng.nextOpenUnitDouble())) }
        return Array(rankedByScore(keyed).prefix(count))
    }
}

/// Each masked position unmasks independently with the schedule's probability (α_s − α_t)/(1 − α_t), all on the
/// last step (Dream `origin`, MDLM ancestral). Draws one uniform per candidate, in position order.
public struct IndependentUnmasking: TransferRule {
    public let schedule: any NoiseSchedule

    public init(schedule: any NoiseSchedule) { self.schedule = schedule }

    public func steps(budget: Int, masked: Int) -> Int { budget }

    public func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int] {
        let last = step.step == step.steps - 1
        let p = last ? 1 : schedule.unmaskProbability(step: step.step, steps: step.steps)
        return candidates.indices.filter { _ in rng.nextOpenUnitDouble() < p }
    }
}
