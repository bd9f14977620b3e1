// port of https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/diffusion_gemma/configuration_diffusion_gemma.py#L32
// (`DiffusionGemmaTextConfig.__post_init__`, `DiffusionGemmaConfig`): reading and validating config.json. The RoPE
// frequencies it implies are in DiffusionGemmaRope.swift, the parameter counts in DiffusionGemmaParameterCount.swift,
// the generation defaults in DiffusionGemmaGenerationDefaults.swift.
import Foundation

/// The `config.json` of a DiffusionGemma checkpoint (model_type `diffusion_gemma`), text path only. Every field is
/// checked for presence, type and consistency, and an error names the field (`text_config.layer_types`, ...).
/// Absent fields take transformers' defaults; the vision tower (`vision_config`) is never run.
public struct DiffusionGemmaConfiguration: Sendable, Equatable {
    public enum LayerKind: String, Sendable {
        case sliding = "sliding_attention"
        case full = "full_attention"
    }

    /// The attention shape of one layer after `per_layer_config` overrides.
    public struct LayerShape: Sendable, Equatable {
        public var kind: LayerKind
        public var headDim: Int
        public var keyValueHeads: Int
        /// Full-attention layers have no `v_proj`: values are the keys before k_norm and RoPE (K = V).
        public var valuesFromKeys: Bool { kind == .full }
        /// RoPE inverse frequencies, headDim/2 of them; pairs (i, i + headDim/2) rotate, zero frequencies pass.
        public var inverseFrequencies: [Float]
    }

    public var vocabularySize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var layers: [LayerShape]
    /// Keys a sliding layer sees: its own position and the W − 1 before it (after the bidirectional halving).
    public var slidingWindow: Int
    public var rmsNormEps: Float
    public var expertCount: Int
    public var expertsPerToken: Int
    public var expertHidden: Int
    public var finalLogitSoftcap: Float
    public var maxPositions: Int
    /// `tie_word_embeddings` (top level): the encoder shares the decoder's weights (only the layer scalars, which
    /// are buffers, are its own) and the LM head is the decoder's embedding. False undoes every tie.
    public var tieWordEmbeddings: Bool
    public var canvasLength: Int
    public var padTokenID: Int?
    public var endOfSequenceIDs: [Int]
    public var beginOfSequenceID: Int?
    /// The image placeholder; a prompt containing it asks for the vision tower, which is refused.
    public var imageTokenID: Int?

    /// sqrt(hidden_size) in F32, as `DiffusionGemmaTextScaledWordEmbedding` stores it.
    public var embedScale: Float { Float(Double(hiddenSize).squareRoot()) }

    /// Top-level keys of transformers' `DiffusionGemmaConfig` (configuration_diffusion_gemma.py, 5.23).
    /// `vision_config` is accepted unread: the vision tower never runs.
    static let knownKeys: Set<String> = ConfigKeys.common.union([
        "text_config", "vision_config", "boi_token_id", "eoi_token_id", "image_token_id", "canvas_length",
    ])

    /// Keys of `DiffusionGemmaTextConfig`, plus the Gemma 4 fields a converted checkpoint may carry
    /// (`num_global_key_value_heads`, `global_head_dim`, `attention_k_eq_v`).
    static let knownTextKeys: Set<String> = ConfigKeys.common.union([
        "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
        "num_key_value_heads", "head_dim", "hidden_activation", "max_position_embeddings", "rms_norm_eps",
        "rope_parameters", "attention_bias", "attention_dropout", "sliding_window", "layer_types",
        "final_logit_softcapping", "use_bidirectional_attention", "num_global_key_value_heads", "global_head_dim",
        "attention_k_eq_v", "num_experts", "top_k_experts", "moe_intermediate_size", "per_layer_config",
    ])

    /// Keys of one `rope_parameters` entry.
    static let knownRopeKeys: Set<String> = ["rope_type", "rope_theta", "partial_rotary_factor", "factor"]

    /// Reads and validates `config.json` at `url`.
    public init(contentsOf url: URL, warnings: WarningSink = .standardError) throws {
        try self.init(fields: try JSONFields(try JSONValue.read(url), file: url.path), warnings: warnings)
    }

