import DiffusionCore
import Foundation

/// LLaDA-MoE: a masked-diffusion MoE transformer with bidirectional attention.
/// Port of inclusionAI's `modeling_lladamoe.py` (copy in ZHZisZZ/dllm, `dllm/pipelines/llada/models/`) and of
/// llama.cpp `src/models/llada-moe.cpp`: embedding → per layer [RMSNorm → q/k/v → per-head q/k RMSNorm → RoPE
/// (NEOX halves) → attention without causal mask → o_proj → residual → RMSNorm → MoE (softmax router, top-k
/// SwiGLU experts, optional shared expert) or dense MLP → residual] → RMSNorm → untied LM head.
/// Not thread-safe: one instance runs one forward pass at a time (it reuses its activation buffers).
public final class LLaDAMoEModel: Denoiser {
    public let config: LLaDAMoEConfiguration
    let embedding: StoredMatrix  // [V, d]
    let layers: [LLaDAMoELayer]
    let finalNorm: FloatTensor  // [d]
    let head: StoredMatrix  // [V, d]
    let rotary: RotaryEmbedding
    private let workspace: Workspace
    /// Activation buffers of batched block-cache passes (`blockPasses`, LLaDAMoECachedPasses.swift), used under
    /// `blockPassLock`: a batching denoiser's passes come one at a time, and reusing the buffers spares each pass
    /// fresh pages.
    let blockPassWorkspace: Workspace
    let blockPassLock = NSLock()
    /// The source of every weight above (each tensor and matrix also keeps its own bytes alive).
    private let weights: any WeightSource

    public init(config c: LLaDAMoEConfiguration, weights: any WeightSource) throws {
        config = c
        self.weights = weights
        embedding = try weights.matrix("model.embed_tokens.weight", shape: [c.vocabularySize, c.hiddenSize])
        layers = try (0 ..< c.layerCount).map { try LLaDAMoELayer(index: $0, config: c, weights: weights) }
        finalNorm = try weights.tensor("model.norm.weight", shape: [c.hiddenSize])
        head = c.tieWordEmbeddings
            ? embedding : try weights.matrix("lm_head.weight", shape: [c.vocabularySize, c.hiddenSize])
        rotary = RotaryEmbedding(headDim: c.headDim, rotaryDim: c.rotaryDim, theta: c.ropeTheta)
        let q = c.headCount * c.headDim
        let kv = c.keyValueHeadCount * c.headDim
        workspace = Workspace { t in
            // hidden, normed, q, k, v, attention out, scores of one query block [min(T, block), T]
            [t * c.hiddenSize, t * c.hiddenSize, t * q, t * kv, t * kv, t * q, min(t, Attention.queryBlock) * t]
        }
        // hidden, normed [N, d]; q, attended [N, H·hd]; k, v [N, KVH·hd] for N stacked rows
        blockPassWorkspace = Workspace { n in [n * c.hiddenSize, n * c.hiddenSize, n * q, n * q, n * kv, n * kv] }
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
        try validate(tokens)
        let t = tokens.count
        if let keyMask, keyMask.count != t {
            throw ModelInputError("key mask has \(keyMask.count) entries for \(t) tokens")
        }
        let rows = outputRows ?? 0 ..< t
        guard rows.lowerBound >= 0, rows.upperBound <= t else { throw ModelInputError("output rows \(rows) outside 0..<\(t)") }
        return try run(stacked: tokens, segments: [0 ..< t], shadows: [nil], keyMask: keyMask, outputRows: [rows], tap: tap)[0]
    }

    /// Several independent sequences in one pass: their rows are stacked for every matmul, norm and expert group,
    /// while attention and positions stay per sequence (each attends only to itself). Returns, per sequence, the
    /// logits of its `outputRows` (relative to that sequence).
    /// - Parameter shadows: per sequence, nil or the positions a shadow block copies (WINO, see `ShadowBlockModel`):
    ///   the sequence's last `count` tokens are then that copy, at those position ids, attended as the reference does.
    public func forward(batch sequences: [(tokens: [TokenID], outputRows: Range<Int>)], shadows: [Range<Int>?]? = nil) throws -> [Logits] {
        var stacked: [TokenID] = []
        var segments: [Range<Int>] = []
        var outputs: [Range<Int>] = []
        let shadows = shadows ?? Array(repeating: nil, count: sequences.count)
        guard shadows.count == sequences.count else { throw ModelInputError("\(shadows.count) shadow blocks for \(sequences.count) sequences") }
        for (sequence, shadow) in zip(sequences, shadows) {
            try validate(sequence.tokens)
            let rows = sequence.outputRows
            guard rows.lowerBound >= 0, rows.upperBound <= sequence.tokens.count else {
                throw ModelInputError("output rows \(rows) outside 0..<\(sequence.tokens.count)")
            }
            if let shadow, shadow.isEmpty || shadow.lowerBound < 0 || shadow.upperBound + shadow.count > sequence.tokens.count {
                throw ModelInputError("a shadow block of positions \(shadow) does not fit a sequence of \(sequence.tokens.count) tokens")
            }
            segments.append(stacked.count ..< stacked.count + sequence.tokens.count)
            outputs.append(rows.lowerBound + stacked.count ..< rows.upperBound + stacked.count)
            stacked += sequence.tokens
        }
        guard !sequences.isEmpty else { return [] }
        return try run(stacked: stacked, segments: segments, shadows: shadows, keyMask: nil, outputRows: outputs, tap: nil)
    }

