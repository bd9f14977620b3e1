import DiffusionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distribution statistics that confidence scores and transfer rules read, for one position. All in Float64
/// (LLaDA computes confidence with `softmax(logits.to(torch.float64))`).
public struct RowPick: Sendable {
    /// The proposed token.
    public var token: TokenID
    /// Probability of `token` under the distribution the pick defines.
    public var probability: Double
    /// Largest and second largest probability.
    public var top1: Double
    public var top2: Double
    /// Shannon entropy in nats, −Σ p ln p.
    public var entropy: Double

    public init(token: TokenID, probability: Double, top1: Double, top2: Double, entropy: Double) {
        self.token = token
        self.probability = probability
        self.top1 = top1
        self.top2 = top2
        self.entropy = entropy
    }
}

/// Softmax statistics of a row of logits (−inf entries have probability 0).
public struct SoftmaxSummary {
    public let maximum: Double
    public let sum: Double  // Σ exp(ℓ − max)
    public let entropy: Double
    public let argmax: Int
    public let top1: Double
    public let top2: Double

    /// One pass for the maximum, one for the sums; sequential order (the fixture ports sum in the same order).
    public init<Row: Collection>(_ row: Row) where Row.Element == Double, Row.Index == Int {
        var maximum = -Double.infinity, second = -Double.infinity, argmax = 0
        for i in row.indices {
            let value = row[i]
            if value > maximum {
                second = maximum
                maximum = value
                argmax = i
            } else if value > second {
                second = value
            }
        }
        var sum = 0.0, weighted = 0.0
        for value in row where value > -Double.infinity {
            let e = exp(value - maximum)
            sum += e
            weighted += e * (value - maximum)
        }
        self.maximum = maximum
        self.sum = sum
        self.argmax = argmax
        entropy = log(sum) - weighted / sum
        top1 = 1 / sum
        top2 = second > -Double.infinity ? exp(second - maximum) / sum : 0
    }

    public func probability(of value: Double) -> Double {
        value > -Double.infinity ? exp(value - maximum) / sum : 0
    }
}
