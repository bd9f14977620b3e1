/// What an autoregressive sampler sees of a causal model with a KV cache and multi-token-prediction (MTP) modules.
/// The cache holds the tokens run so far; `prefill` and `decode` are forward passes of the main model (1 NFE
/// each, whatever their length); `draft` runs only the small MTP modules (counted apart, as draft passes).
public protocol AutoregressiveModel: AnyObject {
    var vocabularySize: Int { get }
    var specialTokens: SpecialTokens { get }
    /// MTP modules: how many tokens past the next one `draft` can propose (0 for a plain AR model).
    var draftDepth: Int { get }
    /// Tokens in the main model's cache.
    var cachedCount: Int { get }
    /// Empties the cache and runs `tokens`; logits [tokens.count, V], row j predicts the token after tokens[j].
    func prefill(_ tokens: [TokenID]) throws -> Logits
    /// Appends `tokens` to the cache in one pass (causal among themselves); logits [tokens.count, V], row j
    /// predicts the token after tokens[j]. Verifying k drafted tokens is one `decode` of k + 1 tokens.
    func decode(_ tokens: [TokenID]) throws -> Logits
    /// Keeps the first `length` cached tokens (drops rejected drafts); exact, since no row depends on later ones.
    func truncate(to length: Int) throws
    /// Drafts up to `count` tokens after the cached ones and `next` (the token chosen from the last cached row,
    /// not yet in the cache): MTP module k proposes the k-th token after `next` from module k − 1's state. `choose`
    /// picks each draft from its module's logits [1, V]. Returns the drafts and their logits, one per module.
    func draft(next: TokenID, count: Int, choose: (Logits) throws -> TokenID) throws -> (tokens: [TokenID], logits: [Logits])
}

/// An autoregressive model whose `prefill` and `decode` calls report themselves to `onPass` first (the measured NFE;
/// `onPass` may throw to stop a run that exceeded its budget).
public final class CountedAutoregressiveModel: AutoregressiveModel {
    public let base: any AutoregressiveModel
    private let onPass: () throws -> Void
    /// MTP module passes (one per drafted token).
    public private(set) var draftPasses = 0

    public init(_ base: any AutoregressiveModel, onPass: @escaping () throws -> Void) {
        self.base = base
        self.onPass = onPass
    }

    public var vocabularySize: Int { base.vocabularySize }
    public var specialTokens: SpecialTokens { base.specialTokens }
    public var draftDepth: Int { base.draftDepth }
    public var cachedCount: Int { base.cachedCount }

    public func prefill(_ tokens: [TokenID]) throws -> Logits {
        try onPass()
        return try base.prefill(tokens)
    }

    public func decode(_ tokens: [TokenID]) throws -> Logits {
        try onPass()
        return try base.decode(tokens)
    }

    public func truncate(to length: Int) throws {
        try base.truncate(to: length)
    }

    public func draft(next: TokenID, count: Int, choose: (Logits) throws -> TokenID) throws -> (tokens: [TokenID], logits: [Logits]) {
        let result = try base.draft(next: next, count: count, choose: choose)
        draftPasses += result.tokens.count
        return result
    }
}
