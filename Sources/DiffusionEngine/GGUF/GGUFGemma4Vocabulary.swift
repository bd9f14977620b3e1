import DiffusionCore
import Foundation

/// The `gemma4` vocabulary of GGUF files: how llama.cpp writes Gemma 4 and DiffusionGemma tokenizers, and how
/// DiffusionLab reads one back when a file carries no `tokenizer.huggingface.json`.
///
/// Written by llama.cpp's converter (conversion/gemma.py `Gemma4Model.set_vocab`, inherited by
/// conversion/diffusion_gemma.py `DiffusionGemmaModel`), from tokenizer.json through gguf-py `LlamaHfVocab`:
/// - `tokenizer.ggml.model` = "gemma4"; no `tokenizer.ggml.pre` (the loader sets it to "gemma4" itself);
/// - `tokens` by id, `scores` (-1000 for every token: unused by this model), `token_type` (6 byte for `<0xXX>`,
///   3 control for transformers' special tokens, 1 normal otherwise, 4 user-defined for the chat-channel tokens
///   `<|channel>` ... `<|"|>`; DiffusionGemma also marks `</s>` and `<|...>`/`<...|>` tokens control);
/// - `merges` ("left right", gguf-py `SpecialVocab(load_merges=True)`), the special ids tokenizer_config.json
///   names (`bos_token_id`, `eos_token_id`, `unknown_token_id`, `padding_token_id`, ...), `add_bos_token` and
///   `add_eos_token` from it, then `add_space_prefix` = false and `add_bos_token` = true.
///
/// Read by llama.cpp (src/llama-vocab.cpp):
/// - `llama_vocab::impl::load`: "gemma4" is `LLAMA_VOCAB_TYPE_BPE` whose `merges` are required (an array of
///   strings, each cut at its first space after the first byte, rank = index); special ids default to none and
///   are read from the file (an id outside the tokens is ignored with a warning); `tokenizer_pre` is forced to
///   "gemma4", giving `LLAMA_VOCAB_PRE_TYPE_GEMMA4` with `escape_whitespaces` = true and `clean_spaces` = true;
///   `add_space_prefix` is read (false); `add_bos` is forced true (pull request 21500); `</s>` leaves the
///   end-of-generation set when `<|tool_response>` is present.
/// - `llama_vocab::impl::tokenize` (case `LLAMA_VOCAB_TYPE_BPE`): control/user-defined tokens are cut out first
///   (`tokenizer_st_partition`), then each text run has its spaces replaced by `▁` (`llama_escape_whitespace`)
///   and goes to `llm_tokenizer_bpe_session::tokenize`: split by the regex `[^\n]+|[\n]+` (`llm_tokenizer_bpe`,
///   case `LLAMA_VOCAB_PRE_TYPE_GEMMA4`, `byte_encode` = false: raw UTF-8, no GPT-2 byte alphabet); a piece made
///   only of newlines that is a token is emitted whole; otherwise the piece is cut into UTF-8 characters and the
///   adjacent pair of lowest merge rank (leftmost on ties, `llm_bigram_bpe::comparator`) is merged until none is
///   left; a symbol that is no token becomes its `<0xXX>` byte tokens.
/// - `llama_vocab::impl::token_to_piece` (case `LLAMA_VOCAB_TYPE_BPE`): normal tokens with `▁` turned back into
///   spaces, byte tokens as their byte (`token_to_byte`), control and user-defined tokens as their text;
///   `llama_vocab::impl::detokenize` then applies `clean_spaces`.
///
/// DiffusionLab runs the same pipeline as a Hugging Face tokenizer: Replace(" ", "▁"), Split on newline runs,
/// BPE with byte fallback over the merges (newline runs that are tokens kept whole), decoder Replace("▁", " ") +
/// ByteFallback + Fuse, `<bos>` always added. Three deliberate differences from llama.cpp, each toward
/// Hugging Face `tokenizers` running the original tokenizer.json: a symbol with neither a token nor byte tokens
/// becomes `<unk>` (llama.cpp drops it); decoding does not apply llama.cpp's `clean_spaces` (which removes the
/// space before `?!.,` and some apostrophes); the id lists of invalid UTF-8 decode with U+FFFD as tokenizers does.
/// Bad input is an error naming the file and key: missing tokens or merges, a merge that is not two tokens whose
/// concatenation is one, a duplicate token, a special id outside the tokens (which llama.cpp ignores with a warning).
enum GGUFGemma4Vocabulary {
    /// What llama.cpp's converter writes as a `gemma4` vocabulary: the `architectures` its `Gemma4Model` and
    /// `DiffusionGemmaModel` are registered for (conversion/gemma.py, conversion/diffusion_gemma.py), and the
    /// `model_type` of those configurations.
    static let architectures: Set<String> = [
        "Gemma4ForConditionalGeneration", "Gemma4ForCausalLM", "Gemma4UnifiedForConditionalGeneration",
        "Gemma4AssistantForCausalLM", "Gemma4UnifiedAssistantForCausalLM", "Gemma4DSparkModel",
        "DiffusionGemma4ModelForBlockDiffusion", "DiffusionGemmaForBlockDiffusion",
    ]
    static let modelTypes: Set<String> = ["gemma4", "gemma4_text", "diffusion_gemma", "diffusion_gemma_text"]

