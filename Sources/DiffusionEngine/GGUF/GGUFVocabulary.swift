/// A tokenizer rebuilt from a GGUF file's `tokenizer.ggml.*` vocabulary when it carries no
/// `tokenizer.huggingface.json`: for `tokenizer.ggml.model` "gpt2" (byte-level BPE), tokens by id, merges, and
/// the pre-tokenizer that llama.cpp associates with `tokenizer.ggml.pre` (src/llama-vocab.cpp,
/// `llama_vocab::impl::load`, and its `regex_exprs` per pre-tokenizer type). Control tokens (type 3) and
/// user-defined tokens (type 4) are matched whole before the BPE, as Hugging Face's added tokens are.
/// Pre-tokenizers other than the ones below are refused with an error naming the key.
enum GGUFVocabulary {
    /// The split regex of each supported `tokenizer.ggml.pre`, applied before the byte-level mapping.
    static let preTokenizers: [String: String] = [
        // LLAMA_VOCAB_PRE_TYPE_GPT2: GPT-2's own pattern.
        "gpt-2": ByteLevel.pattern,
        // LLAMA_VOCAB_PRE_TYPE_BAILINGMOE, which llama.cpp uses for "llada-moe": the pattern of the released
        // tokenizer.json, which llama.cpp quotes; ICU regular expressions keep its possessive quantifiers.
        "llada-moe": #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"#,
    ]

    static func tokenizer(_ file: GGUFFile) throws -> HFTokenizer? {
        guard let model = try file.optionalString("tokenizer.ggml.model"), model != "none", model != "no_vocab" else { return nil }
        guard model == "gpt2" else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.model' is '\(model)'; without 'tokenizer.huggingface.json' only 'gpt2' vocabularies are rebuilt")
        }
        let pre = try file.optionalString("tokenizer.ggml.pre") ?? "gpt-2"
        let alias = ["bailingmoe": "llada-moe", "bailingmoe2": "llada-moe", "default": "gpt-2"][pre] ?? pre
        guard let pattern = preTokenizers[alias] else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.pre' is '\(pre)', whose pre-tokenizer is not implemented; supported: \(preTokenizers.keys.sorted().joined(separator: ", ")), or a 'tokenizer.huggingface.json'")
        }
        let tokens = try file.strings("tokenizer.ggml.tokens")
        let types = file.metadata["tokenizer.ggml.token_type"] == nil ? [] : try file.integers("tokenizer.ggml.token_type")
        guard types.isEmpty || types.count == tokens.count else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.token_type' has \(types.count) entries for \(tokens.count) tokens")
        }
        let merges = file.metadata["tokenizer.ggml.merges"] == nil ? [] : try file.strings("tokenizer.ggml.merges")
        var vocabulary: [String: JSONValue] = [:]
        var added: [JSONValue] = []
        for (id, token) in tokens.enumerated() {
            let type = types.isEmpty ? 1 : types[id]
            if type == 5 { continue }  // unused ids ([PADn])
            vocabulary[token] = .int(id)
            if type == 3 || type == 4 {
                added.append(.object(["id": .int(id), "content": .string(token), "special": .bool(type == 3)]))
            }
        }
        let json: JSONValue = .object([
            "model": .object(["type": .string("BPE"), "vocab": .object(vocabulary), "merges": .array(merges.map(JSONValue.string))]),
            "added_tokens": .array(added),
            "pre_tokenizer": .object(["type": .string("Sequence"), "pretokenizers": .array([
                .object(["type": .string("Split"), "pattern": .object(["Regex": .string(pattern)]), "behavior": .string("Isolated")]),
                .object(["type": .string("ByteLevel"), "use_regex": .bool(false), "add_prefix_space": .bool(false)]),
            ])]),
            "decoder": .object(["type": .string("ByteLevel")]),
        ])
        return try HFTokenizer(json: json, file: "\(file.path) (metadata 'tokenizer.ggml.*')")
    }
}
