import DiffusionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Confidence scores of a proposed token, computed from one row of logits.
public enum Confidence {
    /// The argmax token (excluding `excluded` ids) and its softmax probability over the full row.
    public static func argmaxWithProbability(_ row: UnsafeBufferPointer<Float>, excluding excluded: [TokenID])
        -> (token: TokenID, probability: Float)
    {
        var best = -1
        var bestValue = -Float.infinity
        var maximum = -Float.infinity
        for (index, value) in row.enumerated() {
            if value > maximum { maximum = value }
            if value > bestValue, !excluded.contains(index) {
                best = index
                bestValue = value
            }
        }
        guard best >= 0 else { return (0, 0) }
        var sum: Float = 0
        for value in row { sum += expf(value - maximum) }
        return (best, expf(bestValue - maximum) / sum)
    }
}
