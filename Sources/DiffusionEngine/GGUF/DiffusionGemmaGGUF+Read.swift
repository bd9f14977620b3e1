import Foundation

/// Reading a `diffusion-gemma` GGUF file: its metadata as a `DiffusionGemmaConfiguration` (and its
/// `diffusion.eb_*` keys as generation defaults), each missing or inconsistent key an error naming the file and key.
extension DiffusionGemmaGGUF {
    /// The configuration the file describes. The hyperparameters become a config.json-shaped object checked by
    /// `DiffusionGemmaConfiguration` (so the same rules apply to both forms); the full-attention RoPE comes from
    /// the file's `rope_freqs` tensor as llama.cpp applies it (frequency / factor, a factor ≥ 1e29 meaning no rotation).
    public static func configuration(_ file: GGUFFile) throws -> DiffusionGemmaConfiguration {
        let a = architecture + "."
        func fail(_ message: String) -> ModelFileError { ModelFileError(file: file.path, message) }
        let embedding = try file.tensor("token_embd.weight")
        guard embedding.shape.count == 2 else {
            throw fail("tensor 'token_embd.weight' has shape \(embedding.shape), expected [vocabulary, embedding_length]")
        }
        if file.tensors["output.weight"] != nil {
            throw fail("tensor 'output.weight': an LM head apart from the embedding is not supported (DiffusionGemma ties them)")
        }
        let layers = try file.positiveInt(a + "block_count")
        // Every layer has tensors, so a count above the file's tensor count is corrupt (and must not size arrays).
        guard layers <= file.tensors.count else {
            throw fail("metadata key '\(a)block_count' is \(layers), but the file has only \(file.tensors.count) tensors")
        }
        func perLayer(_ key: String) throws -> [Int] {
            let values = try file.integerOrIntegers(key)
            guard values.count == 1 || values.count == layers else {
                throw fail("metadata key '\(key)' has \(values.count) entries for \(layers) layers (block_count)")
            }
            return values.count == 1 ? Array(repeating: values[0], count: layers) : values
        }
        let pattern = try slidingPattern(file, key: a + "attention.sliding_window_pattern", layers: layers)
        let keyValueHeads = try perLayer(a + "attention.head_count_kv")
        let feedForward = try perLayer(a + "feed_forward_length")
        guard feedForward.allSatisfy({ $0 == feedForward[0] }) else {
            throw fail("metadata key '\(a)feed_forward_length' differs between layers; not supported")
        }
        func headDim(_ suffix: String) throws -> Int {
            let key = try file.positiveInt(a + "attention.key_length" + suffix)
            if let value = try file.optionalInt(a + "attention.value_length" + suffix), value != key {
                throw fail("metadata key '\(a)attention.value_length\(suffix)' is \(value), but key_length\(suffix) is \(key); DiffusionGemma needs them equal")
            }
            if let rotary = try file.optionalInt(a + "rope.dimension_count" + suffix), rotary != key {
                throw fail("metadata key '\(a)rope.dimension_count\(suffix)' is \(rotary); only the whole head (\(key)) is supported")
            }
            return key
        }
        let (fullDim, slidingDim) = (try headDim(""), try headDim("_swa"))
        for key in ["shared_kv_layers", "embedding_length_per_layer_input"] {
            if let value = try file.optionalInt(a + key), value != 0 {
                throw fail("metadata key '\(a)\(key)' is \(value); DiffusionGemma has no shared KV layers or per-layer inputs")
            }
        }
        if try file.optionalBool(a + "attention.causal") == true {
            throw fail("metadata key '\(a)attention.causal' is true; DiffusionGemma's decoder attends bidirectionally")
        }
        let vocabulary = try file.optionalInt(a + "vocab_size") ?? embedding.shape[0]
        let fullTheta = try file.real(a + "rope.freq_base")
        var perLayerConfig: [ExactString: JSONValue] = [:]
        for layer in 0 ..< layers {
            perLayerConfig[ExactString(String(layer))] = .object([
                "head_dim": .int(pattern[layer] ? slidingDim : fullDim), "num_key_value_heads": .int(keyValueHeads[layer]),
            ])
        }
        var text: [ExactString: JSONValue] = [
            "vocab_size": .int(vocabulary),
            "hidden_size": .int(try file.positiveInt(a + "embedding_length")),
            "intermediate_size": .int(feedForward[0]),
            "num_hidden_layers": .int(layers),
            "num_attention_heads": .int(try file.positiveInt(a + "attention.head_count")),
            "num_key_value_heads": .int(keyValueHeads[pattern.firstIndex(of: true) ?? 0]),
            "head_dim": .int(slidingDim),
            "rms_norm_eps": .double(try file.real(a + "attention.layer_norm_rms_epsilon")),
            "max_position_embeddings": .int(try file.positiveInt(a + "context_length")),
            "final_logit_softcapping": .double(try file.optionalReal(a + "final_logit_softcapping") ?? 30),
            "sliding_window": .int(try file.positiveInt(a + "attention.sliding_window")),
            "layer_types": .array(pattern.map { .string($0 ? "sliding_attention" : "full_attention") }),
            "per_layer_config": .object(perLayerConfig),
            "rope_parameters": .object([
                "sliding_attention": .object(["rope_type": .string("default"), "rope_theta": .double(try file.real(a + "rope.freq_base_swa"))]),
                // Every pair rotated here; rope_freqs below leaves the unrotated ones out.
                "full_attention": .object(["rope_type": .string("proportional"), "rope_theta": .double(fullTheta), "partial_rotary_factor": .double(1)]),
            ]),
            "num_experts": .int(try file.positiveInt(a + "expert_count")),
            "top_k_experts": .int(try file.positiveInt(a + "expert_used_count")),
            "moe_intermediate_size": .int(try file.positiveInt(a + "expert_feed_forward_length")),
        ]
        for (key, field) in [("eos_token_id", "eos_token_id"), ("bos_token_id", "bos_token_id"), ("padding_token_id", "pad_token_id")] {
            if let id = try file.optionalInt("tokenizer.ggml." + key) { text[ExactString(field)] = .int(id) }
        }
        let top: [ExactString: JSONValue] = [
            "text_config": .object(text), "tie_word_embeddings": .bool(true),
            "canvas_length": .int(try file.positiveInt("diffusion.canvas_length")),
        ]
        // DiffusionGemmaConfiguration's messages name config fields; say which GGUF keys they came from.
        var config: DiffusionGemmaConfiguration
        do {
            config = try DiffusionGemmaConfiguration(fields: try JSONFields(.object(top), file: file.path), warnings: WarningSink { _ in })
        } catch let error as ModelFileError {
            throw fail("\(error.message) (from the GGUF metadata '\(a)*', 'diffusion.*' and 'tokenizer.ggml.*')")
        }
        if let full = pattern.firstIndex(of: false) {
            let factors = try ropeFactors(file, count: fullDim / 2)
            for layer in config.layers.indices where !pattern[layer] {
                config.layers[layer].inverseFrequencies = zip(config.layers[full].inverseFrequencies, factors).map { frequency, factor in
                    factor >= 1e29 ? 0 : frequency / factor
                }
            }
        }
        return config
    }

