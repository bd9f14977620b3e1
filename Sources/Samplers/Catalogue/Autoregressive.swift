// The autoregressive baseline: left to right, one greedy token per forward pass (GPT's `generate` with top-1,
// https://github.com/karpathy/nanoGPT/blob/master/model.py#L306, on a bidirectional masked model: the leftmost
// mask is committed each step). The quality ceiling and the speed floor every curve is read against.
import DiffusionCore

/// No parameters of its own; the loop options apply (`stop_at_eos` ends at the first EOS).
public struct NoParameters: SamplerConfig, Equatable {
    public init() {}
    public static let parameters: [SamplerParameter] = []
}

/// Greedy left-to-right decoding, one token per forward pass. The step budget is not used.
public struct Autoregressive: LoopSampler {
    public static let name = "autoregressive"
    public static let about = SamplerAbout(summary: "Left to right, one greedy token per forward pass (the AR baseline)",
                                           source: "greedy autoregressive decoding", stepBudget: .unused)
    public let config: WithLoop<NoParameters>
    public init(_ config: WithLoop<NoParameters>) throws { try config.validate(); self.config = config }
    public var pick: GumbelPick { GumbelPick(temperature: 0) }
    public var score: LeftToRightScore { LeftToRightScore() }
    public var rule: OnePerStep { OnePerStep() }
}
