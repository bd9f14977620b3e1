/// Writing a Hugging Face DiffusionGemma folder as llama.cpp's converter names it (conversion/diffusion_gemma.py on
/// conversion/gemma.py `Gemma4Model`): the metadata and the tensor plan `ModelQuantizer` streams.
extension DiffusionGemmaGGUF {
    /// The `diffusion-gemma.*` and `diffusion.*` metadata of `c`. `config` is the config.json (for the RoPE bases,
    /// which the configuration keeps only as frequencies); `generation` the generation_config.json, whose sampler
    /// fields present become `diffusion.eb_*` as the converter writes them.
    public static func metadata(_ c: DiffusionGemmaConfiguration, config: JSONFields, generation: JSONFields?) throws -> [(String, GGUFValue)] {
        func fail(_ message: String) -> ModelFileError { ModelFileError(file: config.file, message) }
        guard c.tieWordEmbeddings else {
            throw fail("field 'tie_word_embeddings' is false; llama.cpp's diffusion-gemma has one weight stack for encoder, decoder and LM head")
        }
        func u32(_ value: Int, _ field: String) throws -> GGUFValue {
            guard let fitting = UInt32(exactly: value) else { throw fail("field '\(field)' is \(value), which does not fit GGUF's uint32") }
            return .uint32(fitting)
        }
        let sliding = c.layers.first { $0.kind == .sliding } ?? c.layers[0]
        let full = c.layers.first { $0.kind == .full } ?? sliding
        let ropes = try config.optionalObject("text_config").flatMap { try $0.optionalObject("rope_parameters") }
        func theta(_ kind: DiffusionGemmaConfiguration.LayerKind, default value: Double) throws -> GGUFValue {
            .float32(Float(try ropes?.optionalObject(kind.rawValue)?.optionalDouble("rope_theta") ?? value))
        }
        let a = architecture + "."
        var entries: [(String, GGUFValue)] = [
            (a + "vocab_size", try u32(c.vocabularySize, "text_config.vocab_size")),
            (a + "context_length", try u32(c.maxPositions, "text_config.max_position_embeddings")),
            (a + "embedding_length", try u32(c.hiddenSize, "text_config.hidden_size")),
            (a + "block_count", try u32(c.layerCount, "text_config.num_hidden_layers")),
            (a + "feed_forward_length", try u32(c.intermediateSize, "text_config.intermediate_size")),
            (a + "attention.head_count", try u32(c.headCount, "text_config.num_attention_heads")),
            (a + "attention.head_count_kv", .array(.uint32, try c.layers.map { try u32($0.keyValueHeads, "text_config.num_key_value_heads") })),
            (a + "attention.layer_norm_rms_epsilon", .float32(c.rmsNormEps)),
            (a + "attention.key_length", try u32(full.headDim, "text_config.global_head_dim")),
            (a + "attention.value_length", try u32(full.headDim, "text_config.global_head_dim")),
            (a + "attention.key_length_swa", try u32(sliding.headDim, "text_config.head_dim")),
            (a + "attention.value_length_swa", try u32(sliding.headDim, "text_config.head_dim")),
            (a + "attention.sliding_window", try u32(c.slidingWindow, "text_config.sliding_window")),
            (a + "attention.sliding_window_pattern", .array(.bool, c.layers.map { .bool($0.kind == .sliding) })),
            (a + "attention.causal", .bool(false)),
            (a + "rope.freq_base", try theta(.full, default: 1_000_000)),
            (a + "rope.freq_base_swa", try theta(.sliding, default: 10_000)),
            (a + "rope.dimension_count", try u32(full.headDim, "text_config.global_head_dim")),
            (a + "rope.dimension_count_swa", try u32(sliding.headDim, "text_config.head_dim")),
            (a + "final_logit_softcapping", .float32(c.finalLogitSoftcap)),
            (a + "expert_count", try u32(c.expertCount, "text_config.num_experts")),
            (a + "expert_used_count", try u32(c.expertsPerToken, "text_config.top_k_experts")),
            (a + "expert_feed_forward_length", try u32(c.expertHidden, "text_config.moe_intermediate_size")),
            (a + "shared_kv_layers", .uint32(0)),
            (a + "embedding_length_per_layer_input", .uint32(0)),
            ("diffusion.canvas_length", try u32(c.canvasLength, "canvas_length")),
        ]
        if let eos = c.endOfSequenceIDs.first { entries.append(("tokenizer.ggml.eos_token_id", try u32(eos, "text_config.eos_token_id"))) }
        if let bos = c.beginOfSequenceID { entries.append(("tokenizer.ggml.bos_token_id", try u32(bos, "text_config.bos_token_id"))) }
        if let pad = c.padTokenID { entries.append(("tokenizer.ggml.padding_token_id", try u32(pad, "text_config.pad_token_id"))) }
        if let generation {
            let g = try DiffusionGemmaGenerationDefaults(fields: generation)
            let sampler = try generation.optionalObject("sampler_config")
            let values: [String: (present: Bool, value: GGUFValue)] = [
                "max_denoising_steps": (generation.present("max_denoising_steps") != nil, try u32(g.maxDenoisingSteps, "max_denoising_steps")),
                "t_min": (generation.present("t_min") != nil, .float32(Float(g.temperatureMin))),
                "t_max": (generation.present("t_max") != nil, .float32(Float(g.temperatureMax))),
                "sampler_config.entropy_bound": (sampler?.present("entropy_bound") != nil, .float32(Float(g.entropyBound))),
                "stability_threshold": (generation.present("stability_threshold") != nil, try u32(g.stabilityThreshold, "stability_threshold")),
                "confidence_threshold": (generation.present("confidence_threshold") != nil, .float32(Float(g.confidenceThreshold))),
            ]
            for (key, field) in samplerKeys { if let entry = values[field], entry.present { entries.append((key, entry.value)) } }
        }
        return entries
    }

