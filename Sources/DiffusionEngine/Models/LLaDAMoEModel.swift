import DiffusionCore

/// LLaDA-MoE: a masked-diffusion MoE transformer with bidirectional attention.
/// Port of inclusionAI's `modeling_lladamoe.py` (copy in ZHZisZZ/dllm, `dllm/pipelines/llada/models/`) and of
/// llama.cpp `src/models/llada-moe.cpp`: embedding → per layer [RMSNorm → q/k/v → per-head q/k RMSNorm → RoPE
/// (NEOX halves) → attention without causal mask → o_proj → residual → RMSNorm → MoE (softmax router, top-k
/// SwiGLU experts, optional shared expert) or dense MLP → residual] → RMSNorm → untied LM head.
/// Not thread-safe: one instance runs one forward pass at a time (it reuses its activation buffers).
public final class LLaDAMoEModel: Denoiser {
    public let config: LLaDAMoEConfiguration
    let embedding: FloatTensor  // [V, d]
    let layers: [LLaDAMoELayer]
    let finalNorm: FloatTensor  // [d]
    let head: FloatTensor  // [V, d]
    let rotary: RotaryEmbedding
    private let workspace: Workspace
    /// Owns the memory of every weight tensor above (see `FloatTensor`): kept for the model's lifetime.
    private let weights: any WeightSource

    public init(config c: LLaDAMoEConfiguration, weights: any WeightSource) throws {
        config = c
        self.weights = weights
        embedding = try weights.tensor("model.embed_tokens.weight", shape: [c.vocabularySize, c.hiddenSize])
        layers = try (0 ..< c.layerCount).map { try LLaDAMoELayer(index: $0, config: c, weights: weights) }
        finalNorm = try weights.tensor("model.norm.weight", shape: [c.hiddenSize])
        head = c.tieWordEmbeddings
            ? embedding : try weights.tensor("lm_head.weight", shape: [c.vocabularySize, c.hiddenSize])
        rotary = RotaryEmbedding(headDim: c.headDim, rotaryDim: c.rotaryDim, theta: c.ropeTheta)
        let q = c.headCount * c.headDim
        let kv = c.keyValueHeadCount * c.headDim
        workspace = Workspace { t in
            // hidden, normed, q, k, v, attention out, scores of one query block [min(T, block), T]
            [t * c.hiddenSize, t * c.hiddenSize, t * q, t * kv, t * kv, t * q, min(t, Attention.queryBlock) * t]
        }
    }

    // MARK: Denoiser

    public var vocabularySize: Int { config.vocabularySize }
    public var kind: DiffusionKind { .masked }
    public var specialTokens: SpecialTokens {
        SpecialTokens(mask: config.maskTokenID, endOfSequence: config.endOfSequenceIDs, pad: config.padTokenID)
    }

