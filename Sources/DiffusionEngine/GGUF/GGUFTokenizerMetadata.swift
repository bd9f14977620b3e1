import Foundation

/// A Hugging Face `tokenizer.json` as GGUF tokenizer metadata, following llama.cpp's converter
/// (convert_hf_to_gguf.py `get_vocab_base` and `_set_vocab_llama_hf`, gguf-py `LlamaHfVocab` and `SpecialVocab`):
/// - `tokenizer.ggml.model`: "llama" for SentencePiece-style BPE (byte fallback `<0xXX>` tokens, spaces written as
///   `▁` by a Replace normalizer or a Metaspace pre-tokenizer, as the Gemma family ships it), except "gemma4" for
///   it in a Gemma 4 or DiffusionGemma folder (its config.json's `architectures`/`model_type`, as llama.cpp's
///   converter chooses; GGUFGemma4Vocabulary.swift), "gpt2" for other BPE, "none" for the WordLevel vocabularies
///   llama.cpp has no tokenizer for;
/// - `tokens` by id (`[PADn]` for unused ids) and `token_type` (1 normal, 2 unknown, 3 control, 4 user-defined,
///   5 unused, 6 byte);
/// - "llama": `scores`, `add_space_prefix` (a Prepend("▁") normalizer or a prepending Metaspace);
///   "gemma4": `scores` as "llama", `merges`, `add_space_prefix` false, `unknown_token_id`;
///   "gpt2": `merges`, and `pre` when it is GPT-2's;
/// - `bos_token_id`, `add_bos_token`, `add_eos_token` from the special tokens the tokenizer adds around a sequence
///   (its post-processor), always written, since llama.cpp's default for "llama" is to add BOS;
/// - the whole file as `tokenizer.huggingface.json`, from which DiffusionLab rebuilds the exact tokenizer;
/// - tokenizer_config.json's chat template beside it (GGUFChatTemplateMetadata.swift).
/// Scores: llama.cpp's SentencePiece tokenizer merges the adjacent pair whose concatenation has the highest score,
/// so a token made by the BPE merge of rank r scores -r (SentencePiece's own BPE scores are in that order, and
/// transformers derives the merges of Gemma's tokenizer.json from them); a token no merge makes scores below
/// every merge. (llama.cpp's `LlamaHfVocab` writes -1000 for every token, which merges leftmost-first instead.)
enum GGUFTokenizerMetadata {
    static func add(_ url: URL, vocabularySize: Int, to writer: inout GGUFWriter) throws {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw ModelFileError(file: url.path, "file is missing or not UTF-8 text")
        }
        let json = try JSONValue.parse(data, file: url.path)
        let tokenizer = try HFTokenizer(json: json, file: url.path)
        let root = try JSONFields(json, file: url.path)
        let model = try root.object("model")
        let isBPE = try model.optionalString("type") == "BPE"
        let style: Style = !isBPE ? .none : try !isSentencePieceStyle(root, model) ? .gpt2
            : try GGUFGemma4Vocabulary.isGemma4(configAt: url.deletingLastPathComponent().appendingPathComponent("config.json")) ? .gemma4 : .llama
        let merges = isBPE ? try mergePairs(model, file: url.path) : []
        var rank: [String: Int] = [:]
        for (index, pair) in merges.enumerated() where rank[pair.0 + pair.1] == nil { rank[pair.0 + pair.1] = index }
        let unknown = try model.optionalString("unk_token")
        var tokens: [GGUFValue] = [], types: [GGUFValue] = [], scores: [GGUFValue] = []
        let added = Dictionary(tokenizer.addedTokens.map { ($0.id, $0.special) }, uniquingKeysWith: { a, _ in a })
        for id in 0 ..< vocabularySize {
            guard let piece = tokenizer.tokens[id] else {
                tokens.append(.string("[PAD\(id)]"))
                types.append(.int32(5))
                scores.append(.float32(-Float(merges.count + 1)))
                continue
            }
            tokens.append(.string(piece))
            let type: Int32
            if let special = added[id] {
                type = special ? 3 : 4
            } else if style != .gpt2 && isByteToken(piece) {
                type = 6
            } else if style != .gpt2 && piece == unknown {
                type = 2
            } else {
                type = 1
            }
            types.append(.int32(type))
            scores.append(.float32(type == 1 ? -Float(rank[piece] ?? merges.count) : 0))
        }
        writer.set("tokenizer.ggml.model", .string(style.rawValue))
        writer.set("tokenizer.ggml.tokens", .array(.string, tokens))
        writer.set("tokenizer.ggml.token_type", .array(.int32, types))
        switch style {
        case .llama:
            writer.set("tokenizer.ggml.scores", .array(.float32, scores))
            writer.set("tokenizer.ggml.add_space_prefix", .bool(try addsSpacePrefix(root)))
        case .gemma4:
            writer.set("tokenizer.ggml.scores", .array(.float32, scores))
            writer.set("tokenizer.ggml.merges", .array(.string, merges.map { .string($0.0 + " " + $0.1) }))
            writer.set("tokenizer.ggml.add_space_prefix", .bool(false))
            if let unknown, let id = tokenizer.id(of: unknown), id < vocabularySize {
                writer.set("tokenizer.ggml.unknown_token_id", .uint32(UInt32(id)))
            }
        case .gpt2:
            if let pre = preTokenizerName(root.present("pre_tokenizer")) { writer.set("tokenizer.ggml.pre", .string(pre)) }
            if !merges.isEmpty { writer.set("tokenizer.ggml.merges", .array(.string, merges.map { .string($0.0 + " " + $0.1) })) }
        case .none:
            break
        }
        let (bos, eos) = tokenizer.addedAroundSequence
        if let bos { writer.set("tokenizer.ggml.bos_token_id", .uint32(UInt32(bos))) }
        writer.set("tokenizer.ggml.add_bos_token", .bool(bos != nil))
        // GGUF has one EOS id: the config's (written by the caller) unless the tokenizer appends another.
        let declaredEOS = writer.metadata.first { $0.key == "tokenizer.ggml.eos_token_id" }?.value
        if let eos, declaredEOS == nil { writer.set("tokenizer.ggml.eos_token_id", .uint32(UInt32(eos))) }
        let eosMatches = eos.map { declaredEOS == nil || declaredEOS == .uint32(UInt32($0)) } ?? false
        writer.set("tokenizer.ggml.add_eos_token", .bool(eosMatches))
        if url.lastPathComponent == "tokenizer.json" {
            try GGUFChatTemplateMetadata.add(configAt: url.deletingLastPathComponent().appendingPathComponent("tokenizer_config.json"),
                                             tokenizer: tokenizer, to: &writer)
        }
        writer.set("tokenizer.huggingface.json", .string(text))
    }

    enum Style: String { case llama, gemma4, gpt2, none }

    /// llama.cpp names pre-tokenizers by a hash of their output on a test text; recognisable from tokenizer.json
    /// alone are GPT-2's own (ByteLevel with its regex, no prefix space) and a Split on one of the patterns
    /// `GGUFVocabulary` implements (LLaDA-MoE's) followed by a ByteLevel without its own regex.
    static func preTokenizerName(_ json: JSONValue?) -> String? {
        guard let json else { return nil }
        let noPrefix = field(json, "add_prefix_space") != .bool(true)
        if type(json) == "ByteLevel" { return field(json, "use_regex") != .bool(false) && noPrefix ? "gpt-2" : nil }
        guard type(json) == "Sequence", case .array(let steps)? = field(json, "pretokenizers"), steps.count == 2,
              type(steps[0]) == "Split", case .string(let pattern)? = field(steps[0], "pattern").flatMap({ field($0, "Regex") }),
              field(steps[0], "behavior") == .string("Isolated"), field(steps[0], "invert") != .bool(true),
              type(steps[1]) == "ByteLevel", field(steps[1], "use_regex") == .bool(false),
              field(steps[1], "add_prefix_space") != .bool(true) else { return nil }
        return GGUFVocabulary.preTokenizers.first { $0.value == pattern && $0.key != "gpt-2" }?.key
    }

    static func isByteToken(_ piece: String) -> Bool {
        let bytes = Array(piece.utf8)
        return bytes.count == 6 && piece.hasPrefix("<0x") && piece.hasSuffix(">") && UInt8(piece.dropFirst(3).prefix(2), radix: 16) != nil
    }

    /// BPE with byte fallback whose spaces become `▁` (a Replace(" ", "▁") normalizer or a Metaspace
    /// pre-tokenizer): what llama.cpp runs as a "llama" vocabulary (gguf-py `LlamaHfVocab` accepts BPE with
    /// `byte_fallback`).
    static func isSentencePieceStyle(_ root: JSONFields, _ model: JSONFields) throws -> Bool {
        guard try model.optionalBool("byte_fallback") == true else { return false }
        return steps(root.present("normalizer"), list: "normalizers").contains { isReplaceSpace($0) }
            || steps(root.present("pre_tokenizer"), list: "pretokenizers").contains { type($0) == "Metaspace" }
    }

    /// Whether a `▁` is put before the text: a Prepend("▁") normalizer, or a Metaspace whose scheme prepends.
    static func addsSpacePrefix(_ root: JSONFields) throws -> Bool {
        if steps(root.present("normalizer"), list: "normalizers").contains(where: { step in
            type(step) == "Prepend" && field(step, "prepend") == .string("▁")
        }) { return true }
        return steps(root.present("pre_tokenizer"), list: "pretokenizers").contains { step in
            guard type(step) == "Metaspace" else { return false }
            if let scheme = field(step, "prepend_scheme") { return scheme != .string("never") }
            return field(step, "add_prefix_space") != .bool(false)  // older files: add_prefix_space, default true
        }
    }

    /// A normalizer or pre-tokenizer and, for a Sequence, its steps, flattened.
    private static func steps(_ json: JSONValue?, list: String) -> [JSONValue] {
        guard let json else { return [] }
        if type(json) == "Sequence", case .array(let items)? = field(json, list) {
            return items.flatMap { steps($0, list: list) }
        }
        return [json]
    }

    private static func field(_ json: JSONValue, _ name: String) -> JSONValue? {
        guard case .object(let values) = json else { return nil }
        return values[ExactString(name)]
    }

    private static func type(_ json: JSONValue) -> String? {
        if case .string(let type)? = field(json, "type") { return type }
        return nil
    }

    private static func isReplaceSpace(_ json: JSONValue) -> Bool {
        guard type(json) == "Replace", let pattern = field(json, "pattern") else { return false }
        return field(pattern, "String") == .string(" ") && field(json, "content") == .string("▁")
    }

    /// `model.merges` as pairs: "a b" strings (cut at the space) or ["a", "b"] lists.
    private static func mergePairs(_ model: JSONFields, file: String) throws -> [(String, String)] {
        guard model.present("merges") != nil else { return [] }
        return try model.array("merges").map { merge -> (String, String) in
            switch merge {
            case .string(let pair):
                let parts = BPEModel.splitAtSpace(pair)
                if parts.count == 2 { return (parts[0], parts[1]) }
            case .array(let parts):
                if parts.count == 2, case .string(let a) = parts[0], case .string(let b) = parts[1] { return (a, b) }
            default: break
            }
            throw ModelFileError(file: file, "field 'model.merges' has an entry that is neither \"a b\" nor [\"a\", \"b\"]")
        }
    }
}
