/// LLaDA-MoE in GGUF form, as llama.cpp names it: architecture `llada-moe`, hyperparameters under `llada-moe.*`,
/// tensors `token_embd`, `blk.N.attn_q`, …, stacked experts `blk.N.ffn_{gate,up,down}_exps` [E, ·, ·], router
/// `blk.N.ffn_gate_inp`, the mask token as `tokenizer.ggml.mask_token_id`. Sources: llama.cpp
/// convert_hf_to_gguf.py `LLaDAMoEModel` (no Q/K row permutation for this architecture: it inherits
/// `TextModel.modify_tensors`, unlike dense `LLaDAModel`, so q/k rows stay in Hugging Face order and RoPE is
/// the NEOX halves style) and gguf-py/gguf/constants.py `MODEL_TENSORS[LLADA_MOE]`.
/// llama.cpp's `llada-moe` has neither dense MLP layers nor a shared expert nor attention biases; files that
/// would need them are refused with an error naming the field.
public enum LLaDAMoEGGUF {
    public static let architecture = "llada-moe"

    /// The Hugging Face tensor `name` as a GGUF tensor name and, for one expert of a stacked tensor, its index.
    public static func ggufName(_ name: String) -> (name: String, expert: Int?)? {
        switch name {
        case "model.embed_tokens.weight": return ("token_embd.weight", nil)
        case "model.norm.weight": return ("output_norm.weight", nil)
        case "lm_head.weight": return ("output.weight", nil)
        default: break
        }
        let parts = name.split(separator: ".").map(String.init)
        guard parts.count >= 5, parts[0] == "model", parts[1] == "layers", let layer = Int(parts[2]) else { return nil }
        let rest = parts[3...].joined(separator: ".")
        let block = "blk.\(layer)."
        let plain: [String: String] = [
            "input_layernorm.weight": "attn_norm.weight",
            "self_attn.q_proj.weight": "attn_q.weight",
            "self_attn.k_proj.weight": "attn_k.weight",
            "self_attn.v_proj.weight": "attn_v.weight",
            "self_attn.o_proj.weight": "attn_output.weight",
            "self_attn.q_norm.weight": "attn_q_norm.weight",
            "self_attn.k_norm.weight": "attn_k_norm.weight",
            "post_attention_layernorm.weight": "ffn_norm.weight",
            "mlp.gate.weight": "ffn_gate_inp.weight",
        ]
        if let mapped = plain[rest] { return (block + mapped, nil) }
        // mlp.experts.E.{gate,up,down}_proj.weight
        if parts.count == 8, parts[3] == "mlp", parts[4] == "experts", let expert = Int(parts[5]), parts[7] == "weight" {
            switch parts[6] {
            case "gate_proj": return (block + "ffn_gate_exps.weight", expert)
            case "up_proj": return (block + "ffn_up_exps.weight", expert)
            case "down_proj": return (block + "ffn_down_exps.weight", expert)
            default: return nil
            }
        }
        return nil
    }

