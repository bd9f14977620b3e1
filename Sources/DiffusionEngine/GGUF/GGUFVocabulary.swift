import DiffusionCore
import Foundation

/// A tokenizer rebuilt from a GGUF file's `tokenizer.ggml.*` vocabulary when it carries no
/// `tokenizer.huggingface.json`, as llama.cpp reads it (src/llama-vocab.cpp, `llama_vocab::impl::load` and
/// `tokenize`): `tokens` by id, `token_type` (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte),
/// and per `tokenizer.ggml.model`:
/// - "gpt2": byte-level BPE with `merges` and the split regex llama.cpp associates with `tokenizer.ggml.pre`
///   (its `regex_exprs` per pre-tokenizer type); other pre-tokenizers are refused with an error naming the key.
/// - "llama": SentencePiece BPE over `scores` (`SPMModel`), spaces as `▁`, a space prepended to each text run
///   when `tokenizer.ggml.add_space_prefix` (default true), bytes as `<0xXX>` tokens.
/// - "gemma4": BPE over `merges` with spaces as `▁` and `<0xXX>` byte fallback (`GGUFGemma4Vocabulary`).
/// Control (3) and user-defined (4) tokens are matched whole before the model, as Hugging Face's added tokens are.
/// Every array is checked against the token count; errors name the file and the key.
enum GGUFVocabulary {
    /// The split regex of each supported `tokenizer.ggml.pre`, applied before the byte-level mapping.
    static let preTokenizers: [String: String] = [
        // LLAMA_VOCAB_PRE_TYPE_GPT2: GPT-2's own pattern.
        "gpt-2": ByteLevel.pattern,
        // LLAMA_VOCAB_PRE_TYPE_BAILINGMOE, which llama.cpp uses for "llada-moe": the pattern of the released
        // tokenizer.json, which llama.cpp quotes; ICU regular expressions keep its possessive quantifiers.
        "llada-moe": #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"#,
    ]

    /// The rebuilder of each `tokenizer.ggml.model` (llama.cpp's `llama_vocab::impl::load` maps the same names to
    /// its vocabulary types).
    static let models: [String: @Sendable (GGUFFile) throws -> HFTokenizer] = [
        "gpt2": { try byteLevel($0) },
        "llama": { try sentencePiece($0) },
        "gemma4": { try GGUFGemma4Vocabulary.tokenizer($0) },
    ]

