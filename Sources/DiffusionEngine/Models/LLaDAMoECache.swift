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
        let logits = try cache.pass(computed: 0 ..< cache.tokens.count, outputRows: prefix.count ..< cache.tokens.count)
        return (logits, cache)
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
    private let keys: [UnsafeMutablePointer<Float>]  // per layer [T, KVH·hd]
    private let values: [UnsafeMutablePointer<Float>]  // per layer [T, KVH·hd]
    private let cosines: [Float], sines: [Float]  // [T, rotaryDim/2]
    /// hidden, normed [T, d]; q, attended [T, H·hd]; fresh k, v [T, KVH·hd].
    private let buffers: [UnsafeMutablePointer<Float>]

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
        let (q, kv) = (c.headCount * c.headDim, c.keyValueHeadCount * c.headDim)
        func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            pointer.initialize(repeating: 0, count: max(count, 1))
            return pointer
        }
        keys = (0 ..< c.layerCount).map { _ in allocate(t * kv) }
        values = (0 ..< c.layerCount).map { _ in allocate(t * kv) }
        buffers = [t * c.hiddenSize, t * c.hiddenSize, t * q, t * q, t * kv, t * kv].map(allocate)
        (cosines, sines) = model.rotary.tables(length: t)
    }

    deinit { (keys + values + buffers).forEach { $0.deallocate() } }

    public func blockLogits(canvas: [TokenID]) throws -> Logits {
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
        return try pass(computed: absolute(computedPositions), outputRows: absolute(block))
    }

    /// Runs the rows `computed` of `tokens` (absolute positions) through every layer, storing their keys and values,
    /// their queries attending to all T stored keys; returns the logits of `outputRows` ⊆ `computed`, [rows, V].
    func pass(computed: Range<Int>, outputRows: Range<Int>) throws -> Logits {
        let c = model.config
        let (n, t, d) = (computed.count, tokens.count, c.hiddenSize)
        let (qWidth, kvWidth) = (c.headCount * c.headDim, c.keyValueHeadCount * c.headDim)
        let (hidden, normed, q, attended, k, v) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], buffers[5])
        for (row, token) in tokens[computed].enumerated() {
            model.embedding.expandRow(token, into: hidden + row * d)
        }
        let half = model.rotary.rotaryDim / 2
        try cosines.withUnsafeBufferPointer { cosines in
            try sines.withUnsafeBufferPointer { sines in
                // The computed rows keep their absolute positions: their angles start at row computed.lowerBound.
                let (cos, sin) = (cosines.baseAddress! + computed.lowerBound * half, sines.baseAddress! + computed.lowerBound * half)
                for (index, layer) in model.layers.enumerated() {
                    layer.projectQueryKeyValue(hidden, rows: n, config: c, normed: normed, q: q, k: k, v: v)
                    model.rotary.apply(q, length: n, heads: c.headCount, cos: cos, sin: sin)
                    model.rotary.apply(k, length: n, heads: c.keyValueHeadCount, cos: cos, sin: sin)
                    (keys[index] + computed.lowerBound * kvWidth).update(from: k, count: n * kvWidth)
                    (values[index] + computed.lowerBound * kvWidth).update(from: v, count: n * kvWidth)
                    let shape = Attention.Shape(queries: n, keys: t, heads: c.headCount, keyValueHeads: c.keyValueHeadCount,
                                                headDim: c.headDim)
                    TiledAttention.forward(q: q, k: keys[index], v: values[index], shape: shape, scale: 1 / Float(c.headDim).squareRoot(),
                                           out: attended, threads: MatMul.attentionThreads)
                    MatMul.linear(attended, rows: n, inner: qWidth, weight: layer.output, outer: d, into: hidden, accumulate: true)
                    LLaDAMoELayer.addBias(layer.outputBias, to: hidden, rows: n)
                    RMSNorm.apply(hidden, rows: n, width: d, weight: layer.postAttentionNorm.pointer, eps: c.rmsNormEps, into: normed)
                    if let mixture = layer.mixture {
                        mixture.forward(normed, rows: n, into: attended)  // `attended` reused as the MoE output [n, d]
                        for i in 0 ..< n * d { hidden[i] += attended[i] }
                    } else if let dense = layer.dense {
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * n * dense.hidden)
                        defer { scratch.deallocate() }
                        dense.forward(normed, rows: n, into: hidden, scratch: scratch, accumulate: true)
                    }
                    try FiniteCheck.activations(hidden, rows: n, width: d, layer: index)
                }
            }
        }
        // Final norm and head over the output rows only (RMSNorm is per row).
        let rows = outputRows.count
        RMSNorm.apply(hidden + (outputRows.lowerBound - computed.lowerBound) * d, rows: rows, width: d,
                      weight: model.finalNorm.pointer, eps: c.rmsNormEps, into: normed)
        var logits = [Float](repeating: 0, count: rows * c.vocabularySize)
        logits.withUnsafeMutableBufferPointer { out in
            MatMul.linear(normed, rows: rows, inner: d, weight: model.head, outer: c.vocabularySize, into: out.baseAddress!)
        }
        try FiniteCheck.logits(logits, vocabularySize: c.vocabularySize, firstRow: outputRows.lowerBound - prefixCount)
        return Logits(rows: rows, vocabularySize: c.vocabularySize, values: logits)
    }
}