    /// The tensors of `c` in file order: (Hugging Face names, GGUF name, shape, values when generated here).
    static func plan(_ c: DiffusionGemmaConfiguration) -> [ModelQuantizer.PlanEntry] {
        let (d, f, e, fe) = (c.hiddenSize, c.intermediateSize, c.expertCount, c.expertHidden)
        var plan: [ModelQuantizer.PlanEntry] = []
        func add(_ hf: String, _ shape: [Int]) {
            if let mapped = ggufName(hf) { plan.append(.init(hf: [hf], gguf: mapped.name, shape: shape, values: nil)) }
        }
        add("model.decoder.embed_tokens.weight", [c.vocabularySize, d])
        // Gemma4Model.generate_extra_tensors: one rope_freqs for every full-attention layer, 1 rotated, 1e30 not.
        if let full = c.layers.first(where: { $0.kind == .full }) {
            let factors = full.inverseFrequencies.map { $0 == 0 ? Float(1e30) : 1 }
            plan.append(.init(hf: [], gguf: "rope_freqs.weight", shape: [factors.count], values: factors))
        }
        for (n, shape) in c.layers.enumerated() {
            let p = decoderLayers + "\(n)."
            let (q, kv) = (c.headCount * shape.headDim, shape.keyValueHeads * shape.headDim)
            add(p + "input_layernorm.weight", [d])
            add(p + "self_attn.q_proj.weight", [q, d])
            add(p + "self_attn.k_proj.weight", [kv, d])
            if !shape.valuesFromKeys { add(p + "self_attn.v_proj.weight", [kv, d]) }
            add(p + "self_attn.o_proj.weight", [d, q])
            add(p + "self_attn.q_norm.weight", [shape.headDim])
            add(p + "self_attn.k_norm.weight", [shape.headDim])
            add(p + "post_attention_layernorm.weight", [d])
            add(p + "pre_feedforward_layernorm.weight", [d])
            add(p + "mlp.gate_proj.weight", [f, d])
            add(p + "mlp.up_proj.weight", [f, d])
            add(p + "mlp.down_proj.weight", [d, f])
            add(p + "post_feedforward_layernorm_1.weight", [d])
            add(p + "pre_feedforward_layernorm_2.weight", [d])
            add(p + "router.proj.weight", [e, d])
            add(p + "router.scale", [d])
            add(p + "router.per_expert_scale", [e])
            add(p + "experts.gate_up_proj", [e, 2 * fe, d])
            add(p + "experts.down_proj", [e, d, fe])
            add(p + "post_feedforward_layernorm_2.weight", [d])
            add(p + "post_feedforward_layernorm.weight", [d])
            add(p + "layer_scalar", [1])
            add(encoderLayers + "\(n).layer_scalar", [1])
        }
        add("model.decoder.norm.weight", [d])
        add("model.decoder.self_conditioning.pre_norm.weight", [d])
        add("model.decoder.self_conditioning.gate_proj.weight", [f, d])
        add("model.decoder.self_conditioning.up_proj.weight", [f, d])
        add("model.decoder.self_conditioning.down_proj.weight", [d, f])
        return plan
    }
}
