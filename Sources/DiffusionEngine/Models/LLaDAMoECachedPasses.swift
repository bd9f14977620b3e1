import DiffusionCore

// The forward pass of block caches (LLaDAMoECache.swift), for one cache or for several sequences at once: the
// computed rows of every pass are stacked for the projections, the output projection, the experts and the LM head
// (more rows per weight read, which is what a cached pass of one block lacks), while RoPE, the stored keys and values
// and attention stay per sequence: each pass's queries attend only to its own cache.

extension LLaDAMoEModel {
    /// One pass of a block cache: rows `computed` of `cache.tokens` (absolute positions) run through every layer and
    /// store their keys and values; the logits of `outputRows` ⊆ `computed` come out, [outputRows.count, V].
    struct CachedPass {
        let cache: LLaDAMoEBlockCache
        let computed: Range<Int>
        let outputRows: Range<Int>
    }

    /// The passes stacked in one forward pass; `buffers` hold hidden, normed [N, d], q, attended [N, H·hd] and
    /// k, v [N, KVH·hd] for N = Σ computed rows (or more). The caches must be distinct objects.
    func cachedPasses(_ passes: [CachedPass], buffers: [UnsafeMutablePointer<Float>]) throws -> [Logits] {
        let c = config
        let d = c.hiddenSize
        let (qWidth, kvWidth) = (c.headCount * c.headDim, c.keyValueHeadCount * c.headDim)
        let half = rotary.rotaryDim / 2
        let scale = 1 / Float(c.headDim).squareRoot()
        let (hidden, normed, q, attended, k, v) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], buffers[5])
        // First stacked row of each pass.
        var firstRows: [Int] = []
        var n = 0
        for pass in passes {
            firstRows.append(n)
            for (row, token) in pass.cache.tokens[pass.computed].enumerated() {
                embedding.expandRow(token, into: hidden + (n + row) * d)
            }
            n += pass.computed.count
        }
        for (index, layer) in layers.enumerated() {
            layer.projectQueryKeyValue(hidden, rows: n, config: c, normed: normed, q: q, k: k, v: v)
            for (pass, first) in zip(passes, firstRows) {
                let (rows, start, cache) = (pass.computed.count, pass.computed.lowerBound, pass.cache)
                let (sq, sk, sv) = (q + first * qWidth, k + first * kvWidth, v + first * kvWidth)
                // The computed rows keep their absolute positions: their angles start at row `start`.
                cache.cosines.withUnsafeBufferPointer { cosines in
                    cache.sines.withUnsafeBufferPointer { sines in
                        let (cos, sin) = (cosines.baseAddress! + start * half, sines.baseAddress! + start * half)
                        rotary.apply(sq, length: rows, heads: c.headCount, cos: cos, sin: sin)
                        rotary.apply(sk, length: rows, heads: c.keyValueHeadCount, cos: cos, sin: sin)
                    }
                }
                (cache.keys[index] + start * kvWidth).update(from: sk, count: rows * kvWidth)
                (cache.values[index] + start * kvWidth).update(from: sv, count: rows * kvWidth)
                let shape = Attention.Shape(queries: rows, keys: cache.tokens.count, heads: c.headCount,
                                            keyValueHeads: c.keyValueHeadCount, headDim: c.headDim)
                TiledAttention.forward(q: sq, k: cache.keys[index], v: cache.values[index], shape: shape, scale: scale,
                                       out: attended + first * qWidth, threads: MatMul.attentionThreads)
            }
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
        for pass in passes where pass.computed.count == pass.cache.tokens.count { pass.cache.markFilled() }
        // Final norm (per row) of the output rows only, gathered into `normed`, and one LM head over all of them.
        var outputCount = 0
        for (pass, first) in zip(passes, firstRows) {
            let rows = pass.outputRows.count
            RMSNorm.apply(hidden + (first + pass.outputRows.lowerBound - pass.computed.lowerBound) * d, rows: rows, width: d,
                          weight: finalNorm.pointer, eps: c.rmsNormEps, into: normed + outputCount * d)
            outputCount += rows
        }
        let vocabulary = c.vocabularySize
        // Every element is written by the sgemm (beta 0): no zero fill first.
        let values = [Float](unsafeUninitializedCapacity: outputCount * vocabulary) { out, initialized in
            MatMul.linear(normed, rows: outputCount, inner: d, weight: head, outer: vocabulary, into: out.baseAddress!)
            initialized = outputCount * vocabulary
        }
        var first = 0
        return try passes.map { pass in
            let rows = pass.outputRows.count
            defer { first += rows }
            let own = passes.count == 1 ? values : Array(values[first * vocabulary ..< (first + rows) * vocabulary])
            try FiniteCheck.logits(own, vocabularySize: vocabulary, firstRow: pass.outputRows.lowerBound - pass.cache.prefixCount)
            return Logits(rows: rows, vocabularySize: vocabulary, values: own)
        }
    }
}

extension LLaDAMoEModel: BatchBlockCachingDenoiser {
    public func emptyBlockCache(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws -> any BlockCache {
        try LLaDAMoEBlockCache(model: self, prefix: prefix, canvas: canvas, block: block, mode: mode)
    }

    /// The passes' computed rows stacked in one forward pass (see `cachedPasses`), in the model's buffers for batched
    /// cache passes (taken under a lock; a cache's pass alone uses the cache's own buffers, so caches of different
    /// sequences may still run alone at the same time). Every item is checked before anything runs.
    public func blockPasses(_ items: [BlockPass]) throws -> [Logits] {
        var seen = Set<ObjectIdentifier>()
        let passes = try items.map { item -> CachedPass in
            guard let cache = item.cache as? LLaDAMoEBlockCache, cache.model === self else {
                throw ModelInputError("a batched cached pass got a cache of another model (\(String(describing: type(of: item.cache))))")
            }
            guard seen.insert(ObjectIdentifier(cache)).inserted else {
                throw ModelInputError("a batched cached pass got the same block cache twice")
            }
            guard let canvas = item.canvas else { return cache.refreshPass }
            return try cache.cachedPass(canvas: canvas)
        }
        guard !passes.isEmpty else { return [] }
        if passes.count == 1 { return [try passes[0].cache.run(passes[0])] }
        blockPassLock.lock()
        defer { blockPassLock.unlock() }
        let rows = passes.reduce(0) { $0 + $1.computed.count }
        return try cachedPasses(passes, buffers: blockPassWorkspace.buffers(for: rows))
    }
}
