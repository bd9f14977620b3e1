import DiffusionCore

/// The randomness of the renoise sampler, in the order it is used: the initial canvas (uniform-state models), then
/// per step one sample per position (in position order) and one re-noise canvas (uniform-state models).
public protocol RenoiseDraws {
    /// `length` uniformly random tokens (the initial canvas, or a step's re-noise canvas).
    mutating func noise(length: Int, vocabulary: Int) -> [TokenID]
    /// A token drawn from `probabilities` (the tempered distribution of one position).
    mutating func sample(position: Int, probabilities: [Double]) -> TokenID
}

/// Seeded draws: inverse-CDF sampling with one uniform per position, `nextInt(below:)` for noise.
public struct SeededRenoiseDraws: RenoiseDraws {
    public var rng: SeededGenerator

    public init(rng: SeededGenerator) {
        self.rng = rng
    }

    public mutating func noise(length: Int, vocabulary: Int) -> [TokenID] {
        (0 ..< length).map { _ in rng.nextInt(below: vocabulary) }
    }

    public mutating func sample(position: Int, probabilities: [Double]) -> TokenID {
        let u = rng.nextOpenUnitDouble()
        var (cumulative, token) = (0.0, 0)
        for (v, p) in probabilities.enumerated() {
            if cumulative <= u, p > 0 { token = v }
            cumulative += p
        }
        return token
    }
}
