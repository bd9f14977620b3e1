import DiffusionCore

/// The canvas of a masked-diffusion sampler: tokens, which positions are still masked, and the step at which each
/// position was committed. Commits are checked, so a plug-in sampler that writes an out-of-range or an already
/// committed position gets a clear error instead of a trap or a silent overwrite.
public struct Canvas: Sendable {
    public private(set) var tokens: [TokenID]
    /// For each position, the step (0-based) at which it was committed; -1 while masked.
    public private(set) var commitStep: [Int]
    public let mask: TokenID
    public private(set) var maskedCount: Int

    /// A canvas of `length` mask tokens.
    public init(length: Int, mask: TokenID) {
        tokens = [TokenID](repeating: mask, count: length)
        commitStep = [Int](repeating: -1, count: length)
        self.mask = mask
        maskedCount = length
    }

    public var count: Int { tokens.count }

    @inline(__always) public func isMasked(_ position: Int) -> Bool { commitStep[position] < 0 }

    /// Masked positions in `range`, ascending.
    public func maskedPositions(in range: Range<Int>) -> [Int] {
        range.filter { commitStep[$0] < 0 }
    }

    /// Writes `token` at `position` and marks it committed at `step`.
    /// - Throws: `SamplerError.misbehaved` for a position outside the canvas or one committed before.
    public mutating func commit(_ position: Int, _ token: TokenID, step: Int, sampler: String) throws {
        guard position >= 0, position < tokens.count else {
            throw SamplerError.misbehaved(sampler: sampler, "committed position \(position), outside the canvas 0..<\(tokens.count)")
        }
        guard commitStep[position] < 0 else {
            throw SamplerError.misbehaved(sampler: sampler, "committed position \(position) again at step \(step) (committed at step \(commitStep[position]))")
        }
        tokens[position] = token
        commitStep[position] = step
        maskedCount -= 1
    }

    /// Commits every still-masked position after `position` to `token` (early EOS stop).
    mutating func fill(after position: Int, with token: TokenID, step: Int) {
        for p in position + 1 ..< tokens.count where commitStep[p] < 0 {
            tokens[p] = token
            commitStep[p] = step
            maskedCount -= 1
        }
    }
}
