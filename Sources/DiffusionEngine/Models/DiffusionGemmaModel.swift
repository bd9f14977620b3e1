// port of https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/diffusion_gemma/modeling_diffusion_gemma.py#L1214
// (`DiffusionGemmaDecoderModel.forward`, `DiffusionGemmaEncoderTextModel.forward`, `DiffusionGemmaDecoderTextLayer.forward`,
// `DiffusionGemmaDecoderTextAttention.forward`, `DiffusionGemmaForBlockDiffusion.forward`).
import DiffusionCore

/// DiffusionGemma: uniform-state block diffusion with one MoE transformer used twice. A causal **encoder** pass
/// over the prompt (and over each finished canvas) fills a KV cache; a bidirectional **decoder** pass over the
/// canvas attends to that cache and to itself, its input embedding mixed with the previous step's soft prediction
/// (self-conditioning). Per layer: RMSNorm → q/k/v → per-head q/k RMSNorm, v RMSNorm without weight → RoPE
/// (default on sliding layers, proportional on full ones) → attention with scale 1 (sliding layers: the last W
/// positions) → o_proj → RMSNorm → residual; then RMSNorm → dense GELU MLP → RMSNorm, plus RMSNorm → routed
/// experts (router on the residual) → RMSNorm, summed → RMSNorm → residual; times the layer scalar. Logits: final
/// RMSNorm → LM head (the embedding when tied) → soft-capping.
/// Not thread-safe: one instance runs one pass at a time (it keeps the encoder cache and reuses buffers).
public final class DiffusionGemmaModel: Denoiser {
    public let config: DiffusionGemmaConfiguration
    let embedding: StoredMatrix  // [V, d], the decoder's
    let encoderEmbedding: StoredMatrix  // [V, d]
    let head: StoredMatrix  // [V, d]
    let encoderLayers: [DiffusionGemmaLayer]
    let decoderLayers: [DiffusionGemmaLayer]
    let finalNorm: FloatTensor  // [d], the decoder's
    let selfConditioning: DiffusionGemmaSelfConditioning
    let rotaries: [RotaryEmbedding]  // per layer
    let cache: DiffusionGemmaCache
    private let ones: [Float]
    private var ropeTables: [DiffusionGemmaConfiguration.LayerKind: (length: Int, cos: [Float], sin: [Float])] = [:]
    private let scratch: [GrowingRows]
    /// The scratch rows that hold the hidden state [T, d] across a pass (`run` uses 0 ... 6).
    private static let hiddenRows = 7
    /// The source of every weight above (each tensor and matrix also keeps its own bytes alive).
    private let weights: any WeightSource

    public init(config c: DiffusionGemmaConfiguration, weights: any WeightSource) throws {
        config = c
        self.weights = weights
        let (v, d) = (c.vocabularySize, c.hiddenSize)
        embedding = try weights.matrix("model.decoder.embed_tokens.weight", shape: [v, d])
        decoderLayers = try (0 ..< c.layerCount).map {
            try DiffusionGemmaLayer(index: $0, prefix: "model.decoder.layers.\($0).", scalarPrefix: "model.decoder.layers.\($0).",
                                    config: c, weights: weights)
        }
        finalNorm = try weights.tensor("model.decoder.norm.weight", shape: [d])
        selfConditioning = try DiffusionGemmaSelfConditioning(config: c, weights: weights)
        // Tied (the released layout): the encoder reads the decoder's tensors; its layer scalars are its own.
        let encoderPrefix = "model.encoder.language_model."
        encoderEmbedding = c.tieWordEmbeddings ? embedding : try weights.matrix(encoderPrefix + "embed_tokens.weight", shape: [v, d])
        encoderLayers = try (0 ..< c.layerCount).map {
            try DiffusionGemmaLayer(index: $0, prefix: c.tieWordEmbeddings ? "model.decoder.layers.\($0)." : encoderPrefix + "layers.\($0).",
                                    scalarPrefix: encoderPrefix + "layers.\($0).", config: c, weights: weights)
        }
        head = c.tieWordEmbeddings ? embedding : try weights.matrix("lm_head.weight", shape: [v, d])
        rotaries = c.layers.map { RotaryEmbedding(headDim: $0.headDim, inverseFrequencies: $0.inverseFrequencies) }
        cache = DiffusionGemmaCache(config: c)
        ones = [Float](repeating: 1, count: max(d, c.layers.map(\.headDim).max() ?? 0))
        let widest = c.layers.map { c.headCount * $0.headDim }.max() ?? 0
        // normed, q, attended, a, b (each [T, max(d, H·hd)]), MLP scratch [2T, max F], scores [T, S], hidden [T, d].
        // The hidden rows are the model's own (not a local) so that no pointer into them outlives them.
        scratch = [d, widest, widest, d, d, 2 * max(c.intermediateSize, c.expertHidden), 1, d].map { GrowingRows(width: max($0, 1)) }
    }