    private func validate(_ tokens: [TokenID]) throws {
        let c = config
        guard !tokens.isEmpty else { throw ModelInputError("no tokens to run") }
        guard tokens.count <= c.maxPositions else {
            throw ModelInputError("\(tokens.count) tokens exceed the context of \(c.maxPositions) (max_position_embeddings)")
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= c.vocabularySize }) {
            throw ModelInputError("token id \(bad) is outside the vocabulary 0..<\(c.vocabularySize)")
        }
    }

    /// The pass over stacked sequences (`segments`: their rows in `stacked`); `outputRows` are absolute rows.
    /// A key mask is only taken with a single segment; `shadows` as in `forward(batch:shadows:)`.
    private func run(
        stacked tokens: [TokenID], segments: [Range<Int>], shadows: [Range<Int>?], keyMask: [Bool]?, outputRows: [Range<Int>],
        tap: ((String, [Float]) -> Void)?
    ) throws -> [Logits] {
        let c = config
        let t = tokens.count
        let d = c.hiddenSize
        let buffers = workspace.buffers(for: t)
        let (hidden, normed, q, k, v, attended, scores) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], buffers[5], buffers[6])
        for (row, token) in tokens.enumerated() {
            embedding.expandRow(token, into: hidden + row * d)
        }
        tap?("embed", Array(UnsafeBufferPointer(start: hidden, count: t * d)))
        let longest = segments.map(\.count).max() ?? 0
        let (cosines, sines) = rotary.tables(length: longest)
        try cosines.withUnsafeBufferPointer { cosines in
            try sines.withUnsafeBufferPointer { sines in
                try (keyMask ?? []).withUnsafeBufferPointer { mask in
                    for (index, layer) in layers.enumerated() {
                        attention(layer, hidden: hidden, normed: normed, q: q, k: k, v: v, attended: attended, scores: scores,
                                  rows: t, segments: segments, shadows: shadows, keyMask: keyMask == nil ? nil : mask.baseAddress,
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
        // The head over the output rows of every sequence at once: gathered into `attended` (free by now) when the
        // sequences' rows are not already one contiguous range.
        let count = outputRows.reduce(0) { $0 + $1.count }
        var source = normed + (outputRows.first?.lowerBound ?? 0) * d
        if outputRows.count > 1 {
            var row = 0
            for rows in outputRows {
                (attended + row * d).update(from: normed + rows.lowerBound * d, count: rows.count * d)
                row += rows.count
            }
            source = attended
        }
        var values = [Float](repeating: 0, count: count * c.vocabularySize)
        values.withUnsafeMutableBufferPointer { out in
            MatMul.linear(source, rows: count, inner: d, weight: head, outer: c.vocabularySize, into: out.baseAddress!)
        }
        var first = 0
        return try zip(outputRows, segments).map { rows, segment in
            defer { first += rows.count }
            let sequenceValues = Array(values[first * c.vocabularySize ..< (first + rows.count) * c.vocabularySize])
            try FiniteCheck.logits(sequenceValues, vocabularySize: c.vocabularySize, firstRow: rows.lowerBound - segment.lowerBound)
            return Logits(rows: rows.count, vocabularySize: c.vocabularySize, values: sequenceValues)
        }
    }

    /// Attention block of one layer: hidden += o_proj(attention(rope(norm(q)), rope(norm(k)), v)).
    private func attention(
        _ layer: LLaDAMoELayer, hidden: UnsafeMutablePointer<Float>, normed: UnsafeMutablePointer<Float>,
        q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        attended: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>, rows t: Int, segments: [Range<Int>],
        shadows: [Range<Int>?], keyMask: UnsafePointer<Bool>?, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let c = config
        let d = c.hiddenSize
        let qWidth = c.headCount * c.headDim
        let kvWidth = c.keyValueHeadCount * c.headDim
        layer.projectQueryKeyValue(hidden, rows: t, config: c, normed: normed, q: q, k: k, v: v)
        // Positions and attention per sequence: each starts at position 0 and sees only its own keys.
        for (segment, shadow) in zip(segments, shadows) {
            let (first, length) = (segment.lowerBound, segment.count)
            let (sq, sk) = (q + first * qWidth, k + first * kvWidth)
            // A shadow block's copy (the last `shadow.count` rows) takes the position ids of the positions it copies.
            let main = length - (shadow?.count ?? 0)
            rotary.apply(sq, length: main, heads: c.headCount, cos: cos, sin: sin)
            rotary.apply(sk, length: main, heads: c.keyValueHeadCount, cos: cos, sin: sin)
            let shape = Attention.Shape(queries: main, keys: main, heads: c.headCount,
                                        keyValueHeads: c.keyValueHeadCount, headDim: c.headDim)
            TiledAttention.forward(q: sq, k: sk, v: v + first * kvWidth, shape: shape, scale: 1 / Float(c.headDim).squareRoot(),
                                   keyMask: keyMask, out: attended + first * qWidth, threads: MatMul.attentionThreads)
            if let shadow {
                shadowAttention(shadow, main: main, q: sq, k: sk, v: v + first * kvWidth, scores: scores,
                                out: attended + first * qWidth, cos: cos, sin: sin)
            }
        }
        MatMul.linear(attended, rows: t, inner: qWidth, weight: layer.output, outer: d, into: hidden, accumulate: true)
        LLaDAMoELayer.addBias(layer.outputBias, to: hidden, rows: t)
    }

    /// The shadow block's queries (rows `main ..< main + shadow.count` of a segment; `q`, `k`, `v`, `out` point at the
    /// segment's first row): RoPE at the copied positions, then copy row i attends to every key of the segment but
    /// block position `shadow.lowerBound + i` (its own token, hidden) — `decoding_wino`'s attention mask. The main rows
    /// never see the copy (their attention above stops at `main`).
    private func shadowAttention(
        _ shadow: Range<Int>, main: Int, q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>,
        v: UnsafePointer<Float>, scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let c = config
        let (qWidth, kvWidth, half) = (c.headCount * c.headDim, c.keyValueHeadCount * c.headDim, c.rotaryDim / 2)
        let keys = main + shadow.count
        rotary.apply(q + main * qWidth, length: shadow.count, heads: c.headCount,
                     cos: cos + shadow.lowerBound * half, sin: sin + shadow.lowerBound * half)
        rotary.apply(k + main * kvWidth, length: shadow.count, heads: c.keyValueHeadCount,
                     cos: cos + shadow.lowerBound * half, sin: sin + shadow.lowerBound * half)
        let shape = Attention.Shape(queries: 1, keys: keys, heads: c.headCount, keyValueHeads: c.keyValueHeadCount, headDim: c.headDim)
        var visible = [Bool](repeating: true, count: keys)
        for i in 0 ..< shadow.count {
            visible[shadow.lowerBound + i] = false
            visible.withUnsafeBufferPointer { mask in
                Attention.forward(q: q + (main + i) * qWidth, k: k, v: v, shape: shape, keyMask: mask.baseAddress, scores: scores,
                                  out: out + (main + i) * qWidth)
            }
            visible[shadow.lowerBound + i] = true
        }
    }

}

extension LLaDAMoEModel: BatchDenoiser {
    /// The calls' sequences stacked in one pass (see `forward(batch:shadows:)`); a call with a shadow block gets its
    /// canvas rows and then its shadow rows.
    public func logits(batch calls: [DenoiserCall]) throws -> [Logits] {
        var shadows: [Range<Int>?] = []
        let sequences = try calls.map { call -> (tokens: [TokenID], outputRows: Range<Int>) in
            let (p, n) = (call.prefix.count, call.canvas.count)
            guard let block = call.shadowBlock else {
                shadows.append(nil)
                return (call.prefix + call.canvas, p ..< p + n)
            }
            guard !block.isEmpty, block.lowerBound >= 0, block.upperBound <= n else {
                throw ModelInputError("shadow block \(block) is not a range of the \(n) canvas positions")
            }
            shadows.append(p + block.lowerBound ..< p + block.upperBound)
            return (call.prefix + call.canvas + [TokenID](repeating: config.maskTokenID, count: block.count), p ..< p + n + block.count)
        }
        return try forward(batch: sequences, shadows: shadows)
    }
}

extension LLaDAMoEModel: ShadowBlockModel {
    /// LLaDA-MoE runs WINO's shadow block in its forward pass (`forward(batch:shadows:)`).
    public var shadowBlock: (any ShadowBlockModel)? { self }

    public func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits) {
        let rows = try logits(batch: [DenoiserCall(prefix: prefix, canvas: canvas, conditioning: nil, shadowBlock: block)])
        guard let all = rows.first else { throw ModelInputError("no rows for the shadow-block pass") }
        return all.splitShadow(canvasRows: canvas.count)
    }
}
