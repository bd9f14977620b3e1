import DiffusionCore

/// An autoregressive LLaDA-MoE with DeepSeek-V3-style multi-token-prediction (MTP) modules (model_type `ar_moe_mtp`).
/// The main model is the LLaDA-MoE stack (`LLaDAMoELayer`: q/k RMSNorm, NEOX RoPE, softmax top-k experts) with a
/// causal mask and a KV cache; MTP module k (see `ARMoEPredictionModule`) drafts the k-th token after the next one.
/// Reference: `Experiments/models/tools/ar_mtp.py` (`ARMoEMTP.forward`); MTP after the DeepSeek-V3 report
/// (arXiv:2412.19437, section 2.2) and vLLM `vllm/model_executor/models/deepseek_mtp.py`
/// (`DeepSeekMultiTokenPredictorLayer.forward`).
/// Not thread-safe: one instance holds one sequence's cache.
public final class ARMoEModel: Denoiser, AutoregressiveModel {
    public let config: ARMoEConfiguration
    let embedding: StoredMatrix  // [V, d]
    let layers: [LLaDAMoELayer]
    let modules: [ARMoEPredictionModule]
    let finalNorm: FloatTensor  // [d], shared by the MTP modules
    let head: StoredMatrix  // [V, d], shared by the MTP modules
    let rotary: RotaryEmbedding
    /// The main model's cache and the tokens in it.
    let main: ARMoECache
    private(set) var tokens: [TokenID] = []
    /// One cache per MTP module; module k's rows never run past `tokens.count - k` (they depend on cached tokens only).
    let moduleCaches: [ARMoECache]

    public init(config: ARMoEConfiguration, weights: any WeightSource) throws {
        self.config = config
        let c = config.base
        let d = c.hiddenSize
        embedding = try weights.matrix("model.embed_tokens.weight", shape: [c.vocabularySize, d])
        layers = try (0 ..< c.layerCount).map { try LLaDAMoELayer(index: $0, config: c, weights: weights) }
        let extended = config.withModuleLayers
        modules = try (0 ..< config.predictionModules).map {
            try ARMoEPredictionModule(index: c.layerCount + $0, config: extended, weights: weights)
        }
        finalNorm = try weights.tensor("model.norm.weight", shape: [d])
        head = c.tieWordEmbeddings ? embedding : try weights.matrix("lm_head.weight", shape: [c.vocabularySize, d])
        rotary = RotaryEmbedding(headDim: c.headDim, rotaryDim: c.rotaryDim, theta: c.ropeTheta)
        let kvWidth = c.keyValueHeadCount * c.headDim
        main = ARMoECache(layers: c.layerCount, keyValueWidth: kvWidth, hiddenSize: d)
        moduleCaches = (0 ..< config.predictionModules).map { _ in ARMoECache(layers: 1, keyValueWidth: kvWidth, hiddenSize: d) }
    }

    // MARK: Denoiser

    public var vocabularySize: Int { config.base.vocabularySize }
    public var kind: DiffusionKind { .autoregressive }
    /// No mask token: the vocabulary's `<mask>` (shared with the diffusion models' tokenizer) is never generated,
    /// as pad is not.
    public var specialTokens: SpecialTokens {
        SpecialTokens(mask: nil, endOfSequence: config.base.endOfSequenceIDs, pad: config.base.padTokenID)
    }
    public var autoregressive: (any AutoregressiveModel)? { self }