    /// The configuration a `llada-moe` GGUF file describes; errors name the file and the key.
    public static func configuration(_ file: GGUFFile) throws -> LLaDAMoEConfiguration {
        let a = architecture + "."
        let embedding = try file.tensor("token_embd.weight")
        guard embedding.shape.count == 2 else {
            throw ModelFileError(file: file.path, "tensor 'token_embd.weight' has shape \(embedding.shape), expected [vocabulary, embedding_length]")
        }
        let vocabulary = try file.optionalInt(a + "vocab_size") ?? embedding.shape[0]
        let heads = try file.positiveInt(a + "attention.head_count")
        let hidden = try file.positiveInt(a + "embedding_length")
        let layers = try file.positiveInt(a + "block_count")
        // Every layer has tensors, so a count above the file's tensor count is corrupt (and must not size arrays).
        guard layers <= file.tensors.count else {
            throw ModelFileError(file: file.path, "metadata key '\(a)block_count' is \(layers), but the file has only \(file.tensors.count) tensors")
        }
        let keyValueHeads = try file.integerOrIntegers(a + "attention.head_count_kv")
        guard let kvHeads = keyValueHeads.first, keyValueHeads.allSatisfy({ $0 == kvHeads }) else {
            throw ModelFileError(file: file.path, "metadata key '\(a)attention.head_count_kv' differs between layers; not supported")
        }
        if let keyLength = try file.optionalInt(a + "attention.key_length"), hidden % heads != 0 || keyLength != hidden / heads {
            throw ModelFileError(file: file.path, "metadata key '\(a)attention.key_length' is \(keyLength); only embedding_length / head_count (\(hidden / heads)) is supported")
        }
        if let gating = try file.optionalInt(a + "expert_gating_func"), gating != 1 {
            throw ModelFileError(file: file.path, "metadata key '\(a)expert_gating_func' is \(gating); only 1 (softmax) is supported")
        }
        if let causal = try file.optionalBool(a + "attention.causal"), causal {
            throw ModelFileError(file: file.path, "metadata key '\(a)attention.causal' is true; LLaDA-MoE attends bidirectionally")
        }
        if let shift = try file.optionalBool("diffusion.shift_logits"), shift {
            throw ModelFileError(file: file.path, "metadata key 'diffusion.shift_logits' is true; LLaDA-MoE predicts each position's own token")
        }
        if file.tensors["blk.0.attn_q.bias"] != nil {
            throw ModelFileError(file: file.path, "tensor 'blk.0.attn_q.bias': attention biases are not part of llama.cpp's llada-moe")
        }
        var rotaryFactor = 1.0
        if let rotary = try file.optionalInt(a + "rope.dimension_count") {
            rotaryFactor = Double(rotary) / Double(hidden / heads)
        }
        var json: [ExactString: JSONValue] = [
            "vocab_size": .int(vocabulary),
            "hidden_size": .int(hidden),
            "num_hidden_layers": .int(layers),
            "num_attention_heads": .int(heads),
            "num_key_value_heads": .int(kvHeads),
            "rms_norm_eps": .double(try file.real(a + "attention.layer_norm_rms_epsilon")),
            "rope_theta": .double(try file.real(a + "rope.freq_base")),
            "partial_rotary_factor": .double(rotaryFactor),
            "max_position_embeddings": .int(try file.positiveInt(a + "context_length")),
            "num_experts": .int(try file.positiveInt(a + "expert_count")),
            "num_experts_per_tok": .int(try file.positiveInt(a + "expert_used_count")),
            "expert_intermediate_size": .int(try file.positiveInt(a + "expert_feed_forward_length")),
            "norm_topk_prob": .bool(try file.optionalBool(a + "expert_weights_norm") ?? false),
            "qk_layernorm": .bool(file.tensors["blk.0.attn_q_norm.weight"] != nil),
            "tie_word_embeddings": .bool(file.tensors["output.weight"] == nil),
            "mask_token_id": .int(try maskToken(file, vocabulary: vocabulary)),
        ]
        if let eos = try file.optionalInt("tokenizer.ggml.eos_token_id") { json["eos_token_id"] = .int(eos) }
        if let pad = try file.optionalInt("tokenizer.ggml.padding_token_id") { json["pad_token_id"] = .int(pad) }
        // The checks of LLaDAMoEConfiguration (divisibility, ranges, token ids inside the vocabulary) apply as
        // for config.json; its messages name the config field, so say which GGUF keys it came from.
        do {
            return try LLaDAMoEConfiguration(fields: try JSONFields(.object(json), file: file.path))
        } catch let error as ModelFileError {
            throw ModelFileError(file: file.path, "\(error.message) (from the GGUF metadata '\(a)*' and 'tokenizer.ggml.*')")
        }
    }

