/// Which keys and values a masked-diffusion sampler keeps across the steps of one block (Fast-dLLM: Wu et al. 2025,
/// arXiv 2505.22618; NVlabs/Fast-dLLM `llada/generate.py`, `generate_with_prefix_cache` and
/// `generate_with_dual_cache`). The first step of every block is a full forward pass that also fills the cache; the
/// block's later steps run only some positions through the model and attend to the stored keys and values of the rest:
/// - `prefix`: stored are the prompt and the canvas before the block; each step runs the block and everything after it;
/// - `dual`: stored are also the positions after the block (still masked); each step runs only the block.
/// The stored keys and values are those of the block's first step, so later steps are approximations of full passes
/// (exact while the stored positions' inputs are unchanged, which a full refresh guarantees).
public enum CacheMode: String, Sendable, Codable, CaseIterable {
    case none, prefix, dual
}

/// A denoiser that can keep keys and values across the steps of a block (see `CacheMode`).
public protocol BlockCachingDenoiser: Denoiser {
    /// One full forward pass over `prefix + canvas` (1 NFE): returns the canvas logits [canvas.count, V], as
    /// `logits(prefix:canvas:conditioning:)` does, and a cache holding the keys and values `mode` keeps for the steps
    /// of `block` (canvas positions). `mode` is `.prefix` or `.dual`.
    func beginBlock(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws
        -> (logits: Logits, cache: any BlockCache)
}

/// The keys and values of one block's refresh pass, serving the block's later steps.
public protocol BlockCache: AnyObject {
    var mode: CacheMode { get }
    /// The block's canvas positions.
    var block: Range<Int> { get }
    /// Canvas positions each cached pass runs through the model (its cost): the block and everything after it for
    /// `prefix`, the block for `dual`.
    var computedPositions: Range<Int> { get }
    /// One forward pass (1 NFE) over `computedPositions` of `canvas`, attending to the stored keys and values of the
    /// other positions. Returns the logits of the block's positions only, [block.count, V] (row i is canvas position
    /// block.lowerBound + i). Positions outside `computedPositions` must hold the tokens of the refresh pass.
    func blockLogits(canvas: [TokenID]) throws -> Logits
}

/// A cache was asked of a model (or wrapper) that cannot keep one.
public struct BlockCacheError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Starts a cached block on `base`, or fails naming the model when it cannot cache: a wrapper's pass-through.
public func beginCachedBlock(on base: any Denoiser, prefix: [TokenID], canvas: [TokenID], block: Range<Int>,
                             mode: CacheMode) throws -> (logits: Logits, cache: any BlockCache) {
    guard mode != .none else { throw BlockCacheError("beginBlock needs cache mode prefix or dual, got none") }
    guard let caching = base as? any BlockCachingDenoiser else {
        throw BlockCacheError("\(String(describing: type(of: base))) cannot keep keys and values across a block's steps (cache: \(mode.rawValue)); use cache: none with this model")
    }
    return try caching.beginBlock(prefix: prefix, canvas: canvas, block: block, mode: mode)
}

/// A block cache whose passes report themselves to `onPass` first (with the positions they compute), so that a
/// wrapper counts, limits or times them like its other forward passes.
public final class CountedBlockCache: BlockCache {
    public let base: any BlockCache
    private let onPass: (_ positions: Int) throws -> Void

    public init(_ base: any BlockCache, onPass: @escaping (_ positions: Int) throws -> Void) {
        self.base = base
        self.onPass = onPass
    }

    public var mode: CacheMode { base.mode }
    public var block: Range<Int> { base.block }
    public var computedPositions: Range<Int> { base.computedPositions }

    public func blockLogits(canvas: [TokenID]) throws -> Logits {
        try onPass(base.computedPositions.count)
        return try base.blockLogits(canvas: canvas)
    }
}
