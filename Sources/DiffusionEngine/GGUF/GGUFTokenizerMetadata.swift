import Foundation

/// A Hugging Face `tokenizer.json` as GGUF tokenizer metadata, following llama.cpp's converter
/// (convert_hf_to_gguf.py `get_vocab_base`, gguf-py `SpecialVocab`): `tokenizer.ggml.model` ("gpt2" for BPE,
/// "none" for the WordLevel vocabularies llama.cpp has no tokenizer for), `pre` when it is GPT-2's, `tokens` by id (`[PADn]` for unused
/// ids), `token_type` (1 normal, 3 control, 4 user-defined, 5 unused), `merges` for BPE, and the whole file as
/// `tokenizer.huggingface.json`, from which DiffusionLab rebuilds the exact tokenizer.
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
        var tokens: [GGUFValue] = []
        var types: [GGUFValue] = []
        let added = Dictionary(tokenizer.addedTokens.map { ($0.id, $0.special) }, uniquingKeysWith: { a, _ in a })
        for id in 0 ..< vocabularySize {
            if let piece = tokenizer.tokens[id] {
                tokens.append(.string(piece))
                types.append(.int32(added[id].map { $0 ? 3 : 4 } ?? 1))
            } else {
                tokens.append(.string("[PAD\(id)]"))
                types.append(.int32(5))
            }
        }
        writer.set("tokenizer.ggml.model", .string(isBPE ? "gpt2" : "none"))
        // llama.cpp names pre-tokenizers by a hash of their output; GPT-2's own (ByteLevel with its regex, no
        // prefix space) is the one recognisable from tokenizer.json alone.
        if isBPE, let pre = try root.optionalObject("pre_tokenizer"), try pre.optionalString("type") == "ByteLevel",
           try pre.optionalBool("use_regex") ?? true, !(try pre.optionalBool("add_prefix_space") ?? false) {
            writer.set("tokenizer.ggml.pre", .string("gpt-2"))
        }
        writer.set("tokenizer.ggml.tokens", .array(.string, tokens))
        writer.set("tokenizer.ggml.token_type", .array(.int32, types))
        if isBPE {
            let merges = try model.array("merges").map { merge -> GGUFValue in
                switch merge {
                case .string(let pair): return .string(pair)
                case .array(let parts): return .string(parts.map { if case .string(let s) = $0 { s } else { "" } }.joined(separator: " "))
                default: throw ModelFileError(file: url.path, "field 'model.merges' has an entry that is neither \"a b\" nor [\"a\", \"b\"]")
                }
            }
            if !merges.isEmpty { writer.set("tokenizer.ggml.merges", .array(.string, merges)) }
        }
        writer.set("tokenizer.huggingface.json", .string(text))
    }
}
