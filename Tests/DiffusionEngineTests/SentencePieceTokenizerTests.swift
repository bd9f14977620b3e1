import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// SentencePiece-style tokenizers (Gemma's Replace normalizer, with and without a MergedWithPrevious Split;
/// Llama's legacy Prepend+Replace; Metaspace with the "first" and "always" schemes), GGUF `llama` vocabularies with and without a space prefix, and the byte-level
/// fixture, against Hugging Face `tokenizers` (Experiments/models/tools/make_spm_tokenizer_fixtures.py): ids
/// identical (also with the special tokens the post-processor or `add_bos_token` adds), decoded text identical,
/// also for id lists whose bytes are invalid UTF-8. Exact, no tolerance.
@Suite struct SentencePieceTokenizerTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int]
            let decoded: String
            let ids_with_special: [Int]
        }
        struct DecodeCase: Decodable {
            let ids: [Int]
            let decoded: String
        }
        struct Config: Decodable {
            let cases: [Case]
            let decode_cases: [DecodeCase]
        }
        let configs: [String: Config]
    }

    struct Vocabulary: Decodable {
        let tokens: [String]
        let scores: [Float]
        let token_type: [Int]
    }

    static let folder = Fixtures.folder("tokenizers").appendingPathComponent("spm")

    static func golden(_ name: String) throws -> Golden.Config {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: folder.appendingPathComponent("golden.json")))
        return try #require(golden.configs[name], "no golden configuration \(name)")
    }

    /// The fixture vocabulary as a GGUF `llama` vocabulary, `edit` applied to its metadata.
    static func ggufVocabulary(addSpacePrefix: Bool, _ edit: (inout GGUFWriter) -> Void = { _ in }) throws -> GGUFFile {
        let vocabulary = try JSONDecoder().decode(Vocabulary.self, from: Data(contentsOf: folder.appendingPathComponent("gguf-vocab.json")))
        var writer = GGUFWriter()
        writer.set("tokenizer.ggml.model", .string("llama"))
        writer.set("tokenizer.ggml.tokens", .array(.string, vocabulary.tokens.map(GGUFValue.string)))
        writer.set("tokenizer.ggml.scores", .array(.float32, vocabulary.scores.map(GGUFValue.float32)))
        writer.set("tokenizer.ggml.token_type", .array(.int32, vocabulary.token_type.map { .int32(Int32($0)) }))
        writer.set("tokenizer.ggml.add_space_prefix", .bool(addSpacePrefix))
        writer.set("tokenizer.ggml.bos_token_id", .uint32(2))
        edit(&writer)
        let url = GGUFModelTests.temporaryFile("spm-vocabulary-\(addSpacePrefix).gguf")
        try writer.write(to: url)
        return try GGUFFile(path: url.path)
    }

    func check(_ tokenizer: HFTokenizer, against config: Golden.Config) throws {
        #expect(config.cases.count == 14 && config.decode_cases.count == 6)
        for item in config.cases {
            #expect(try tokenizer.encode(item.text) == item.ids, "\(item.text.debugDescription)")
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8), "\(item.text.debugDescription)")
            #expect(try tokenizer.encodeWithSpecialTokens(item.text) == item.ids_with_special, "\(item.text.debugDescription)")
        }
        for item in config.decode_cases {
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8), "\(item.ids)")
        }
    }

    @Test(arguments: ["gemma", "gemma-split", "llama-legacy", "metaspace-first", "metaspace-split"])
    func tokenizerJSONMatchesHuggingFace(name: String) throws {
        try check(try HFTokenizer(contentsOf: Self.folder.appendingPathComponent("\(name).json")), against: try Self.golden(name))
    }

    @Test(arguments: [true, false])
    func ggufLlamaVocabularyMatchesHuggingFace(addSpacePrefix: Bool) throws {
        let tokenizer = try #require(try GGUFVocabulary.tokenizer(try Self.ggufVocabulary(addSpacePrefix: addSpacePrefix)))
        try check(tokenizer, against: try Self.golden("gguf-llama-space-prefix-\(addSpacePrefix)"))
    }

    @Test func byteLevelMatchesHuggingFaceOnTheSameTexts() throws {
        let tokenizer = try HFTokenizer(contentsOf: Fixtures.folder("tokenizers").appendingPathComponent("byte-level-bpe.json"))
        try check(tokenizer, against: try Self.golden("byte-level"))
    }

    @Test func ggufGPT2VocabularyMatchesHuggingFaceOnTheSameTexts() throws {
        let tokenizer = try #require(try GGUFVocabulary.tokenizer(try GGUFVocabularyTests().file()))
        try check(tokenizer, against: try Self.golden("byte-level"))
    }
}