    /// `tokenizer.ggml.mask_token_id`, which must name a token of the vocabulary.
    static func maskToken(_ file: GGUFFile, vocabulary: Int) throws -> Int {
        guard file.metadata["tokenizer.ggml.mask_token_id"] != nil else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.mask_token_id' is missing: a masked-diffusion model needs its mask token")
        }
        let mask = try file.int("tokenizer.ggml.mask_token_id")
        if let tokens = file.metadata["tokenizer.ggml.tokens"], case .array(_, let items) = tokens, mask >= items.count {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.mask_token_id' is \(mask), but 'tokenizer.ggml.tokens' has only \(items.count) tokens")
        }
        guard mask >= 0, mask < vocabulary else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.mask_token_id' is \(mask), outside the vocabulary 0..<\(vocabulary)")
        }
        return mask
    }

    /// The `llada-moe.*` metadata of `config`, as convert_hf_to_gguf.py writes it (plus `expert_weights_norm`,
    /// which llama.cpp reads for this architecture, when the checkpoint normalizes its top-k weights).
    public static func metadata(_ c: LLaDAMoEConfiguration) throws -> [(String, GGUFValue)] {
        guard c.moeLayers.allSatisfy({ $0 }) else {
            throw ModelFileError(file: "config.json", "field 'moe_layer_freq' has dense layers, which llama.cpp's llada-moe cannot hold")
        }
        guard c.sharedExpertHidden == nil else {
            throw ModelFileError(file: "config.json", "field 'shared_expert_intermediate_size' is set; llama.cpp's llada-moe has no shared expert")
        }
        guard !c.attentionBias, !c.expertBias, c.clipQKV == nil else {
            throw ModelFileError(file: "config.json", "attention_bias, moe_router_enable_expert_bias and clip_qkv are not part of llama.cpp's llada-moe")
        }
        let a = architecture + "."
        func u32(_ value: Int, _ field: String) throws -> GGUFValue {
            guard let fitting = UInt32(exactly: value) else {
                throw ModelFileError(file: "config.json", "field '\(field)' is \(value), which does not fit GGUF's uint32")
            }
            return .uint32(fitting)
        }
        var entries: [(String, GGUFValue)] = [
            (a + "block_count", try u32(c.layerCount, "num_hidden_layers")),
            (a + "context_length", try u32(c.maxPositions, "max_position_embeddings")),
            (a + "embedding_length", try u32(c.hiddenSize, "hidden_size")),
            (a + "attention.head_count", try u32(c.headCount, "num_attention_heads")),
            (a + "attention.head_count_kv", try u32(c.keyValueHeadCount, "num_key_value_heads")),
            (a + "rope.freq_base", .float32(Float(c.ropeTheta))),
            (a + "attention.layer_norm_rms_epsilon", .float32(c.rmsNormEps)),
            (a + "expert_count", try u32(c.expertCount, "num_experts")),
            (a + "expert_used_count", try u32(c.expertsPerToken, "num_experts_per_tok")),
            (a + "expert_gating_func", .uint32(1)),
            (a + "expert_feed_forward_length", try u32(c.expertHidden, "expert_intermediate_size")),
            (a + "attention.causal", .bool(false)),
            ("diffusion.shift_logits", .bool(false)),
            ("tokenizer.ggml.mask_token_id", try u32(c.maskTokenID, "mask_token_id")),
        ]
        if c.normalizeTopK { entries.append((a + "expert_weights_norm", .bool(true))) }
        if c.rotaryDim != c.headDim { entries.append((a + "rope.dimension_count", try u32(c.rotaryDim, "partial_rotary_factor"))) }
        if let eos = c.endOfSequenceIDs.first { entries.append(("tokenizer.ggml.eos_token_id", try u32(eos, "eos_token_id"))) }
        if let pad = c.padTokenID { entries.append(("tokenizer.ggml.padding_token_id", try u32(pad, "pad_token_id"))) }
        return entries
    }
}
