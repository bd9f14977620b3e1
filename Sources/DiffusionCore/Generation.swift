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
    /// Self-speculative drafting (AR + MTP): per draft position j (0-based, the j+1-th token after the verified
    /// one), the rounds that drafted it and those whose verification accepted it (with every earlier draft of the
    /// round). Empty for samplers that do not draft. Drafts proposed = MTP module passes.
    public var draftsProposed: [Int] = []
    public var draftsAccepted: [Int] = []
    /// Verification rounds (forward passes that checked drafts).
    public var draftRounds = 0

    public init(tokens: [TokenID], forwardPasses: Int, steps: Int, commitStep: [Int]) {
        self.tokens = tokens
        self.forwardPasses = forwardPasses
        self.steps = steps
        self.commitStep = commitStep
    }

    /// Per draft position, the fraction of drafts accepted (nil where none was proposed).
    public var acceptanceRates: [Double?] {
        zip(draftsProposed, draftsAccepted).map { proposed, accepted in proposed == 0 ? nil : Double(accepted) / Double(proposed) }
    }

    /// Mean accepted drafts per verification round + 1: the tokens one verifying pass commits.
    public var meanAcceptedPlusOne: Double? {
        draftRounds == 0 ? nil : Double(draftsAccepted.reduce(0, +)) / Double(draftRounds) + 1
    }

    /// Tokens committed per forward pass.
    public var tokensPerForward: Double {
        forwardPasses == 0 ? 0 : Double(tokens.count) / Double(forwardPasses)
    }
}