    /// - Parameter warnings: receives the unknown keys (a near-miss of a known key is an error instead).
    public init(fields top: JSONFields, warnings: WarningSink = .standardError) throws {
        func fail(_ message: String) -> ModelFileError { ModelFileError(file: top.file, message) }
        try ConfigKeys.check(top, known: Self.knownKeys, warnings: warnings)
        guard let c = try top.optionalObject("text_config") else {
            throw fail("field 'text_config' is missing: DiffusionLab runs the text model only, and a config without one "
                + "(vision only) cannot be run")
        }
        try ConfigKeys.check(c, known: Self.knownTextKeys, warnings: warnings)
        if let type = try c.optionalString("model_type"), type != "diffusion_gemma_text" {
            throw fail("field 'text_config.model_type' is '\(type)', expected 'diffusion_gemma_text'")
        }
        vocabularySize = try c.size("vocab_size")
        hiddenSize = try c.size("hidden_size")
        intermediateSize = try c.size("intermediate_size")
        let layerCount = try c.size("num_hidden_layers", maximum: JSONFields.maximumCount)
        let headCount = try c.size("num_attention_heads")
        self.layerCount = layerCount
        self.headCount = headCount
        let keyValueHeads = try c.optionalPositiveInt("num_key_value_heads") ?? 4
        let headDim = try c.optionalPositiveInt("head_dim") ?? 256
        rmsNormEps = Float(try c.positiveDouble("rms_norm_eps", default: 1e-6))
        maxPositions = try c.optionalPositiveInt("max_position_embeddings") ?? 131_072
        finalLogitSoftcap = Float(try c.positiveDouble("final_logit_softcapping", default: 30))
        let activation = try c.optionalString("hidden_activation") ?? "gelu_pytorch_tanh"
        guard activation == "gelu_pytorch_tanh" else {
            throw fail("field 'text_config.hidden_activation' is '\(activation)'; only 'gelu_pytorch_tanh' is supported")
        }
        if try c.optionalBool("attention_bias") == true {
            throw fail("field 'text_config.attention_bias' is true; DiffusionGemma checkpoints have no attention biases "
                + "and this engine does not load them")
        }

        // Bidirectional encoder: transformers halves the window (`sliding_window // 2 + 1`) and drops the causal
        // mask, but 5.23 cannot run that configuration (it passes `is_causal` twice to the attention function),
        // so there is no reference to match; "vision" only changes image tokens, which the text path never sees.
        var window = try c.optionalInt("sliding_window") ?? 512
        switch try c.optionalString("use_bidirectional_attention") {
        case nil, "vision": break
        case "all":
            window = window / 2 + 1
            throw fail("field 'text_config.use_bidirectional_attention' is 'all' (bidirectional encoder, window "
                + "\(window)): not supported, since transformers 5.23 cannot run it either (is_causal passed twice)")
        case let other?:
            throw fail("field 'text_config.use_bidirectional_attention' is '\(other)'; expected null, 'vision' or 'all'")
        }
        guard window > 0 else { throw fail("field 'text_config.sliding_window' must be positive, found \(window)") }
        slidingWindow = window

        // Layer pattern: 5 sliding : 1 full by default, the last layer full.
        let kinds: [LayerKind]
        if let names = try c.optionalStringList("layer_types") {
            guard names.count == layerCount else {
                throw fail("field 'text_config.layer_types' has \(names.count) entries for \(layerCount) layers (num_hidden_layers)")
            }
            kinds = try names.enumerated().map { index, name in
                guard let kind = LayerKind(rawValue: name) else {
                    throw fail("field 'text_config.layer_types' entry \(index) is '\(name)'; expected 'sliding_attention' or 'full_attention'")
                }
                return kind
            }
            // transformers rewrites a sliding last layer to full with a warning; a config that needs rewriting is
            // inconsistent with its own per_layer_config, so it is an error here.
            guard kinds.last == .full else {
                throw fail("field 'text_config.layer_types' must end with 'full_attention' (transformers forces the last layer to full attention)")
            }
        } else {
            kinds = (0 ..< layerCount).map { ($0 + 1) % 6 == 0 || $0 == layerCount - 1 ? .full : .sliding }
        }

        // Per-layer overrides: explicit `per_layer_config` (as save_pretrained writes it), else transformers'
        // construction: global layers get `global_head_dim` (default 512) and, unless `attention_k_eq_v` is false,
        // `num_global_key_value_heads`.
        var overrides: [Int: (headDim: Int?, keyValueHeads: Int?)] = [:]
        if let perLayer = try c.optionalObject("per_layer_config") {
            for key in perLayer.keys {
                guard let index = Int(key), index >= 0, index < layerCount else {
                    throw fail("field 'text_config.per_layer_config' has key '\(key)', not a layer index 0..<\(layerCount)")
                }
                let entry = try perLayer.object(key)
                if let unknown = entry.keys.first(where: { $0 != "head_dim" && $0 != "num_key_value_heads" }) {
                    throw fail("field 'text_config.per_layer_config.\(key).\(unknown)' is not supported (only head_dim and num_key_value_heads)")
                }
                overrides[index] = (try entry.optionalPositiveInt("head_dim"), try entry.optionalPositiveInt("num_key_value_heads"))
            }
        } else {
            let globalHeadDim = try c.optionalPositiveInt("global_head_dim") ?? 512
            let globalKeyValueHeads = try c.optionalBool("attention_k_eq_v") == false ? nil : try c.optionalPositiveInt("num_global_key_value_heads")
            for (index, kind) in kinds.enumerated() where kind == .full {
                overrides[index] = (globalHeadDim, globalKeyValueHeads)
            }
        }

        let ropes = try c.optionalObject("rope_parameters")
        if let ropes {
            try ConfigKeys.check(ropes, known: [LayerKind.sliding.rawValue, LayerKind.full.rawValue], warnings: warnings)
            for kind in [LayerKind.sliding, .full] {
                if let entry = try ropes.optionalObject(kind.rawValue) { try ConfigKeys.check(entry, known: Self.knownRopeKeys, warnings: warnings) }
            }
        }
        var shapes: [LayerShape] = []
        var firstOfKind: [LayerKind: Int] = [:]
        for (index, kind) in kinds.enumerated() {
            let field = overrides[index] == nil ? "text_config" : "text_config.per_layer_config.\(index)"
            let dim = overrides[index]?.headDim ?? headDim
            let heads = overrides[index]?.keyValueHeads ?? keyValueHeads
            guard dim > 0, dim % 2 == 0 else { throw fail("field '\(field).head_dim' must be a positive even number, found \(dim)") }
            guard heads > 0, headCount % heads == 0 else {
                throw fail("field '\(field).num_key_value_heads' (\(heads)) must divide num_attention_heads (\(headCount)) in layer \(index)")
            }
            // RoPE tables are built once per layer kind from that kind's head dim, so every layer of a kind must agree.
            if let first = firstOfKind[kind], shapes[first].headDim != dim || shapes[first].keyValueHeads != heads {
                throw fail("field 'text_config.per_layer_config': layer \(index) (\(kind.rawValue)) differs from layer \(first); "
                    + "transformers requires every layer of one type to have the same overrides")
            }
            // One table per kind (every layer of a kind has the same head dim, checked above).
            let frequencies = try firstOfKind[kind].map { shapes[$0].inverseFrequencies }
                ?? Self.inverseFrequencies(ropes, kind: kind, headDim: dim, file: top.file)
            firstOfKind[kind] = firstOfKind[kind] ?? index
            shapes.append(LayerShape(kind: kind, headDim: dim, keyValueHeads: heads, inverseFrequencies: frequencies))
        }
        layers = shapes

        // DiffusionGemma always builds the MoE beside the dense MLP, so the expert fields are required.
        expertCount = try c.size("num_experts", maximum: JSONFields.maximumCount)
        expertsPerToken = try c.size("top_k_experts")
        guard expertsPerToken <= expertCount else {
            throw fail("field 'text_config.top_k_experts' (\(expertsPerToken)) exceeds num_experts (\(expertCount))")
        }
        expertHidden = try c.size("moe_intermediate_size")

        tieWordEmbeddings = try top.optionalBool("tie_word_embeddings") ?? true
        canvasLength = try top.optionalPositiveInt("canvas_length") ?? 256
        padTokenID = try c.optionalInt("pad_token_id")
        endOfSequenceIDs = try c.optionalIntList("eos_token_id") ?? []
        beginOfSequenceID = try c.optionalInt("bos_token_id")
        imageTokenID = try top.optionalInt("image_token_id")
        for (name, id) in [("pad_token_id", padTokenID), ("bos_token_id", beginOfSequenceID)] + endOfSequenceIDs.map({ ("eos_token_id", $0) }) {
            guard let id else { continue }
            guard id >= 0, id < vocabularySize else {
                throw fail("field 'text_config.\(name)' is \(id), outside the vocabulary 0..<\(vocabularySize)")
            }
        }
        try JSONFields.checkParameterCount(countParameters(Double.init).total, file: top.file)
    }
}
