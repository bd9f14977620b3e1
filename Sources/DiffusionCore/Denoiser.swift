/// What a model may take from the previous denoising step (e.g. DiffusionGemma's self-conditioning: the previous
/// step's probabilities at its temperature). Models that take nothing ignore it.
public struct Conditioning: Sendable {
    /// Probabilities of the previous step for the canvas positions, [canvas, V].
    public var previousProbabilities: Logits

    public init(previousProbabilities: Logits) {
        self.previousProbabilities = previousProbabilities
    }
}

/// What a sampler sees of a model: one call is one forward pass (1 NFE).
public protocol Denoiser: AnyObject {
    var vocabularySize: Int { get }
    var specialTokens: SpecialTokens { get }
    var kind: DiffusionKind { get }
    /// Runs the model over `prefix + canvas` and returns the logits of the canvas positions, [canvas.count, V].
    /// `prefix` is the prompt plus any committed text; the engine may cache its computation.
    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits
    /// The model's left-to-right interface (KV cache, MTP drafting), for samplers of kind `.autoregressive`;
    /// nil for diffusion models. Wrappers hand out a wrapper that counts its forward passes.
    var autoregressive: (any AutoregressiveModel)? { get }
    /// The model's one-pass shadow-block verification (WINO, see `ShadowBlockModel`); nil for models without it.
    /// Wrappers hand out a wrapper that counts its passes.
    var shadowBlock: (any ShadowBlockModel)? { get }
}

extension Denoiser {
    public var autoregressive: (any AutoregressiveModel)? { nil }
    public var shadowBlock: (any ShadowBlockModel)? { nil }
}

/// Wraps a denoiser and counts forward passes, so that the NFE recorded with a result is measured by the core and
/// not reported by the sampler.
public final class CountingDenoiser: Denoiser {
    public let base: any Denoiser
    public private(set) var forwardPasses = 0
    /// Positions run through the model, summed over the passes of `logits` and of block caches (a cached pass runs
    /// only its `computedPositions`): the cost beside the NFE.
    public private(set) var positionsComputed = 0
    /// The cache mode of the last block started through `beginBlock`, or `.none` if no block was cached.
    public private(set) var cacheMode = CacheMode.none

    public init(_ base: any Denoiser) {
        self.base = base
    }

    public var vocabularySize: Int { base.vocabularySize }
    public var specialTokens: SpecialTokens { base.specialTokens }
    public var kind: DiffusionKind { base.kind }

    public func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        forwardPasses += 1
        positionsComputed += prefix.count + canvas.count
        return try base.logits(prefix: prefix, canvas: canvas, conditioning: conditioning)
    }

    public var autoregressive: (any AutoregressiveModel)? {
        base.autoregressive.map { model in CountedAutoregressiveModel(model) { [unowned self] in forwardPasses += 1 } }
    }

    /// A shadow-block pass is one forward pass.
    public var shadowBlock: (any ShadowBlockModel)? {
        base.shadowBlock.map { model in CountedShadowBlock(model) { [unowned self] _, _ in forwardPasses += 1 } }
    }

    public func resetCount() {
        (forwardPasses, positionsComputed, cacheMode) = (0, 0, .none)
    }
}

extension CountingDenoiser: BlockCachingDenoiser {
    /// Counts the refresh pass and every cached pass of the block (1 NFE each); fails naming the model if it cannot cache.
    public func beginBlock(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws
        -> (logits: Logits, cache: any BlockCache) {
        forwardPasses += 1
        positionsComputed += prefix.count + canvas.count
        cacheMode = mode
        let started = try beginCachedBlock(on: base, prefix: prefix, canvas: canvas, block: block, mode: mode)
        return (started.logits, CountedBlockCache(started.cache) { [unowned self] positions in
            forwardPasses += 1
            positionsComputed += positions
        })
    }
}

/// One forward call of a sampler, as a batching denoiser collects it.
public struct DenoiserCall {
    public var prefix: [TokenID]
    public var canvas: [TokenID]
    public var conditioning: Conditioning?
    /// A shadow-block pass (`ShadowBlockModel`) over these canvas positions: the call's logits are then its canvas
    /// rows followed by its shadow rows. Only sent to models whose `shadowBlock` is not nil.
    public var shadowBlock: Range<Int>?

    public init(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?, shadowBlock: Range<Int>? = nil) {
        self.prefix = prefix
        self.canvas = canvas
        self.conditioning = conditioning
        self.shadowBlock = shadowBlock
    }
}

/// A denoiser that serves the calls of several independent examples in one forward pass. Each call's logits must
/// be what `logits(prefix:canvas:conditioning:)` returns for it alone (each sequence attends only to itself).
public protocol BatchDenoiser: Denoiser {
    func logits(batch calls: [DenoiserCall]) throws -> [Logits]
}
