import DiffusionCore

/// The forward passes of a block-wise loop under a cache mode (the loop option `cache`, see `CacheMode`): with
/// `.none` every step is a full pass; otherwise the block's first pass is a full pass that fills the cache
/// (`BlockCachingDenoiser.beginBlock`) and its later passes run through the cache, as Fast-dLLM's
/// `generate_with_prefix_cache` and `generate_with_dual_cache` do (NVlabs/Fast-dLLM `llada/generate.py`).
/// Each pass, cached or not, is one forward pass (1 NFE).
struct CachedBlockPasses {
    let mode: CacheMode
    private var cache: (any BlockCache)?

    init(mode: CacheMode) {
        self.mode = mode
    }

    /// The next block starts: its first pass refreshes the cache.
    mutating func startBlock() {
        cache = nil
    }

    /// One pass for `block` of `canvas`: logits [canvas.count, V] of a full pass, or [block.count, V] of a cached one,
    /// checked, with the canvas position of their first row (0, or `block.lowerBound`).
    mutating func logits(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, denoiser: any Denoiser) throws
        -> (logits: Logits, firstRow: Int) {
        let vocabulary = denoiser.vocabularySize
        if let cache {
            let logits = try cache.blockLogits(canvas: canvas)
            try Self.check(logits, rows: block.count, vocabulary: vocabulary)
            return (logits, block.lowerBound)
        }
        let logits: Logits
        if mode == .none {
            logits = try denoiser.logits(prefix: prefix, canvas: canvas, conditioning: nil)
        } else {
            let started = try beginCachedBlock(on: denoiser, prefix: prefix, canvas: canvas, block: block, mode: mode)
            (logits, cache) = (started.logits, started.cache)
        }
        try Self.check(logits, rows: canvas.count, vocabulary: vocabulary)
        return (logits, 0)
    }

    static func check(_ logits: Logits, rows: Int, vocabulary: Int) throws {
        guard logits.rows == rows, logits.vocabularySize == vocabulary else {
            throw SamplerError.unsupportedModel("the denoiser returned \(logits.rows)×\(logits.vocabularySize) logits for \(rows) positions of a \(vocabulary)-token vocabulary")
        }
    }
}

extension GuardedDenoiser: BlockCachingDenoiser {
    /// Counts and checks the refresh pass like `logits`, and every cached pass against the budget.
    func beginBlock(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws
        -> (logits: Logits, cache: any BlockCache) {
        try count(prefix: prefix, canvas: canvas)
        let started = try beginCachedBlock(on: base, prefix: prefix, canvas: canvas, block: block, mode: mode)
        return (started.logits, CountedBlockCache(started.cache) { [unowned self] _ in try countAutoregressivePass() })
    }
}
