// port of https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/diffusion_gemma/modeling_diffusion_gemma.py#L608
// (`DiffusionGemmaDecoderTextLayer.__init__`, `DiffusionGemmaDecoderTextAttention.__init__`, `DiffusionGemmaTextRouter`,
// `DiffusionGemmaTextExperts`, `DiffusionGemmaSelfConditioning`): the weights, looked up by their Hugging Face names.

/// The weights of one DiffusionGemma transformer layer. The encoder and the decoder share every weight of a tied
/// checkpoint; only the layer scalar (a buffer) is stored per side.
struct DiffusionGemmaLayer {
    let shape: DiffusionGemmaConfiguration.LayerShape
    let inputNorm: FloatTensor  // [d]
    let query: StoredMatrix  // [H·hd, d]
    let key: StoredMatrix  // [KVH·hd, d]
    let value: StoredMatrix?  // [KVH·hd, d]; nil on full-attention layers (values are the keys)
    let output: StoredMatrix  // [d, H·hd]
    let queryNorm: FloatTensor  // [hd]
    let keyNorm: FloatTensor  // [hd]
    let postAttentionNorm: FloatTensor  // [d]
    let preFeedforwardNorm: FloatTensor  // [d], before the dense MLP
    let mlp: GatedMLP  // dense MLP, F = intermediate_size
    let postFeedforwardNorm1: FloatTensor  // [d], after the dense MLP
    let preFeedforwardNorm2: FloatTensor  // [d], the experts' input
    let mixture: GemmaMixtureOfExperts
    let postFeedforwardNorm2: FloatTensor  // [d], after the experts
    let postFeedforwardNorm: FloatTensor  // [d], after MLP + experts
    let layerScalar: Float

    /// - Parameters:
    ///   - prefix: e.g. "model.decoder.layers.3." or "model.encoder.language_model.layers.3."
    ///   - scalarPrefix: where this side's `layer_scalar` lives (the encoder's own, even when weights are tied).
    init(index n: Int, prefix p: String, scalarPrefix: String, config c: DiffusionGemmaConfiguration,
         weights: any WeightSource) throws {
        let shape = c.layers[n]
        self.shape = shape
        let d = c.hiddenSize
        let q = c.headCount * shape.headDim
        let kv = shape.keyValueHeads * shape.headDim
        func load(_ name: String, _ dims: [Int]) throws -> FloatTensor { try weights.tensor(p + name, shape: dims) }
        func matrix(_ name: String, _ dims: [Int]) throws -> StoredMatrix { try weights.matrix(p + name, shape: dims) }
        inputNorm = try load("input_layernorm.weight", [d])
        query = try matrix("self_attn.q_proj.weight", [q, d])
        key = try matrix("self_attn.k_proj.weight", [kv, d])
        value = shape.valuesFromKeys ? nil : try matrix("self_attn.v_proj.weight", [kv, d])
        output = try matrix("self_attn.o_proj.weight", [d, q])
        queryNorm = try load("self_attn.q_norm.weight", [shape.headDim])
        keyNorm = try load("self_attn.k_norm.weight", [shape.headDim])
        postAttentionNorm = try load("post_attention_layernorm.weight", [d])
        preFeedforwardNorm = try load("pre_feedforward_layernorm.weight", [d])
        mlp = GatedMLP(
            gate: try matrix("mlp.gate_proj.weight", [c.intermediateSize, d]),
            up: try matrix("mlp.up_proj.weight", [c.intermediateSize, d]),
            down: try matrix("mlp.down_proj.weight", [d, c.intermediateSize]), activation: .geluTanh)
        postFeedforwardNorm1 = try load("post_feedforward_layernorm_1.weight", [d])
        preFeedforwardNorm2 = try load("pre_feedforward_layernorm_2.weight", [d])
        let gateUp = try matrix("experts.gate_up_proj", [c.expertCount, 2 * c.expertHidden, d])
        let down = try matrix("experts.down_proj", [c.expertCount, d, c.expertHidden])
        mixture = GemmaMixtureOfExperts(
            router: try matrix("router.proj.weight", [c.expertCount, d]),
            routerScale: try load("router.scale", [d]),
            perExpertScale: try load("router.per_expert_scale", [c.expertCount]),
            experts: (0 ..< c.expertCount).map { GatedMLP(gateUp: gateUp.slice($0, of: c.expertCount), down: down.slice($0, of: c.expertCount), activation: .geluTanh) },
            topK: c.expertsPerToken, eps: c.rmsNormEps)
        postFeedforwardNorm2 = try load("post_feedforward_layernorm_2.weight", [d])
        postFeedforwardNorm = try load("post_feedforward_layernorm.weight", [d])
        layerScalar = try weights.scalar(scalarPrefix + "layer_scalar")
    }
}

/// The decoder's self-conditioning block: the previous step's soft prediction (probabilities · embedding ·
/// embed_scale) → RMSNorm → gated GELU MLP, added to the canvas embedding, then RMSNorm without weight.
struct DiffusionGemmaSelfConditioning {
    let preNorm: FloatTensor  // [d]
    let mlp: GatedMLP  // F = intermediate_size

    init(config c: DiffusionGemmaConfiguration, weights: any WeightSource) throws {
        let p = "model.decoder.self_conditioning."
        let (d, f) = (c.hiddenSize, c.intermediateSize)
        preNorm = try weights.tensor(p + "pre_norm.weight", shape: [d])
        mlp = GatedMLP(
            gate: try weights.matrix(p + "gate_proj.weight", shape: [f, d]),
            up: try weights.matrix(p + "up_proj.weight", shape: [f, d]),
            down: try weights.matrix(p + "down_proj.weight", shape: [d, f]), activation: .geluTanh)
    }
}

extension RotaryEmbedding {
    /// RoPE over the whole head (pairs i, i + headDim/2) with given inverse frequencies: DiffusionGemma's default
    /// and proportional kinds (zero frequencies leave their pair unrotated).
    init(headDim: Int, inverseFrequencies: [Float]) {
        precondition(inverseFrequencies.count == headDim / 2, "RotaryEmbedding: \(inverseFrequencies.count) frequencies for head dim \(headDim)")
        self.headDim = headDim
        rotaryDim = headDim
        self.inverseFrequencies = inverseFrequencies
    }
}