    /// One causal pass over prefix + canvas (the cache is reset); row j is the prediction for canvas position j,
    /// made from everything before it (rows prefix.count − 1 ..< prefix.count + canvas.count − 1).
    public func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        guard !prefix.isEmpty else { throw ModelInputError("an autoregressive model needs a non-empty prefix") }
        guard !canvas.isEmpty else { throw ModelInputError("no canvas positions to predict") }
        let all = try prefill(prefix + canvas.dropLast())
        let start = (prefix.count - 1) * vocabularySize
        return Logits(rows: canvas.count, vocabularySize: vocabularySize, values: Array(all.values[start...]))
    }

    // MARK: AutoregressiveModel

    public var draftDepth: Int { config.predictionModules }
    public var cachedCount: Int { tokens.count }

    public func prefill(_ tokens: [TokenID]) throws -> Logits {
        try truncate(to: 0)
        return try decode(tokens)
    }

    public func decode(_ new: [TokenID]) throws -> Logits {
        let c = config.base
        guard !new.isEmpty else { throw ModelInputError("no tokens to run") }
        guard tokens.count + new.count <= c.maxPositions else {
            throw ModelInputError("\(tokens.count + new.count) tokens exceed the context of \(c.maxPositions) (max_position_embeddings)")
        }
        try checkVocabulary(new)
        let d = c.hiddenSize
        let x = UnsafeMutablePointer<Float>.allocate(capacity: new.count * d)  // [T, d]
        defer { x.deallocate() }
        for (row, token) in new.enumerated() { embedding.expandRow(token, into: x + row * d) }
        try run(layers, cache: main, x: x, rows: new.count)
        tokens += new
        return headLogits(x, rows: new.count)
    }

    public func truncate(to length: Int) throws {
        guard length >= 0, length <= tokens.count else {
            throw ModelInputError("cannot keep \(length) of \(tokens.count) cached tokens")
        }
        tokens.removeLast(tokens.count - length)
        main.truncate(to: length)
        for (index, cache) in moduleCaches.enumerated() { cache.truncate(to: length - (index + 1)) }
    }

    func checkVocabulary(_ ids: [TokenID]) throws {
        if let bad = ids.first(where: { $0 < 0 || $0 >= vocabularySize }) {
            throw ModelInputError("token id \(bad) is outside the vocabulary 0..<\(vocabularySize)")
        }
    }

    // MARK: Forward

    /// Runs `blocks` over x [rows, d] at the positions after those in `cache`, in place: x becomes the blocks' output
    /// hidden state, which is also stored in the cache with each block's keys and values.
    func run(_ blocks: [LLaDAMoELayer], cache: ARMoECache, x: UnsafeMutablePointer<Float>, rows t: Int) throws {
        let c = config.base
        let d = c.hiddenSize
        let start = cache.count
        let total = start + t
        let qWidth = c.headCount * c.headDim
        cache.reserve(total)
        let normed = UnsafeMutablePointer<Float>.allocate(capacity: t * d)  // [T, d]
        let q = UnsafeMutablePointer<Float>.allocate(capacity: t * qWidth)  // [T, H·hd]
        let attended = UnsafeMutablePointer<Float>.allocate(capacity: t * max(qWidth, d))  // [T, H·hd], then MoE out [T, d]
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: t * total)  // [T, S]
        defer { [normed, q, attended, scores].forEach { $0.deallocate() } }
        let (cosines, sines) = rotary.tables(length: total)
        let half = c.rotaryDim / 2
        // Query row r sits at position start + r and sees keys 0 ... start + r (causal).
        let keyRanges = (0 ..< t).map { 0 ..< start + $0 + 1 }
        let shape = Attention.Shape(queries: t, keys: total, heads: c.headCount, keyValueHeads: c.keyValueHeadCount, headDim: c.headDim)
        try cosines.withUnsafeBufferPointer { cosines in
            try sines.withUnsafeBufferPointer { sines in
                guard let cos = cosines.baseAddress, let sin = sines.baseAddress else { throw ModelInputError("empty rotary table") }
                for (index, layer) in blocks.enumerated() {
                    let k = cache.keys[index].row(start)  // [T, KVH·hd], written in place
                    let v = cache.values[index].row(start)
                    layer.projectQueryKeyValue(x, rows: t, config: c, normed: normed, q: q, k: k, v: v)
                    rotary.apply(q, length: t, heads: c.headCount, cos: cos + start * half, sin: sin + start * half)
                    rotary.apply(k, length: t, heads: c.keyValueHeadCount, cos: cos + start * half, sin: sin + start * half)
                    WindowedAttention.forward(
                        q: q, k: cache.keys[index].row(0), v: cache.values[index].row(0), shape: shape,
                        scale: 1 / Float(c.headDim).squareRoot(), keyRanges: keyRanges, scores: scores, out: attended)
                    MatMul.linear(attended, rows: t, inner: qWidth, weight: layer.output, outer: d, into: x, accumulate: true)
                    LLaDAMoELayer.addBias(layer.outputBias, to: x, rows: t)
                    RMSNorm.apply(x, rows: t, width: d, weight: layer.postAttentionNorm.pointer, eps: c.rmsNormEps, into: normed)
                    if let mixture = layer.mixture {
                        mixture.forward(normed, rows: t, into: attended)
                        for i in 0 ..< t * d { x[i] += attended[i] }
                    } else if let dense = layer.dense {
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * t * dense.hidden)
                        defer { scratch.deallocate() }
                        dense.forward(normed, rows: t, into: x, scratch: scratch, accumulate: true)
                    }
                    guard x[0].isFinite else { throw ModelInputError("non-finite activations after layer \(index)") }
                }
            }
        }
        cache.hidden.row(start).update(from: x, count: t * d)
        cache.advance(by: t)
    }

    /// Logits [rows, V] = head(finalNorm(x)) for hidden states x [rows, d].
    func headLogits(_ x: UnsafePointer<Float>, rows: Int) -> Logits {
        let c = config.base
        let normed = UnsafeMutablePointer<Float>.allocate(capacity: rows * c.hiddenSize)
        defer { normed.deallocate() }
        RMSNorm.apply(x, rows: rows, width: c.hiddenSize, weight: finalNorm.pointer, eps: c.rmsNormEps, into: normed)
        var values = [Float](repeating: 0, count: rows * c.vocabularySize)
        values.withUnsafeMutableBufferPointer { out in
            MatMul.linear(normed, rows: rows, inner: c.hiddenSize, weight: head, outer: c.vocabularySize, into: out.baseAddress!)
        }
        return Logits(rows: rows, vocabularySize: c.vocabularySize, values: values)
    }
}
