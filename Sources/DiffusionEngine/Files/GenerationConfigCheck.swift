/// `generation_config.json`, checked when a model folder loads: its keys against those the architecture knows
/// (unknown: a warning; a near-miss: an error), the token ids against the vocabulary, and the common sampling
/// fields against their domains, so that a value of the wrong type or sign is an error naming the file and key
/// before any sampler reads it.
enum GenerationConfigCheck {
    /// Keys transformers' `GenerationConfig` writes (`to_json_string` keeps the non-default ones).
    static let commonKeys: Set<String> = [
        "_from_model_config", "transformers_version", "bos_token_id", "eos_token_id", "pad_token_id",
        "decoder_start_token_id", "max_length", "max_new_tokens", "min_length", "min_new_tokens", "do_sample",
        "num_beams", "num_beam_groups", "temperature", "top_k", "top_p", "min_p", "typical_p", "repetition_penalty",
        "length_penalty", "no_repeat_ngram_size", "early_stopping", "use_cache", "num_return_sequences",
        "output_scores", "output_logits", "output_attentions", "output_hidden_states", "return_dict_in_generate",
        "cache_implementation", "forced_bos_token_id", "forced_eos_token_id", "suppress_tokens",
        "begin_suppress_tokens", "bad_words_ids", "renormalize_logits", "remove_invalid_values", "stop_strings",
    ]

    /// - Parameters:
    ///   - known: the architecture's keys (`commonKeys` plus its own).
    ///   - vocabularySize: token ids must lie in 0..<vocabularySize.
    static func check(_ g: JSONFields, known: Set<String>, vocabularySize: Int, warnings: WarningSink) throws {
        try ConfigKeys.check(g, known: known, warnings: warnings)
        if let sampler = try g.optionalObject("sampler_config") {
            try ConfigKeys.check(sampler, known: ["_cls_name", "entropy_bound"], warnings: warnings)
        }
        for name in ["bos_token_id", "eos_token_id", "pad_token_id", "mask_token_id", "decoder_start_token_id"] {
            _ = try g.tokenIDs(name, vocabularySize: vocabularySize)
        }
        for name in ["max_length", "max_new_tokens", "num_beams", "num_return_sequences"] {
            _ = try g.optionalPositiveInt(name)
        }
        for name in ["min_length", "min_new_tokens", "top_k"] {
            if let value = try g.optionalInt(name), value < 0 {
                throw ModelFileError(file: g.file, "field '\(name)' must be >= 0, found \(value)")
            }
        }
        if let temperature = try g.optionalDouble("temperature"), !(temperature.isFinite && temperature >= 0) {
            throw ModelFileError(file: g.file, "field 'temperature' must be a finite number >= 0, found \(temperature)")
        }
        for name in ["top_p", "min_p", "typical_p"] {
            if let p = try g.optionalDouble(name), !(p >= 0 && p <= 1) {
                throw ModelFileError(file: g.file, "field '\(name)' must be in [0, 1], found \(p)")
            }
        }
        _ = try g.optionalBool("do_sample")
    }
}