    /// One bidirectional pass over prefix + canvas; LLaDA-MoE has no cache, so the prefix is recomputed each call.
    public func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        try forward(tokens: prefix + canvas, outputRows: prefix.count ..< prefix.count + canvas.count)
    }

    // MARK: Forward

    /// Logits [rows, V] of `outputRows` (all positions by default) for `tokens`.
    /// - Parameters:
    ///   - keyMask: per position, false hides it as a key (padding); nil attends to every position.
    ///   - tap: called with named intermediates ("embed", "layer.N", "final_norm"), each [T, d], for port debugging.
    public func forward(
        tokens: [TokenID], keyMask: [Bool]? = nil, outputRows: Range<Int>? = nil,
        tap: ((String, [Float]) -> Void)? = nil
    ) throws -> Logits {
        let c = config
        let t = tokens.count
        guard t > 0 else { throw ModelInputError("no tokens to run") }
        guard t <= c.maxPositions else {
            throw ModelInputError("\(t) tokens exceed the context of \(c.maxPositions) (max_position_embeddings)")
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= c.vocabularySize }) {
            throw ModelInputError("token id \(bad) is outside the vocabulary 0..<\(c.vocabularySize)")
        }
        if let keyMask, keyMask.count != t {
            throw ModelInputError("key mask has \(keyMask.count) entries for \(t) tokens")
        }
        let rows = outputRows ?? 0 ..< t
        guard rows.lowerBound >= 0, rows.upperBound <= t else { throw ModelInputError("output rows \(rows) outside 0..<\(t)") }

        let d = c.hiddenSize
        let buffers = workspace.buffers(for: t)
        let (hidden, normed, q, k, v, attended, scores) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], buffers[5], buffers[6])
        for (row, token) in tokens.enumerated() {
            (hidden + row * d).update(from: embedding.row(token), count: d)
        }
        tap?("embed", Array(UnsafeBufferPointer(start: hidden, count: t * d)))
        let (cosines, sines) = rotary.tables(length: t)
        let shape = Attention.Shape(queries: t, keys: t, heads: c.headCount, keyValueHeads: c.keyValueHeadCount, headDim: c.headDim)
        try cosines.withUnsafeBufferPointer { cosines in
            try sines.withUnsafeBufferPointer { sines in
                try (keyMask ?? []).withUnsafeBufferPointer { mask in
                    for (index, layer) in layers.enumerated() {
                        attention(layer, hidden: hidden, normed: normed, q: q, k: k, v: v, attended: attended, scores: scores,
                                  shape: shape, keyMask: keyMask == nil ? nil : mask.baseAddress,
                                  cos: cosines.baseAddress!, sin: sines.baseAddress!)
                        RMSNorm.apply(hidden, rows: t, width: d, weight: layer.postAttentionNorm.pointer, eps: c.rmsNormEps, into: normed)
                        if let mixture = layer.mixture {
                            mixture.forward(normed, rows: t, into: attended)  // reuse `attended` as MoE output [T, d]
                            for i in 0 ..< t * d { hidden[i] += attended[i] }
                        } else if let dense = layer.dense {
                            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * t * dense.hidden)
                            defer { scratch.deallocate() }
                            dense.forward(normed, rows: t, into: hidden, scratch: scratch, accumulate: true)
                        }
                        tap?("layer.\(index)", Array(UnsafeBufferPointer(start: hidden, count: t * d)))
                        try FiniteCheck.activations(hidden, rows: t, width: d, layer: index)
                    }
                }
            }
        }
        RMSNorm.apply(hidden, rows: t, width: d, weight: finalNorm.pointer, eps: c.rmsNormEps, into: normed)
        tap?("final_norm", Array(UnsafeBufferPointer(start: normed, count: t * d)))
        var values = [Float](repeating: 0, count: rows.count * c.vocabularySize)
        values.withUnsafeMutableBufferPointer { out in
            MatMul.linear(normed + rows.lowerBound * d, rows: rows.count, inner: d, weight: head.pointer,
                          outer: c.vocabularySize, into: out.baseAddress!)
        }
        try FiniteCheck.logits(values, vocabularySize: c.vocabularySize, firstRow: rows.lowerBound)
        return Logits(rows: rows.count, vocabularySize: c.vocabularySize, values: values)
    }

    /// Attention block of one layer: hidden += o_proj(attention(rope(norm(q)), rope(norm(k)), v)).
    private func attention(
        _ layer: LLaDAMoELayer, hidden: UnsafeMutablePointer<Float>, normed: UnsafeMutablePointer<Float>,
        q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        attended: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>, shape: Attention.Shape,
        keyMask: UnsafePointer<Bool>?, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let c = config
        let (t, d) = (shape.queries, c.hiddenSize)
        let qWidth = c.headCount * c.headDim
        let kvWidth = c.keyValueHeadCount * c.headDim
        RMSNorm.apply(hidden, rows: t, width: d, weight: layer.inputNorm.pointer, eps: c.rmsNormEps, into: normed)
        MatMul.linear(normed, rows: t, inner: d, weight: layer.query.pointer, outer: qWidth, into: q)
        MatMul.linear(normed, rows: t, inner: d, weight: layer.key.pointer, outer: kvWidth, into: k)
        MatMul.linear(normed, rows: t, inner: d, weight: layer.value.pointer, outer: kvWidth, into: v)
        addBias(layer.queryBias, to: q, rows: t)
        addBias(layer.keyBias, to: k, rows: t)
        addBias(layer.valueBias, to: v, rows: t)
        if let clip = c.clipQKV {
            for buffer in [(q, t * qWidth), (k, t * kvWidth), (v, t * kvWidth)] {
                for i in 0 ..< buffer.1 { buffer.0[i] = min(max(buffer.0[i], -clip), clip) }
            }
        }
        if let queryNorm = layer.queryNorm, let keyNorm = layer.keyNorm {
            // Per-head RMSNorm: [T, H·hd] is [T·H, hd] in memory. In place is safe: each row is read before written.
            RMSNorm.apply(q, rows: t * c.headCount, width: c.headDim, weight: queryNorm.pointer, eps: c.rmsNormEps, into: q)
            RMSNorm.apply(k, rows: t * c.keyValueHeadCount, width: c.headDim, weight: keyNorm.pointer, eps: c.rmsNormEps, into: k)
        }
        rotary.apply(q, length: t, heads: c.headCount, cos: cos, sin: sin)
        rotary.apply(k, length: t, heads: c.keyValueHeadCount, cos: cos, sin: sin)
        Attention.forward(q: q, k: k, v: v, shape: shape, keyMask: keyMask, scores: scores, out: attended)
        MatMul.linear(attended, rows: t, inner: qWidth, weight: layer.output.pointer, outer: d, into: hidden, accumulate: true)
        addBias(layer.outputBias, to: hidden, rows: t)
    }

    private func addBias(_ bias: FloatTensor?, to x: UnsafeMutablePointer<Float>, rows: Int) {
        guard let bias else { return }
        let width = bias.count
        bias.withUnsafePointer { b in
            for r in 0 ..< rows {
                for i in 0 ..< width { x[r * width + i] += b[i] }
            }
        }
    }
}