    static func tokenizer(_ file: GGUFFile) throws -> HFTokenizer? {
        guard let model = try file.optionalString("tokenizer.ggml.model"), model != "none", model != "no_vocab" else { return nil }
        guard let rebuild = models[model] else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.model' is '\(model)'; without 'tokenizer.huggingface.json' only \(models.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")) vocabularies are rebuilt")
        }
        return try rebuild(file)
    }

    static func label(_ file: GGUFFile) -> String { "\(file.path) (metadata 'tokenizer.ggml.*')" }

    /// Tokens and their types, checked to be of one length.
    static func tokensAndTypes(_ file: GGUFFile) throws -> (tokens: [String], types: [Int]) {
        let tokens = try file.strings("tokenizer.ggml.tokens")
        let types = file.metadata["tokenizer.ggml.token_type"] == nil ? [] : try file.integers("tokenizer.ggml.token_type")
        guard types.isEmpty || types.count == tokens.count else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.token_type' has \(types.count) entries for \(tokens.count) tokens")
        }
        return (tokens, types.isEmpty ? Array(repeating: 1, count: tokens.count) : types)
    }

    /// `<bos>`/`<eos>` added around a sequence as `tokenizer.ggml.add_bos_token`/`add_eos_token` say (llama.cpp's
    /// defaults: BOS for "llama" vocabularies, nothing for "gpt2").
    static func postProcessor(_ file: GGUFFile, count: Int, addBOSByDefault: Bool) throws -> PostProcessor {
        func id(_ key: String, _ flag: String, _ fallback: Bool) throws -> [TokenID] {
            guard try file.optionalBool(flag) ?? fallback, let id = try file.optionalInt(key) else { return [] }
            guard (0 ..< count).contains(id) else {
                throw ModelFileError(file: file.path, "metadata key '\(key)' is \(id), outside the \(count) tokens of 'tokenizer.ggml.tokens'")
            }
            return [id]
        }
        return .wrap(before: try id("tokenizer.ggml.bos_token_id", "tokenizer.ggml.add_bos_token", addBOSByDefault),
                     after: try id("tokenizer.ggml.eos_token_id", "tokenizer.ggml.add_eos_token", false))
    }

    static func addedTokens(_ tokens: [String], _ types: [Int]) -> [HFTokenizer.AddedToken] {
        tokens.indices.filter { types[$0] == 3 || types[$0] == 4 }.map {
            HFTokenizer.AddedToken(content: tokens[$0], id: $0, special: types[$0] == 3, normalized: false)
        }
    }

    private static func byteLevel(_ file: GGUFFile) throws -> HFTokenizer {
        let pre = try file.optionalString("tokenizer.ggml.pre") ?? "gpt-2"
        let alias = ["bailingmoe": "llada-moe", "bailingmoe2": "llada-moe", "default": "gpt-2"][pre] ?? pre
        guard let pattern = preTokenizers[alias] else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.pre' is '\(pre)', whose pre-tokenizer is not implemented; supported: \(preTokenizers.keys.sorted().joined(separator: ", ")), or a 'tokenizer.huggingface.json'")
        }
        let (tokens, types) = try tokensAndTypes(file)
        let merges = file.metadata["tokenizer.ggml.merges"] == nil ? [] : try file.strings("tokenizer.ggml.merges")
        // Keyed by bytes (`ExactString`), as llama.cpp's token_to_id is.
        var vocabulary: [ExactString: JSONValue] = [:]
        for (id, token) in tokens.enumerated() where types[id] != 5 {  // 5: unused ids ([PADn])
            vocabulary[ExactString(token)] = .int(id)
        }
        for (index, merge) in merges.enumerated() {
            let parts = BPEModel.splitAtSpace(merge)
            guard parts.count == 2, vocabulary[ExactString(parts[0])] != nil, vocabulary[ExactString(parts[1])] != nil,
                  vocabulary[ExactString(parts[0] + parts[1])] != nil else {
                throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.merges' entry \(index) ('\(merge)') is not two tokens of 'tokenizer.ggml.tokens' whose concatenation is one")
            }
        }
        let json: JSONValue = .object([
            "model": .object(["type": .string("BPE"), "vocab": .object(vocabulary), "merges": .array(merges.map(JSONValue.string))]),
            "pre_tokenizer": .object(["type": .string("Sequence"), "pretokenizers": .array([
                .object(["type": .string("Split"), "pattern": .object(["Regex": .string(pattern)]), "behavior": .string("Isolated")]),
                .object(["type": .string("ByteLevel"), "use_regex": .bool(false), "add_prefix_space": .bool(false)]),
            ])]),
            "decoder": .object(["type": .string("ByteLevel")]),
        ])
        let base = try HFTokenizer(json: json, file: label(file))
        return HFTokenizer(vocabulary: base.vocabulary, added: addedTokens(tokens, types), normalizer: nil,
                           preTokenizer: base.preTokenizer, model: base.model, decoder: base.decoder,
                           postProcessor: try postProcessor(file, count: tokens.count, addBOSByDefault: false), file: label(file))
    }

    private static func sentencePiece(_ file: GGUFFile) throws -> HFTokenizer {
        let (tokens, types) = try tokensAndTypes(file)
        guard case .array(_, let items)? = file.metadata["tokenizer.ggml.scores"] else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.scores' is missing or not an array; a 'llama' vocabulary needs one score per token")
        }
        var scores: [Float] = []
        scores.reserveCapacity(items.count)
        for item in items {
            guard let score = item.real, score.isFinite else {
                throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.scores' must hold finite numbers, found \(item.type.name)")
            }
            scores.append(Float(score))
        }
        guard scores.count == tokens.count else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.scores' has \(scores.count) entries for \(tokens.count) tokens")
        }
        let kept = tokens.enumerated().filter { types[$0.offset] != 5 }.map { (text: $0.element, id: $0.offset) }
        var vocabulary: [ExactString: TokenID] = [:]
        for token in kept { vocabulary[ExactString(token.text)] = token.id }
        let addSpacePrefix = try file.optionalBool("tokenizer.ggml.add_space_prefix") ?? true
        let replace = Normalizer.replaceString(" ", with: "▁")
        var decoders: [TokenDecoder] = [.replace("▁", " "), .byteFallback, .fuse]
        if addSpacePrefix { decoders.append(.strip(" ", start: 1, stop: 0)) }
        return HFTokenizer(vocabulary: vocabulary, added: addedTokens(tokens, types),
                           normalizer: addSpacePrefix ? .sequence([.prepend("▁"), replace]) : replace, preTokenizer: .none,
                           model: .spm(SPMModel(tokens: kept, scores: scores)), decoder: .sequence(decoders),
                           postProcessor: try postProcessor(file, count: tokens.count, addBOSByDefault: true), file: label(file))
    }
}