    /// Whether llama.cpp's converter writes the tokenizer of the model whose config.json is at `url` as a
    /// `gemma4` vocabulary (false without a config.json).
    static func isGemma4(configAt url: URL) throws -> Bool {
        guard FileManager.default.fileExists(atPath: url.path) else { return false }
        let root = try JSONFields(try JSONValue.read(url), file: url.path)
        if root.present("architectures") != nil {
            let names = try root.array("architectures").compactMap { if case .string(let name) = $0 { name } else { nil } }
            if names.contains(where: architectures.contains) { return true }
        }
        return try root.optionalString("model_type").map(modelTypes.contains) ?? false
    }

    static func tokenizer(_ file: GGUFFile) throws -> HFTokenizer {
        let (tokens, types) = try GGUFVocabulary.tokensAndTypes(file)
        guard file.metadata["tokenizer.ggml.merges"] != nil else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.merges' is missing; a 'gemma4' vocabulary is BPE over its merges")
        }
        let merges = try file.strings("tokenizer.ggml.merges")
        var vocabulary: [ExactString: JSONValue] = [:]
        for (id, token) in tokens.enumerated() {
            guard vocabulary.updateValue(.int(id), forKey: ExactString(token)) == nil else {
                throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.tokens' holds '\(token)' twice (id \(id))")
            }
        }
        for id in tokens.indices where types[id] == 5 { vocabulary[ExactString(tokens[id])] = nil }  // unused ids
        var pairs: [JSONValue] = []
        pairs.reserveCapacity(merges.count)
        for (index, merge) in merges.enumerated() {
            // llama.cpp cuts at the first space after the first byte (`word.find(' ', 1)`).
            let bytes = Array(merge.utf8)
            guard let space = bytes.dropFirst().firstIndex(of: UInt8(ascii: " ")) else {
                throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.merges' entry \(index) ('\(merge)') has no space between two tokens")
            }
            let left = String(decoding: bytes[..<space], as: UTF8.self), right = String(decoding: bytes[(space + 1)...], as: UTF8.self)
            guard vocabulary[ExactString(left)] != nil, vocabulary[ExactString(right)] != nil, vocabulary[ExactString(left + right)] != nil else {
                throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.merges' entry \(index) ('\(merge)') is not two tokens of 'tokenizer.ggml.tokens' whose concatenation is one")
            }
            pairs.append(.array([.string(left), .string(right)]))
        }
        for key in ["tokenizer.ggml.padding_token_id", "tokenizer.ggml.mask_token_id"] { _ = try specialID(file, key, count: tokens.count) }
        var model: [ExactString: JSONValue] = [
            "type": .string("BPE"), "vocab": .object(vocabulary), "merges": .array(pairs), "byte_fallback": .bool(true),
        ]
        if let unknown = try specialID(file, "tokenizer.ggml.unknown_token_id", count: tokens.count) { model["unk_token"] = .string(tokens[unknown]) }
        let json: JSONValue = .object([
            "model": .object(model),
            "normalizer": .object(["type": .string("Replace"), "pattern": .object(["String": .string(" ")]), "content": .string("▁")]),
            "pre_tokenizer": .object(["type": .string("Split"), "pattern": .object(["Regex": .string("\n+")]), "behavior": .string("Isolated")]),
            "decoder": .object(["type": .string("Sequence"), "decoders": .array([
                .object(["type": .string("Replace"), "pattern": .object(["String": .string("▁")]), "content": .string(" ")]),
                .object(["type": .string("ByteFallback")]), .object(["type": .string("Fuse")]),
            ])]),
        ])
        let label = GGUFVocabulary.label(file)
        let base = try HFTokenizer(json: json, file: label)
        guard case .bpe(var bpe) = base.model else {
            throw ModelFileError(file: file.path, "metadata 'tokenizer.ggml.*' did not give a BPE model")
        }
        bpe.wholeNewlineRuns = true
        return HFTokenizer(vocabulary: base.vocabulary, added: GGUFVocabulary.addedTokens(tokens, types), normalizer: base.normalizer,
                           preTokenizer: base.preTokenizer, model: .bpe(bpe), decoder: base.decoder,
                           postProcessor: try postProcessor(file, count: tokens.count), file: label)
    }

    /// `<bos>` always (llama.cpp forces `add_bos` for this model, and fails without a BOS id), `<eos>` when
    /// `tokenizer.ggml.add_eos_token` says so.
    private static func postProcessor(_ file: GGUFFile, count: Int) throws -> PostProcessor {
        guard let bos = try specialID(file, "tokenizer.ggml.bos_token_id", count: count) else {
            throw ModelFileError(file: file.path, "metadata key 'tokenizer.ggml.bos_token_id' is missing; a 'gemma4' vocabulary always adds <bos>")
        }
        let eos = try specialID(file, "tokenizer.ggml.eos_token_id", count: count)
        let addEOS = try file.optionalBool("tokenizer.ggml.add_eos_token") ?? false
        return .wrap(before: [bos], after: addEOS ? eos.map { [$0] } ?? [] : [])
    }

    /// A special token id, checked to be one of the `count` tokens.
    private static func specialID(_ file: GGUFFile, _ key: String, count: Int) throws -> Int? {
        guard let id = try file.optionalInt(key) else { return nil }
        guard (0 ..< count).contains(id) else {
            throw ModelFileError(file: file.path, "metadata key '\(key)' is \(id), outside the \(count) tokens of 'tokenizer.ggml.tokens'")
        }
        return id
    }
}
