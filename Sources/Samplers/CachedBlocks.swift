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
        if cache?.block != block { cache = nil }  // a pass for another block refreshes, as `startBlock` would
        if let cache {
            let logits = try cache.blockLogits(canvas: canvas)
            try Self.check(logits, rows: block.count, vocabulary: vocabulary)
            return (logits, block.lowerBound)
        }
        if mode == .none {
            return (try BlockCanvas.logits(of: denoiser, prefix: prefix, canvas: canvas, conditioning: nil), 0)
        }
        let started = try beginCachedBlock(on: denoiser, prefix: prefix, canvas: canvas, block: block, mode: mode)
        cache = started.cache
        try Self.check(started.logits, rows: canvas.count, vocabulary: vocabulary)
        return (started.logits, 0)
    }

    /// One pass for `block` of `canvas` as rows addressed by canvas position (see `BlockPassLogits`): the forward
    /// pass of every block-wise sampler with a loop of its own.
    mutating func pass(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, denoiser: any Denoiser) throws -> BlockPassLogits {
        let (logits, firstRow) = try logits(prefix: prefix, canvas: canvas, block: block, denoiser: denoiser)
        return BlockPassLogits(logits: logits, firstRow: firstRow)
    }

    static func check(_ logits: Logits, rows: Int, vocabulary: Int) throws {
        guard logits.rows == rows, logits.vocabularySize == vocabulary else {
            throw SamplerError.unsupportedModel("the denoiser returned \(logits.rows)×\(logits.vocabularySize) logits for \(rows) positions of a \(vocabulary)-token vocabulary")
        }
    }
}

/// The logits of one block pass, addressed by canvas position: every position after a full pass, the block's positions
/// after a cached one. A sampler that takes `cache` reads only its block's rows between `startBlock` calls.
struct BlockPassLogits {
    let logits: Logits
    /// The canvas position of row 0.
    let firstRow: Int

    /// Canvas positions with a row.
    var positions: Range<Int> { firstRow ..< firstRow + logits.rows }

    /// The row of canvas position `position` (one of `positions`).
    func withRow<R>(_ position: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try logits.withRow(position - firstRow, body)
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

extension SamplerEntry {
    /// What the sampler does with the loop option `cache`, as `dlab samplers show` prints it.
    public var cacheSupport: String {
        if let refusal = about.cacheRefusal { return "none only: " + refusal }
        guard parameters.contains(where: { $0.key == "cache" }) else { return "not an option of this sampler" }
        return "none, prefix or dual (Fast-dLLM KV caches: a block's first pass is a full pass that fills the cache, its later passes run through it; 1 NFE each)"
    }
}
