import DiffusionCore

// Fast-dLLM's prefix and dual KV caches for LLaDA-MoE. Port of the semantics of NVlabs/Fast-dLLM `llada/generate.py`
// (https://github.com/NVlabs/Fast-dLLM/blob/main/llada/generate.py), `generate_with_prefix_cache` and
// `generate_with_dual_cache`: a block's first step runs the whole sequence and keeps every layer's keys and values;
// each later step of the block runs only
// - prefix cache: the block and everything after it (`model(x[:, start:], past_key_values=prefix)`), its queries
//   attending to the kept keys/values of the prompt and earlier blocks and to their own fresh ones;
// - dual cache: the block only (`model(x[:, start:end], past_key_values=all, replace_position=block)`), attending
//   to the kept prefix and suffix and to the block's fresh keys/values, which replace the block's kept ones.
// Positions keep their absolute RoPE angles. Deliberate differences: the LM head runs over the block's rows only (the
// reference computes logits of the whole suffix with the prefix cache and uses the block's); a cached step checks
// that the positions it does not run still hold the tokens of the refresh pass.

extension LLaDAMoEModel: BlockCachingDenoiser {
    public func beginBlock(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws
        -> (logits: Logits, cache: any BlockCache) {
        let cache = try LLaDAMoEBlockCache(model: self, prefix: prefix, canvas: canvas, block: block, mode: mode)
        return (try cache.run(cache.refreshPass), cache)
    }
}

/// The keys and values of one block's refresh pass of a `LLaDAMoEModel` (per layer [T, KVH·hd], after k-norm and
/// RoPE, T = prefix + canvas) and the activation buffers of its passes. Not thread-safe; the model's weights are only
/// read, so caches of different sequences may run at the same time as long as each is used by one thread.
public final class LLaDAMoEBlockCache: BlockCache {
    public let mode: CacheMode
    public let block: Range<Int>
    public let computedPositions: Range<Int>
    let model: LLaDAMoEModel
    let prefixCount: Int
    /// prefix + canvas as run by the last pass.
    private(set) var tokens: [TokenID]
    /// Whether the refresh pass has filled `keys` and `values` (a cached pass before it is refused).
    private(set) var filled = false
    let keys: [UnsafeMutablePointer<Float>]  // per layer [T, KVH·hd]
    let values: [UnsafeMutablePointer<Float>]  // per layer [T, KVH·hd]
    let cosines: [Float], sines: [Float]  // [T, rotaryDim/2]
    /// The activations of this cache's passes run alone: hidden, normed [T, d]; q, attended [T, H·hd]; fresh k, v
    /// [T, KVH·hd]. Allocated at the first pass run alone: a cache whose passes are all batched never needs them
    /// (a batched pass brings its own, `LLaDAMoEModel.blockPasses`).
    private var buffers: [UnsafeMutablePointer<Float>] = []

    init(model: LLaDAMoEModel, prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws {
        let c = model.config
        tokens = prefix + canvas
        let t = tokens.count
        guard mode != .none else { throw ModelInputError("a block cache needs mode prefix or dual, got none") }
        guard !canvas.isEmpty, block.lowerBound >= 0, block.upperBound <= canvas.count, !block.isEmpty else {
            throw ModelInputError("block \(block) is not a non-empty range of the canvas 0..<\(canvas.count)")
        }
        guard t <= c.maxPositions else {
            throw ModelInputError("\(t) tokens exceed the context of \(c.maxPositions) (max_position_embeddings)")
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= c.vocabularySize }) {
            throw ModelInputError("token id \(bad) is outside the vocabulary 0..<\(c.vocabularySize)")
        }
        (self.model, self.mode, self.block, prefixCount) = (model, mode, block, prefix.count)
        computedPositions = mode == .dual ? block : block.lowerBound ..< canvas.count
        let kv = c.keyValueHeadCount * c.headDim
        func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            pointer.initialize(repeating: 0, count: max(count, 1))
            return pointer
        }
        keys = (0 ..< c.layerCount).map { _ in allocate(t * kv) }
        values = (0 ..< c.layerCount).map { _ in allocate(t * kv) }
        (cosines, sines) = model.rotary.tables(length: t)
    }

    deinit { (keys + values + buffers).forEach { $0.deallocate() } }

    public func blockLogits(canvas: [TokenID]) throws -> Logits {
        try run(try cachedPass(canvas: canvas))
    }

    /// One pass of this cache alone, in its own activation buffers.
    func run(_ pass: LLaDAMoEModel.CachedPass) throws -> Logits {
        if buffers.isEmpty {
            let c = model.config
            let (t, q, kv) = (tokens.count, c.headCount * c.headDim, c.keyValueHeadCount * c.headDim)
            buffers = [t * c.hiddenSize, t * c.hiddenSize, t * q, t * q, t * kv, t * kv]
                .map { UnsafeMutablePointer<Float>.allocate(capacity: max($0, 1)) }  // each written before it is read
        }
        return try model.cachedPasses([pass], buffers: buffers)[0]
    }

    /// The refresh pass: every position runs, the canvas rows come out.
    var refreshPass: LLaDAMoEModel.CachedPass {
        LLaDAMoEModel.CachedPass(cache: self, computed: 0 ..< tokens.count, outputRows: prefixCount ..< tokens.count)
    }

    /// Checks `canvas` against the tokens the cache was filled with and takes its computed positions: the pass over
    /// them whose logits are the block's.
    func cachedPass(canvas: [TokenID]) throws -> LLaDAMoEModel.CachedPass {
        guard filled else { throw ModelInputError("a cached pass came before the block's refresh pass filled its cache") }
        guard canvas.count == tokens.count - prefixCount else {
            throw ModelInputError("a cached pass got a canvas of \(canvas.count) tokens; the block's cache holds \(tokens.count - prefixCount)")
        }
        let vocabulary = model.config.vocabularySize
        for (position, token) in canvas.enumerated() {
            if computedPositions.contains(position) {
                guard token >= 0, token < vocabulary else {
                    throw ModelInputError("token id \(token) is outside the vocabulary 0..<\(vocabulary)")
                }
                tokens[prefixCount + position] = token
            } else if tokens[prefixCount + position] != token {
                throw ModelInputError("canvas position \(position) changed since the block's cache was filled, outside the positions a \(mode.rawValue)-cached pass runs (\(computedPositions)); start the block again")
            }
        }
        let absolute = { (range: Range<Int>) in range.lowerBound + self.prefixCount ..< range.upperBound + self.prefixCount }
        return LLaDAMoEModel.CachedPass(cache: self, computed: absolute(computedPositions), outputRows: absolute(block))
    }

    /// Called by a pass that wrote every position's keys and values.
    func markFilled() {
        filled = true
    }
}
