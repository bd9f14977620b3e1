/// One pass of a block cache inside a batched pass (`BatchBlockCachingDenoiser.blockPasses`): the refresh pass
/// that fills `cache` (`canvas` nil: the cache's own prefix and canvas run whole, giving logits [canvas.count, V] as
/// `BlockCachingDenoiser.beginBlock` does) or a cached pass over `canvas` (logits [block.count, V], as
/// `BlockCache.blockLogits` gives).
public struct BlockPass {
    public var cache: any BlockCache
    public var canvas: [TokenID]?

    public init(cache: any BlockCache, canvas: [TokenID]?) {
        self.cache = cache
        self.canvas = canvas
    }
}

/// A model that serves the block-cache passes of several independent sequences in one batched pass (their computed
/// rows stacked for the matmuls and experts, each attending to its own kept keys and values), so that a batching
/// denoiser can serve cached runs too. Each pass's logits must be what it gives alone, up to the rounding of the
/// stacked matmuls.
public protocol BatchBlockCachingDenoiser: BatchDenoiser, BlockCachingDenoiser {
    /// A cache for `block` of `prefix + canvas` (checked as `beginBlock` checks them), not filled yet: its first pass
    /// must be the refresh pass, `BlockPass(cache:canvas: nil)`.
    func emptyBlockCache(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws -> any BlockCache

    /// One forward pass (1 NFE) of each item, served together; results in the order of `passes`.
    func blockPasses(_ passes: [BlockPass]) throws -> [Logits]
}
