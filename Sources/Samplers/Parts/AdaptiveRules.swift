import DiffusionCore

// Transfer rules whose count adapts to the model's confidence; each runs until its block is full.

/// Fast-dLLM threshold decoding: the best candidate always, and every other with score ≥ τ
/// (`get_transfer_index` with `threshold`, NVlabs/Fast-dLLM `llada/generate.py`). Runs until the block is full.
public struct ThresholdRule: TransferRule {
    public let threshold: Double
    public init(threshold: Double) { self.threshold = threshold }
    public func steps(budget: Int, masked: Int) -> Int { masked }

    public func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int] {
        let ranked = rankedByScore(candidates)
        return ranked.enumerated().filter { $0.offset == 0 || candidates[$0.element].score >= threshold }.map(\.element)
    }
}

/// Fast-dLLM factor decoding: sorted by score, commit the longest prefix with c(j) ≥ 1 − f/(j+1), j = 1, 2, …
/// (j = 1 always) (`get_transfer_index_dynamic`). Runs until the block is full.
/// The reference also commits the last candidate when only it fails (`top_i == len(threshs) - 1` → +1); this port
/// implements the rule as the paper states it (see `FactorReferenceDifferenceTests`).
public struct FactorRule: TransferRule {
    public let factor: Double
    public init(factor: Double) { self.factor = factor }
    public func steps(budget: Int, masked: Int) -> Int { masked }

    public func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int] {
        let ranked = rankedByScore(candidates)
        var count = ranked.isEmpty ? 0 : 1
        while count < ranked.count, candidates[ranked[count]].score >= 1 - factor / Double(count + 2) { count += 1 }
        return Array(ranked.prefix(count))
    }
}

/// EB-Sampler: sort by entropy ascending, commit the longest prefix with Σ H − max H ≤ γ, at least one
/// (arXiv 2505.24857; `generate_with_eb_sampler`, NEUIR/PC-Sampler). Runs until the block is full.
public struct EntropyBoundRule: TransferRule {
    public let gamma: Double
    public init(gamma: Double) { self.gamma = gamma }
    public func steps(budget: Int, masked: Int) -> Int { masked }

    public func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int] {
        let ranked = candidates.indices.sorted {
            candidates[$0].pick.entropy != candidates[$1].pick.entropy
                ? candidates[$0].pick.entropy < candidates[$1].pick.entropy : candidates[$0].position < candidates[$1].position
        }
        var total = 0.0, count = 0
        for index in ranked {
            total += candidates[index].pick.entropy
            guard total - candidates[index].pick.entropy <= gamma else { break }
            count += 1
        }
        return Array(ranked.prefix(max(count, 1)))
    }
}

/// One position per step, the best scored (first-hitting with a random score; autoregressive with −position).
public struct OnePerStep: TransferRule {
    public init() {}
    public func steps(budget: Int, masked: Int) -> Int { masked }
    public func select(_ candidates: [Candidate], at step: BlockStep, rng: inout SeededGenerator) -> [Int] {
        Array(rankedByScore(candidates).prefix(1))
    }
}