    /// `attention.sliding_window_pattern`: one bool per layer, true for sliding-window layers.
    static func slidingPattern(_ file: GGUFFile, key: String, layers: Int) throws -> [Bool] {
        guard let value = file.metadata[key] else { throw ModelFileError(file: file.path, "metadata key '\(key)' is missing") }
        guard case .array(.bool, let items) = value, items.count == layers else {
            throw ModelFileError(file: file.path, "metadata key '\(key)' must be an array of \(layers) bools (one per layer, block_count)")
        }
        return items.map { $0 == .bool(true) }
    }

    /// The `rope_freqs` divisors [count]: finite and positive (1e30 marks an unrotated pair).
    static func ropeFactors(_ file: GGUFFile, count: Int) throws -> [Float] {
        let info = try file.tensor("rope_freqs.weight")
        guard info.shape == [count] else {
            throw ModelFileError(file: file.path, "tensor 'rope_freqs.weight' has shape \(info.shape), the metadata implies [\(count)] (key_length / 2)")
        }
        var values = [Float](repeating: 0, count: count)
        withExtendedLifetime(file) {
            values.withUnsafeMutableBufferPointer { DequantizeFast.run(info.type, info.bytes, count: count, into: $0.baseAddress!) }
        }
        if let bad = values.firstIndex(where: { !$0.isFinite || $0 <= 0 }) {
            throw ModelFileError(file: file.path, "tensor 'rope_freqs.weight' has \(values[bad]) at element \(bad); RoPE frequency factors must be finite and positive")
        }
        return values
    }

    /// The file's `diffusion.eb_*` keys as generation_config.json fields (nil when it has none, as the released
    /// files), checked as `DiffusionGemmaGenerationDefaults` checks that file; errors name the GGUF key.
    public static func generationConfig(_ file: GGUFFile) throws -> JSONFields? {
        var fields: [ExactString: JSONValue] = [:]
        for (key, field) in samplerKeys where file.metadata[key] != nil {
            let value: JSONValue = field.hasSuffix("steps") || field.hasSuffix("stability_threshold")
                ? .int(try file.int(key)) : .double(try file.real(key))
            if field == "sampler_config.entropy_bound" {
                fields["sampler_config"] = .object(["entropy_bound": value])
            } else {
                fields[ExactString(field)] = value
            }
        }
        guard !fields.isEmpty else { return nil }
        let generation = try JSONFields(.object(fields), file: file.path)
        do {
            _ = try DiffusionGemmaGenerationDefaults(fields: generation)
        } catch let error as ModelFileError {
            throw ModelFileError(file: file.path, "\(error.message) (from the GGUF metadata 'diffusion.eb_*': "
                + samplerKeys.map { "\($0.key) → \($0.field)" }.joined(separator: ", ") + ")")
        }
        return generation
    }
}
