/// The weights of one LLaDA-MoE transformer layer, looked up by their Hugging Face names.
struct LLaDAMoELayer {
    let inputNorm: FloatTensor  // [d]
    let query: StoredMatrix  // [H·hd, d]
    let key: StoredMatrix  // [KVH·hd, d]
    let value: StoredMatrix  // [KVH·hd, d]
    let output: StoredMatrix  // [d, H·hd]
    let queryBias: FloatTensor?  // [H·hd], only with attention_bias
    let keyBias: FloatTensor?
    let valueBias: FloatTensor?
    let outputBias: FloatTensor?
    let queryNorm: FloatTensor?  // [hd], per-head RMSNorm
    let keyNorm: FloatTensor?  // [hd]
    let postAttentionNorm: FloatTensor  // [d]
    /// Exactly one of the two MLP kinds, per `moe_layer_freq`.
    let mixture: MixtureOfExperts?
    let dense: GatedMLP?

    init(index n: Int, config c: LLaDAMoEConfiguration, weights: any WeightSource) throws {
        let p = "model.layers.\(n)."
        let d = c.hiddenSize
        let q = c.headCount * c.headDim
        let kv = c.keyValueHeadCount * c.headDim
        func load(_ name: String, _ shape: [Int]) throws -> FloatTensor { try weights.tensor(p + name, shape: shape) }
        func matrix(_ name: String, _ shape: [Int]) throws -> StoredMatrix { try weights.matrix(p + name, shape: shape) }
        func swiglu(_ prefix: String, hidden: Int) throws -> GatedMLP {
            GatedMLP(
                gate: try matrix(prefix + "gate_proj.weight", [hidden, d]),
                up: try matrix(prefix + "up_proj.weight", [hidden, d]),
                down: try matrix(prefix + "down_proj.weight", [d, hidden]), activation: .silu)
        }
        inputNorm = try load("input_layernorm.weight", [d])
        query = try matrix("self_attn.q_proj.weight", [q, d])
        key = try matrix("self_attn.k_proj.weight", [kv, d])
        value = try matrix("self_attn.v_proj.weight", [kv, d])
        output = try matrix("self_attn.o_proj.weight", [d, q])
        if c.attentionBias {
            queryBias = try load("self_attn.q_proj.bias", [q])
            keyBias = try load("self_attn.k_proj.bias", [kv])
            valueBias = try load("self_attn.v_proj.bias", [kv])
            outputBias = try load("self_attn.o_proj.bias", [d])
        } else {
            (queryBias, keyBias, valueBias, outputBias) = (nil, nil, nil, nil)
        }
        if c.qkNorm {
            queryNorm = try load("self_attn.q_norm.weight", [c.headDim])
            keyNorm = try load("self_attn.k_norm.weight", [c.headDim])
        } else {
            (queryNorm, keyNorm) = (nil, nil)
        }
        postAttentionNorm = try load("post_attention_layernorm.weight", [d])
        if c.moeLayers[n] {
            let experts = try (0 ..< c.expertCount).map { e in try swiglu("mlp.experts.\(e).", hidden: c.expertHidden) }
            mixture = MixtureOfExperts(
                router: try matrix("mlp.gate.weight", [c.expertCount, d]),
                experts: experts,
                topK: c.expertsPerToken,
                normalizeTopK: c.normalizeTopK,
                expertBias: c.expertBias ? try load("mlp.expert_bias", [c.expertCount]) : nil,
                shared: try c.sharedExpertHidden.map { try swiglu("shared_expert.", hidden: $0) })
            dense = nil
        } else {
            mixture = nil
            dense = try swiglu("mlp.", hidden: c.denseHidden ?? 0)
        }
    }
}

extension LLaDAMoELayer {
    /// The attention inputs of this layer for rows x [T, d]: RMSNorm into `normed` [T, d], then q [T, H·hd],
    /// k, v [T, KVH·hd] with their biases, the optional clip, and the per-head q/k RMSNorm. RoPE and attention are
    /// the caller's: bidirectional per sequence for LLaDA-MoE, causal over a KV cache for the AR model.
    func projectQueryKeyValue(
        _ x: UnsafePointer<Float>, rows t: Int, config c: LLaDAMoEConfiguration, normed: UnsafeMutablePointer<Float>,
        q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    ) {
        let d = c.hiddenSize
        let qWidth = c.headCount * c.headDim
        let kvWidth = c.keyValueHeadCount * c.headDim
        RMSNorm.apply(x, rows: t, width: d, weight: inputNorm.pointer, eps: c.rmsNormEps, into: normed)
        MatMul.linear(normed, rows: t, inner: d, weight: query, outer: qWidth, into: q)
        MatMul.linear(normed, rows: t, inner: d, weight: key, outer: kvWidth, into: k)
        MatMul.linear(normed, rows: t, inner: d, weight: value, outer: kvWidth, into: v)
        Self.addBias(queryBias, to: q, rows: t)
        Self.addBias(keyBias, to: k, rows: t)
        Self.addBias(valueBias, to: v, rows: t)
        if let clip = c.clipQKV {
            for buffer in [(q, t * qWidth), (k, t * kvWidth), (v, t * kvWidth)] {
                for i in 0 ..< buffer.1 { buffer.0[i] = min(max(buffer.0[i], -clip), clip) }
            }
        }
        if let queryNorm, let keyNorm {
            // Per-head RMSNorm: [T, H·hd] is [T·H, hd] in memory. In place is safe: each row is read before written.
            RMSNorm.apply(q, rows: t * c.headCount, width: c.headDim, weight: queryNorm.pointer, eps: c.rmsNormEps, into: q)
            RMSNorm.apply(k, rows: t * c.keyValueHeadCount, width: c.headDim, weight: keyNorm.pointer, eps: c.rmsNormEps, into: k)
        }
    }

    /// x [rows, width] += bias [width] on every row.
    static func addBias(_ bias: FloatTensor?, to x: UnsafeMutablePointer<Float>, rows: Int) {
        guard let bias else { return }
        let width = bias.count
        bias.withUnsafePointer { b in
            for r in 0 ..< rows {
                for i in 0 ..< width { x[r * width + i] += b[i] }
            }
        }
    }
}
