import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// The `gemma4` vocabulary of GGUF files (Gemma 4, DiffusionGemma; GGUFGemma4Vocabulary.swift): written for a
/// SentencePiece-style tokenizer.json in a folder whose config.json is Gemma 4's or DiffusionGemma's, read back
/// from `tokenizer.ggml.*` alone, and checked id for id and back to text against Hugging Face `tokenizers`
/// running the same pipeline (gemma4.json: Gemma's tokenizer.json with llama.cpp's newline-run split and Gemma's
/// newline-run added tokens; make_gemma4_vocabulary_fixture.py) on the hard texts (whitespace runs, newlines,
/// CJK, emoji, combining marks, special tokens, U+FFFD from invalid UTF-8, decodings of invalid UTF-8). Exact.
@Suite struct GGUFGemma4VocabularyTests {
    struct Golden: Decodable {
        let cases: [SentencePieceTokenizerTests.Golden.Case]
        let decode_cases: [SentencePieceTokenizerTests.Golden.DecodeCase]
    }

    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: SentencePieceTokenizerTests.folder.appendingPathComponent("gemma4-golden.json")))
    }

    /// The fixture tokenizer `name` written as GGUF tokenizer metadata from a folder with `config`, without
    /// `tokenizer.huggingface.json` and the keys in `drop`, after `edit`.
    static func file(tokenizer name: String = "gemma4", config: [String: Any] = ["architectures": ["DiffusionGemmaForBlockDiffusion"], "model_type": "diffusion_gemma"],
                     dropping drop: Set<String> = [], _ edit: (inout GGUFWriter) -> Void = { _ in }) throws -> GGUFFile {
        let source = SentencePieceTokenizerTests.folder.appendingPathComponent("\(name).json")
        let folder = GGUFModelTests.temporaryFile("gemma4-vocabulary")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent("tokenizer.json"))
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        let size = (try HFTokenizer(contentsOf: source).tokens.keys.max() ?? 0) + 1
        var writer = GGUFWriter()
        try GGUFTokenizerMetadata.add(folder.appendingPathComponent("tokenizer.json"), vocabularySize: size, to: &writer)
        var kept = GGUFWriter()
        for entry in writer.metadata where entry.key != "tokenizer.huggingface.json" && !drop.contains(entry.key) { kept.set(entry.key, entry.value) }
        edit(&kept)
        let url = GGUFModelTests.temporaryFile("\(name)-vocabulary.gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try kept.write(to: url)
        return try GGUFFile(path: url.path)  // the metadata is read whole, so the file may go
    }

    func check(_ tokenizer: HFTokenizer, against golden: Golden) throws {
        #expect(golden.cases.count == 19 && golden.decode_cases.count == 6)
        for item in golden.cases {
            #expect(try tokenizer.encode(item.text) == item.ids, "\(item.text.debugDescription)")
            #expect(try tokenizer.encodeWithSpecialTokens(item.text) == item.ids_with_special, "\(item.text.debugDescription)")
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8), "\(item.text.debugDescription)")
        }
        for item in golden.decode_cases {
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8), "\(item.ids)")
        }
    }

    @Test func gemmaFamilyFolderIsWrittenAsGemma4AndReadsBackLikeTokenizers() throws {
        let golden = try Self.golden()
        // The reference pipeline itself, from tokenizer.json.
        try check(try HFTokenizer(contentsOf: SentencePieceTokenizerTests.folder.appendingPathComponent("gemma4.json")), against: golden)
        let file = try Self.file()
        #expect(file.metadata["tokenizer.ggml.model"] == .string("gemma4"))
        #expect(file.metadata["tokenizer.ggml.pre"] == nil)
        #expect(file.metadata["tokenizer.ggml.add_space_prefix"] == .bool(false))
        #expect(file.metadata["tokenizer.ggml.add_bos_token"] == .bool(true))
        #expect(file.metadata["tokenizer.ggml.bos_token_id"] == .uint32(2))
        #expect(file.metadata["tokenizer.ggml.unknown_token_id"] == .uint32(3))
        let tokens = try file.strings("tokenizer.ggml.tokens")
        let types = try file.integers("tokenizer.ggml.token_type")
        #expect(try file.strings("tokenizer.ggml.merges").count == 244)
        guard case .array(_, let scores)? = file.metadata["tokenizer.ggml.scores"] else {
            Issue.record("no tokenizer.ggml.scores")
            return
        }
        #expect(scores.count == tokens.count && types.count == tokens.count)
        func type(_ piece: String) throws -> Int { types[try #require(tokens.firstIndex(of: piece), "\(piece.debugDescription)")] }
        #expect(try type("<bos>") == 3 && type("<0x0A>") == 6 && type("\n\n") == 4 && type("▁t") == 1)
        try check(try #require(try GGUFVocabulary.tokenizer(file)), against: golden)
    }

    /// A vocabulary-only GGUF written by gguf-py the way llama.cpp's converter writes Gemma 4's (scores -1000,
    /// transformers' special tokens control, the newline-run added tokens user-defined; `--llama-cpp-gguf` of
    /// make_gemma4_vocabulary_fixture.py) reads back to tokenizers' ids and texts.
    @Test func fileWrittenByLlamaCppConverterCodeReadsBack() throws {
        let file = try GGUFFile(path: SentencePieceTokenizerTests.folder.appendingPathComponent("gemma4-llamacpp.gguf").path)
        #expect(file.metadata["tokenizer.ggml.model"] == .string("gemma4"))
        #expect(file.metadata["tokenizer.huggingface.json"] == nil)
        try check(try #require(try GGUFVocabulary.tokenizer(file)), against: try Self.golden())
        // And through the public entry point `dlab tokenize` uses.
        let tokenizer = try HFTokenizer.load(modelAt: URL(fileURLWithPath: file.path))
        #expect(try tokenizer.encodeWithSpecialTokens("x \n\n y") == [2, 348, 569, 320, 313])
    }

    /// llama.cpp's converter writes Gemma's newline-run added tokens as normal tokens; its BPE session keeps a
    /// newline run that is a token whole, which gives tokenizers' ids back (no merge reaches "\n\n").
    @Test func newlineRunsWrittenAsNormalTokensStayWhole() throws {
        let file = try Self.file { writer in
            guard case .array(_, let types)? = writer.metadata.first(where: { $0.key == "tokenizer.ggml.token_type" })?.value,
                  case .array(_, let tokens)? = writer.metadata.first(where: { $0.key == "tokenizer.ggml.tokens" })?.value else { return }
            let edited = zip(tokens, types).map { token, type in token == .string("\n\n") || token == .string("\n\n\n") ? GGUFValue.int32(1) : type }
            writer.set("tokenizer.ggml.token_type", .array(.int32, edited))
        }
        let types = try file.integers("tokenizer.ggml.token_type")
        #expect(types.filter { $0 == 4 }.count == 1)  // only [multimodal] is left user-defined
        try check(try #require(try GGUFVocabulary.tokenizer(file)), against: try Self.golden())
    }

    /// Gemma-style tokenizer.json outside the Gemma 4 family stays `llama`; only the architectures and model
    /// types llama.cpp's converter writes as `gemma4` switch.
    @Test(arguments: [
        (["architectures": ["Gemma4ForConditionalGeneration"]] as [String: Any], "gemma4"),
        (["model_type": "gemma4_text"], "gemma4"),
        (["architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3"], "llama"),
        (["architectures": ["LLaDAMoEModelLM"], "model_type": "llada_moe"], "llama"),
    ])
    func vocabularyModelFollowsTheConfig(config: [String: Any], model: String) throws {
        let file = try Self.file(tokenizer: "gemma", config: config)
        #expect(file.metadata["tokenizer.ggml.model"] == .string(model))
        #expect((file.metadata["tokenizer.ggml.merges"] != nil) == (model == "gemma4"))
    }

    /// The gemma4 reader on Gemma's own tokenizer.json (no newline split): identical to tokenizers wherever no
    /// token of tokenizers' answer spans a newline (this trained fixture has such tokens; llama.cpp splits there).
    @Test func gemmaTokenizerJSONMatchesAwayFromNewlineSpanningTokens() throws {
        let reference = try HFTokenizer(contentsOf: SentencePieceTokenizerTests.folder.appendingPathComponent("gemma.json"))
        let tokenizer = try #require(try GGUFVocabulary.tokenizer(try Self.file(tokenizer: "gemma", config: ["model_type": "gemma4"])))
        var compared = 0
        for item in try SentencePieceTokenizerTests.golden("gemma").cases {
            let spans = item.ids.contains { id in
                let piece = reference.piece(of: id) ?? ""
                return piece.contains("\n") && piece.contains { $0 != "\n" }
            }
            if spans { continue }
            compared += 1
            #expect(try tokenizer.encode(item.text) == item.ids, "\(item.text.debugDescription)")
            #expect(try tokenizer.encodeWithSpecialTokens(item.text) == item.ids_with_special, "\(item.text.debugDescription)")
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8), "\(item.text.debugDescription)")
        }
        #expect(compared == 13, "\(compared)")
    }
}