    // MARK: Denoiser

    public var vocabularySize: Int { config.vocabularySize }
    public var kind: DiffusionKind { .uniform }
    public var specialTokens: SpecialTokens {
        SpecialTokens(mask: nil, endOfSequence: config.endOfSequenceIDs, pad: config.padTokenID)
    }

    /// Encodes what of `prefix` the cache lacks (exactly: the encoder is causal), then runs the decoder on `canvas`.
    /// `conditioning.previousProbabilities` [canvas, V] is the self-conditioning signal (softmax of the previous
    /// step's logits at its temperature); nil on the first step of a canvas.
    public func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        try encode(prefix)
        return try decode(canvas: canvas, conditioning: conditioning)
    }

    // MARK: Encoder

    /// Brings the KV cache to `prefix`: keeps the longest common prefix with what is cached, and encodes the rest
    /// as one causal chunk (as `generate` encodes the prompt, then each finished canvas).
    /// - Parameter tap: called with "encoder.layer.N" hidden states [chunk, d] for port debugging.
    public func encode(_ prefix: [TokenID], tap: ((String, [Float]) -> Void)? = nil) throws {
        try check(prefix, role: "prefix")
        var common = 0
        while common < min(prefix.count, cache.count), prefix[common] == cache.tokens[common] { common += 1 }
        cache.truncate(to: common)
        guard common < prefix.count else { return }
        let chunk = prefix[common...]
        let (t, start, d) = (chunk.count, common, config.hiddenSize)
        cache.reserve(prefix.count)
        let hidden = buffer(Self.hiddenRows, rows: t)
        for (row, token) in chunk.enumerated() {
            let target = hidden + row * d
            encoderEmbedding.expandRow(token, into: target)
            for i in 0 ..< d { target[i] *= config.embedScale }
        }
        for (index, layer) in encoderLayers.enumerated() {
            let window = layer.shape.kind == .sliding ? config.slidingWindow : Int.max
            // Causal: position p sees its own and earlier keys, the last W of them on sliding layers.
            let ranges = (start ..< start + t).map { p in max(0, p - window + 1) ..< p + 1 }
            let last = index == encoderLayers.count - 1
            try run(layer, index: index, hidden: hidden, rows: t, start: start, keyRanges: ranges,
                    attentionOnly: last && tap == nil)  // the last MLP feeds no cached key
            tap?("encoder.layer.\(index)", Array(UnsafeBufferPointer(start: hidden, count: t * d)))
        }
        cache.commit(chunk)
    }

    /// Forgets the encoded prefix.
    public func resetCache() {
        cache.truncate(to: 0)
    }

    // MARK: Decoder

    /// Decoder logits [canvas, V] over the cached prefix: canvas positions continue after it.
    /// - Parameter tap: "decoder.embed" (after self-conditioning), "decoder.layer.N", "decoder.final_norm", each [C, d].
    public func decode(canvas: [TokenID], conditioning: Conditioning?, tap: ((String, [Float]) -> Void)? = nil) throws -> Logits {
        let c = config
        try check(canvas, role: "canvas")
        let (t, start, d, v) = (canvas.count, cache.count, c.hiddenSize, c.vocabularySize)
        guard t > 0 else { throw ModelInputError("empty canvas") }
        guard start + t <= c.maxPositions else {
            throw ModelInputError("prefix \(start) + canvas \(t) tokens exceed the context of \(c.maxPositions) (max_position_embeddings)")
        }
        cache.reserve(start + t)
        let h = buffer(Self.hiddenRows, rows: t)
        for (row, token) in canvas.enumerated() {
            let target = h + row * d
            embedding.expandRow(token, into: target)
            for i in 0 ..< d { target[i] *= c.embedScale }
        }
        if let conditioning {
            let p = conditioning.previousProbabilities
            guard p.rows == t, p.vocabularySize == v else {
                throw ModelInputError("self-conditioning probabilities are [\(p.rows), \(p.vocabularySize)], the canvas needs [\(t), \(v)]")
            }
            // soft = (p · E) · embed_scale [C, d]; signal = MLP(RMSNorm(soft)); h += signal
            let soft = buffer(3, rows: t)
            p.values.withUnsafeBufferPointer { probabilities in
                MatMul.product(probabilities.baseAddress!, rows: t, inner: v, by: embedding, columns: d, into: soft)
            }
            for i in 0 ..< t * d { soft[i] *= c.embedScale }
            RMSNorm.apply(soft, rows: t, width: d, weight: selfConditioning.preNorm.pointer, eps: c.rmsNormEps, into: soft)
            selfConditioning.mlp.forward(soft, rows: t, into: h, scratch: buffer(5, rows: t), accumulate: true)
        }
        RMSNorm.apply(h, rows: t, width: d, weight: ones, eps: c.rmsNormEps, into: h)
        tap?("decoder.embed", Array(UnsafeBufferPointer(start: h, count: t * d)))
        for (index, layer) in decoderLayers.enumerated() {
            // Bidirectional over the cached prefix (its last W − 1 positions on sliding layers) and the whole canvas.
            let lower = layer.shape.kind == .sliding ? max(0, start - (c.slidingWindow - 1)) : 0
            try run(layer, index: index, hidden: h, rows: t, start: start,
                    keyRanges: Array(repeating: lower ..< start + t, count: t), attentionOnly: false)
            tap?("decoder.layer.\(index)", Array(UnsafeBufferPointer(start: h, count: t * d)))
        }
        let normed = buffer(0, rows: t)
        RMSNorm.apply(h, rows: t, width: d, weight: finalNorm.pointer, eps: c.rmsNormEps, into: normed)
        tap?("decoder.final_norm", Array(UnsafeBufferPointer(start: normed, count: t * d)))
        var values = [Float](repeating: 0, count: t * v)
        values.withUnsafeMutableBufferPointer { out in
            MatMul.linear(normed, rows: t, inner: d, weight: head, outer: v, into: out.baseAddress!)
            SoftCap.apply(out.baseAddress!, count: t * v, cap: c.finalLogitSoftcap)
        }
        try FiniteCheck.logits(values, vocabularySize: v)
        return Logits(rows: t, vocabularySize: v, values: values)
    }

    // MARK: Layer

    /// One layer over hidden [T, d] at positions start ..< start + T, in place. Its keys and values go to cache
    /// rows start ..< start + T (committed by the encoder, scratch for the decoder); query t sees keyRanges[t].
    private func run(
        _ layer: DiffusionGemmaLayer, index l: Int, hidden h: UnsafeMutablePointer<Float>, rows t: Int, start: Int,
        keyRanges: [Range<Int>], attentionOnly: Bool
    ) throws {
        let c = config
        let (d, hd, heads, kvHeads) = (c.hiddenSize, layer.shape.headDim, c.headCount, layer.shape.keyValueHeads)
        let (qWidth, kvWidth) = (heads * hd, kvHeads * hd)
        let (normed, q, attended, a, b) = (buffer(0, rows: t), buffer(1, rows: t), buffer(2, rows: t), buffer(3, rows: t), buffer(4, rows: t))
        let keys = cache.keys[l].row(start)
        let values = cache.values[l].row(start)
        RMSNorm.apply(h, rows: t, width: d, weight: layer.inputNorm.pointer, eps: c.rmsNormEps, into: normed)
        MatMul.linear(normed, rows: t, inner: d, weight: layer.query, outer: qWidth, into: q)
        MatMul.linear(normed, rows: t, inner: d, weight: layer.key, outer: kvWidth, into: keys)
        if let value = layer.value {
            MatMul.linear(normed, rows: t, inner: d, weight: value, outer: kvWidth, into: values)
        } else {
            values.update(from: keys, count: t * kvWidth)  // K = V: the raw keys, before k_norm and RoPE
        }
        // Per-head norms: [T, H·hd] is [T·H, hd] in memory; in place is safe (each row is read before written).
        RMSNorm.apply(q, rows: t * heads, width: hd, weight: layer.queryNorm.pointer, eps: c.rmsNormEps, into: q)
        RMSNorm.apply(keys, rows: t * kvHeads, width: hd, weight: layer.keyNorm.pointer, eps: c.rmsNormEps, into: keys)
        RMSNorm.apply(values, rows: t * kvHeads, width: hd, weight: ones, eps: c.rmsNormEps, into: values)
        let (cosines, sines) = tables(for: layer.shape.kind, index: l, length: start + t)
        let half = hd / 2
        cosines.withUnsafeBufferPointer { cos in
            sines.withUnsafeBufferPointer { sin in
                let (cosAt, sinAt) = (cos.baseAddress! + start * half, sin.baseAddress! + start * half)
                rotaries[l].apply(q, length: t, heads: heads, cos: cosAt, sin: sinAt)
                rotaries[l].apply(keys, length: t, heads: kvHeads, cos: cosAt, sin: sinAt)
            }
        }
        let lowest = keyRanges.map(\.lowerBound).min()!
        let highest = keyRanges.map(\.upperBound).max()!
        let span = highest - lowest
        let shape = Attention.Shape(queries: t, keys: span, heads: heads, keyValueHeads: kvHeads, headDim: hd)
        scratch[6].reserve(t * span, keep: 0)
        WindowedAttention.forward(
            q: q, k: cache.keys[l].row(lowest), v: cache.values[l].row(lowest), shape: shape, scale: 1,
            keyRanges: keyRanges.map { $0.lowerBound - lowest ..< $0.upperBound - lowest },
            scores: scratch[6].pointer, out: attended)
        MatMul.linear(attended, rows: t, inner: qWidth, weight: layer.output, outer: d, into: a)
        RMSNorm.apply(a, rows: t, width: d, weight: layer.postAttentionNorm.pointer, eps: c.rmsNormEps, into: a)
        for i in 0 ..< t * d { h[i] += a[i] }
        if attentionOnly { return try FiniteCheck.activations(h, rows: t, width: d, layer: l) }

        // Dense MLP and routed experts side by side, both reading the residual stream h.
        RMSNorm.apply(h, rows: t, width: d, weight: layer.preFeedforwardNorm.pointer, eps: c.rmsNormEps, into: normed)
        layer.mlp.forward(normed, rows: t, into: a, scratch: buffer(5, rows: t))
        RMSNorm.apply(a, rows: t, width: d, weight: layer.postFeedforwardNorm1.pointer, eps: c.rmsNormEps, into: a)
        let routes = layer.mixture.route(h, rows: t)
        RMSNorm.apply(h, rows: t, width: d, weight: layer.preFeedforwardNorm2.pointer, eps: c.rmsNormEps, into: normed)
        layer.mixture.forward(normed, rows: t, routes: routes, into: b)
        RMSNorm.apply(b, rows: t, width: d, weight: layer.postFeedforwardNorm2.pointer, eps: c.rmsNormEps, into: b)
        for i in 0 ..< t * d { a[i] += b[i] }
        RMSNorm.apply(a, rows: t, width: d, weight: layer.postFeedforwardNorm.pointer, eps: c.rmsNormEps, into: a)
        for i in 0 ..< t * d { h[i] = (h[i] + a[i]) * layer.layerScalar }
        try FiniteCheck.activations(h, rows: t, width: d, layer: l)
    }

    // MARK: Helpers

    /// Scratch buffer `index`, large enough for `rows` rows.
    private func buffer(_ index: Int, rows: Int) -> UnsafeMutablePointer<Float> {
        scratch[index].reserve(rows, keep: 0)
        return scratch[index].pointer
    }

    /// cos/sin tables [length, hd/2] of a layer kind (one RoPE per kind), grown on demand.
    private func tables(for kind: DiffusionGemmaConfiguration.LayerKind, index: Int, length: Int) -> ([Float], [Float]) {
        if let cached = ropeTables[kind], cached.length >= length { return (cached.cos, cached.sin) }
        let grown = max(length, 2 * (ropeTables[kind]?.length ?? 0))
        let (cosines, sines) = rotaries[index].tables(length: grown)
        ropeTables[kind] = (grown, cosines, sines)
        return (cosines, sines)
    }

    private func check(_ tokens: [TokenID], role: String) throws {
        if let bad = tokens.first(where: { $0 < 0 || $0 >= config.vocabularySize }) {
            throw ModelInputError("\(role) token id \(bad) is outside the vocabulary 0..<\(config.vocabularySize)")
        }
        if let image = config.imageTokenID, tokens.contains(image) {
            throw ModelInputError("\(role) contains the image placeholder token \(image) (image_token_id): images need "
                + "DiffusionGemma's vision tower, which DiffusionLab does not run (text only)")
        }
        if tokens.count > config.maxPositions {
            throw ModelInputError("\(tokens.count) \(role) tokens exceed the context of \(config.maxPositions) (max_position_embeddings)")
        }
    }
}

extension MatMul {
    /// y = x · w with w in its stored orientation: x [rows, inner], w [inner, columns], y [rows, columns] (e.g.
    /// probabilities [C, V] times the embedding [V, d]).
    static func product(
        _ x: UnsafePointer<Float>, rows: Int, inner: Int, by w: UnsafePointer<Float>, columns: Int,
        into y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(inner),
                    1, x, Int32(inner), w, Int32(columns), 0, y, Int32(columns))
    }

    /// Naive twin of `product`, accumulating in Double.
    static func productNaive(_ x: [Float], rows: Int, inner: Int, by w: [Float], columns: Int) -> [Float] {
        (0 ..< rows * columns).map { index in
            let (r, col) = index.quotientAndRemainder(dividingBy: columns)
            return Float((0 ..< inner).reduce(0.0) { $0 + Double(x[r * inner + $1]) * Double(w[$1 * columns + col]) })
        }
    }
}

import COpenBLAS
