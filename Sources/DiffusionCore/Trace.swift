/// What one denoising step did: the positions it committed (in commit order), their tokens and scores, and the
/// canvas after the step. Samplers send one per step to a `TraceSink`, so a runner can store commit orders and
/// `dlab sample --visual` can redraw the canvas live.
public struct StepTrace: Sendable, Equatable {
    /// 0-based step index over the whole generation.
    public var step: Int
    /// Canvas positions committed (or, for re-noising samplers, accepted) at this step.
    public var positions: [Int]
    /// The token written at each of `positions`.
    public var tokens: [TokenID]
    /// The score that ranked each of `positions` (confidence, −entropy, …; higher is surer).
    public var scores: [Double]
    /// The canvas after the step.
    public var canvas: [TokenID]

    public init(step: Int, positions: [Int], tokens: [TokenID], scores: [Double], canvas: [TokenID]) {
        self.step = step
        self.positions = positions
        self.tokens = tokens
        self.scores = scores
        self.canvas = canvas
    }
}

/// Receives one `StepTrace` per step. It may throw to abort a generation (a guard that found a misbehaving
/// sampler, a user who pressed ctrl-C); the sampler passes the error on.
public protocol TraceSink: AnyObject {
    func record(_ step: StepTrace) throws
}

/// A sink that keeps every step in memory (tests, fixtures, commit-order heatmaps).
public final class TraceRecorder: TraceSink {
    public private(set) var steps: [StepTrace] = []

    public init() {}

    public func record(_ step: StepTrace) throws {
        steps.append(step)
    }

    /// The canvas after each step.
    public var trajectory: [[TokenID]] { steps.map(\.canvas) }
}
