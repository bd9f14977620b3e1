/// A token id in a model's vocabulary.
public typealias TokenID = Int

/// The special tokens a sampler must know about, read from the model's files (never hard-coded).
public struct SpecialTokens: Equatable, Sendable {
    /// The mask token of a masked-diffusion model; nil for uniform-state models.
    public var mask: TokenID?
    /// End-of-sequence / end-of-turn tokens (a model may have several).
    public var endOfSequence: [TokenID]
    /// Padding token, if the model has one.
    public var pad: TokenID?

    public init(mask: TokenID?, endOfSequence: [TokenID], pad: TokenID?) {
        self.mask = mask
        self.endOfSequence = endOfSequence
        self.pad = pad
    }

    /// Tokens that must never be proposed as an answer (mask and pad); samplers set their logits to -inf.
    public var neverGenerated: [TokenID] {
        [mask, pad].compactMap { $0 }
    }
}

/// How a model corrupts text: with a mask token (LLaDA, Dream) or with uniformly random tokens (DiffusionGemma);
/// `autoregressive` models write left to right (see `AutoregressiveModel`).
public enum DiffusionKind: String, Sendable, Codable {
    case masked
    case uniform
    case autoregressive
}
