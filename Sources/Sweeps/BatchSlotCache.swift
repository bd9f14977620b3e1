import DiffusionCore

/// Cached runs batched: a running example's block caches (Fast-dLLM's prefix and dual caches, `CacheMode`) are
/// served within batched passes like its plain calls, so that samplers with `cache: prefix|dual` run unchanged in a
/// batch. The block's refresh pass and each cached pass is one request to the `BatchingDenoiser`, which serves them
/// with `BatchBlockCachingDenoiser.blockPasses` (the sequences' computed rows stacked, each attending to its own
/// kept keys and values).
extension BatchSlot: BlockCachingDenoiser {
    public func beginBlock(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws
        -> (logits: Logits, cache: any BlockCache) {
        guard mode != .none else { throw BlockCacheError("beginBlock needs cache mode prefix or dual, got none") }
        // A model that cannot batch its caches is not run beside the batched passes (it is not thread-safe): the
        // sweep runs such runs one example at a time instead.
        guard let caching = batcher.model as? any BatchBlockCachingDenoiser else {
            throw BlockCacheError("\(String(describing: type(of: batcher.model))) cannot serve block caches in a batched pass (cache: \(mode.rawValue)); run with --batch 1")
        }
        let cache = try caching.emptyBlockCache(prefix: prefix, canvas: canvas, block: block, mode: mode)
        let logits = try submit(.block(BlockPass(cache: cache, canvas: nil)))
        return (logits, SlotBlockCache(slot: self, base: cache))
    }
}

/// A block cache of a batch slot: each cached pass is served within a batched pass.
final class SlotBlockCache: BlockCache {
    let slot: BatchSlot
    let base: any BlockCache

    init(slot: BatchSlot, base: any BlockCache) {
        self.slot = slot
        self.base = base
    }

    var mode: CacheMode { base.mode }
    var block: Range<Int> { base.block }
    var computedPositions: Range<Int> { base.computedPositions }

    func blockLogits(canvas: [TokenID]) throws -> Logits {
        try slot.submit(.block(BlockPass(cache: base, canvas: canvas)))
    }
}
