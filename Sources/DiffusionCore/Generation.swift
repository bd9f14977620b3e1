/// What a sampler returns: the canvas it wrote, how many forward passes that took, and how many steps it ran.
public struct Generation: Sendable, Equatable {
    /// The generated tokens (the canvas after the last step).
    public var tokens: [TokenID]
    /// Forward passes (NFE), as counted by `CountingDenoiser`.
    public var forwardPasses: Int
    /// Denoising steps the sampler ran (a step may cost more than one pass, e.g. with guidance).
    public var steps: Int
    /// For each canvas position, the step (0-based) at which it was committed; -1 if never.
    public var commitStep: [Int]

    public init(tokens: [TokenID], forwardPasses: Int, steps: Int, commitStep: [Int]) {
        self.tokens = tokens
        self.forwardPasses = forwardPasses
        self.steps = steps
        self.commitStep = commitStep
    }

    /// Tokens committed per forward pass.
    public var tokensPerForward: Double {
        forwardPasses == 0 ? 0 : Double(tokens.count) / Double(forwardPasses)
    }
}
