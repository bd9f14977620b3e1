import Foundation

/// The `config.json` of a LLaDA-MoE checkpoint (model_type `llada_moe`), as the released
/// inclusionAI/LLaDA-MoE-7B-A1B writes it (`configuration_lladamoe.py`). Every field is checked for presence,
/// type and consistency, and an error names the field.
public struct LLaDAMoEConfiguration: Sendable, Equatable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var keyValueHeadCount: Int
    public var headDim: Int
    public var rmsNormEps: Float
    public var ropeTheta: Double
    public var rotaryDim: Int
    public var maxPositions: Int
    public var expertCount: Int
    public var expertsPerToken: Int
    public var expertHidden: Int
    public var denseHidden: Int?
    public var sharedExpertHidden: Int?
    /// 1 = MoE layer, 0 = dense MLP layer (`moe_layer_freq`).
    public var moeLayers: [Bool]
    public var normalizeTopK: Bool
    public var expertBias: Bool
    public var attentionBias: Bool
    public var qkNorm: Bool
    public var clipQKV: Float?
    public var tieWordEmbeddings: Bool
    public var maskTokenID: Int
    public var endOfSequenceIDs: [Int]
    public var padTokenID: Int?

    /// The keys this loader reads, and those the released configuration class (`LLaDAMoEConfig` of
    /// inclusionAI/LLaDA-MoE-7B-A1B, configuration_lladamoe.py) writes for training only; anything else warns.
    static let knownKeys: Set<String> = ConfigKeys.common.union([
        "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "hidden_act",
        "max_position_embeddings", "rms_norm_eps", "attention_dropout", "attention_bias", "clip_qkv",
        "dense_intermediate_size", "expert_intermediate_size", "num_experts", "num_experts_per_tok",
        "shared_expert_intermediate_size", "moe_layer_freq", "qk_layernorm", "moe_router_score_function",
        "moe_router_enable_expert_bias", "output_router_logits", "router_aux_loss_coef", "router_num_group",
        "router_topk_group", "routed_scaling_factor", "norm_topk_prob", "rope_theta", "rope_scaling",
        "partial_rotary_factor", "mask_token_id",
    ])

    /// Reads and validates `config.json` at `url`.
    public init(contentsOf url: URL, warnings: WarningSink = .standardError) throws {
        try self.init(fields: try JSONFields(try JSONValue.read(url), file: url.path), warnings: warnings)
    }

    /// - Parameter warnings: receives the unknown keys (a near-miss of a known key is an error instead).
    /// - Parameter extraKeys: keys a derived architecture adds (the AR model's MTP fields), known besides LLaDA-MoE's.
    public init(fields c: JSONFields, warnings: WarningSink = .standardError, extraKeys: Set<String> = []) throws {
        let file = c.file
        func fail(_ message: String) -> ModelFileError { ModelFileError(file: file, message) }
        try ConfigKeys.check(c, known: Self.knownKeys.union(extraKeys), warnings: warnings)
        vocabularySize = try c.size("vocab_size")
        hiddenSize = try c.size("hidden_size")
        layerCount = try c.size("num_hidden_layers", maximum: JSONFields.maximumCount)
        headCount = try c.size("num_attention_heads")
        keyValueHeadCount = try c.optionalPositiveInt("num_key_value_heads") ?? headCount
        guard keyValueHeadCount > 0, headCount % keyValueHeadCount == 0 else {
            throw fail("field 'num_key_value_heads' (\(keyValueHeadCount)) must divide num_attention_heads (\(headCount))")
        }
        guard hiddenSize % headCount == 0 else {
            throw fail("field 'hidden_size' (\(hiddenSize)) must be a multiple of num_attention_heads (\(headCount))")
        }
        headDim = hiddenSize / headCount
        rmsNormEps = Float(try c.positiveDouble("rms_norm_eps", default: 1e-5))
        guard rmsNormEps > 0 else { throw fail("field 'rms_norm_eps' (\(try c.double("rms_norm_eps"))) is zero in F32") }
        ropeTheta = try c.positiveDouble("rope_theta", default: 50000)
        let partial = try c.positiveDouble("partial_rotary_factor", default: 1)
        guard partial > 0, partial <= 1 else { throw fail("field 'partial_rotary_factor' must be in (0, 1], found \(partial)") }
        rotaryDim = Int(Double(headDim) * partial)
        guard rotaryDim % 2 == 0, rotaryDim > 0 else {
            throw fail("field 'partial_rotary_factor' (\(partial)) gives an odd or empty rotary dimension \(rotaryDim)")
        }
        if try c.optionalObject("rope_scaling") != nil {
            throw fail("field 'rope_scaling' is set; only the default RoPE is supported")
        }
        maxPositions = try c.optionalPositiveInt("max_position_embeddings") ?? 8192
        let activation = try c.optionalString("hidden_act") ?? "silu"
        guard activation == "silu" else { throw fail("field 'hidden_act' is '\(activation)'; only 'silu' (SwiGLU) is supported") }
        let scoring = try c.optionalString("moe_router_score_function") ?? "softmax"
        guard scoring == "softmax" else {
            throw fail("field 'moe_router_score_function' is '\(scoring)'; only 'softmax' is supported")
        }
        expertCount = try c.size("num_experts", maximum: JSONFields.maximumCount)
        expertsPerToken = try c.size("num_experts_per_tok")
        guard expertsPerToken <= expertCount else {
            throw fail("field 'num_experts_per_tok' (\(expertsPerToken)) exceeds num_experts (\(expertCount))")
        }
        expertHidden = try c.size("expert_intermediate_size")
        denseHidden = try c.optionalPositiveInt("dense_intermediate_size")
        sharedExpertHidden = try c.optionalPositiveInt("shared_expert_intermediate_size")
        if let frequency = try c.optionalIntList("moe_layer_freq") {
            guard frequency.count == layerCount else {
                throw fail("field 'moe_layer_freq' has \(frequency.count) entries for \(layerCount) layers")
            }
            guard frequency.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw fail("field 'moe_layer_freq' entries must be 0 or 1") }
            moeLayers = frequency.map { $0 == 1 }
        } else {
            moeLayers = Array(repeating: true, count: layerCount)
        }
        if moeLayers.contains(false) {
            guard let dense = denseHidden, dense > 0 else {
                throw fail("field 'dense_intermediate_size' must be a positive integer when moe_layer_freq has dense layers")
            }
        }
        // The released modeling code hard-codes norm_topk_prob = False; the config key overrides when present.
        normalizeTopK = try c.optionalBool("norm_topk_prob") ?? false
        expertBias = try c.optionalBool("moe_router_enable_expert_bias") ?? false
        attentionBias = try c.optionalBool("attention_bias") ?? false
        qkNorm = try c.optionalBool("qk_layernorm") ?? true
        clipQKV = try c.optionalDouble("clip_qkv").map(Float.init)
        if let clip = clipQKV, !(clip.isFinite && clip > 0) { throw fail("field 'clip_qkv' must be a finite positive number, found \(clip)") }
        tieWordEmbeddings = try c.optionalBool("tie_word_embeddings") ?? false
        maskTokenID = try c.int("mask_token_id")
        endOfSequenceIDs = try c.optionalIntList("eos_token_id") ?? []
        padTokenID = try c.optionalInt("pad_token_id")
        for (name, id) in [("mask_token_id", maskTokenID), ("pad_token_id", padTokenID ?? 0)] + endOfSequenceIDs.map({ ("eos_token_id", $0) }) {
            guard id >= 0, id < vocabularySize else {
                throw fail("field '\(name)' is \(id), outside the vocabulary 0..<\(vocabularySize)")
            }
        }
        try JSONFields.checkParameterCount(countParameters(Double.init).total, file: file)
    }

    /// Parameters in total and active per token (router + k experts), for benchmarks and model cards.
    public var parameterCounts: (total: Int, activePerToken: Int) { countParameters { $0 } }

    /// The count in any number type: Double on load, to refuse sizes whose products would overflow Int.
    func countParameters<N: Numeric>(_ n: (Int) -> N) -> (total: N, activePerToken: N) {
        let d = n(hiddenSize)
        let (heads, kvHeads, hd) = (n(headCount), n(keyValueHeadCount), n(headDim))
        let attention = d * (heads * hd) * 2 + d * (kvHeads * hd) * 2 + 2 * d + (qkNorm ? 2 * hd : 0)
        var total = n(vocabularySize) * d * (tieWordEmbeddings ? 1 : 2) + d
        var active = total
        for isMoE in moeLayers {
            total += attention
            active += attention
            if isMoE {
                let expert = 3 * d * n(expertHidden)
                let shared = n(sharedExpertHidden ?? 0) * 3 * d
                total += d * n(expertCount) + n(expertCount) * expert + shared
                active += d * n(expertCount) + n(expertsPerToken) * expert + shared
            } else {
                total += 3 * d * n(denseHidden ?? 0)
                active += 3 * d * n(denseHidden ?? 0)
            }
        }
        return (total, active)
    }
}
