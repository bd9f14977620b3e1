import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// Malformed `tokenizer.ggml.*` arrays in a `llama` (SentencePiece) or `gpt2` vocabulary: each an error naming
/// the file and the key, never a trap.
@Suite struct GGUFVocabularyBadInputTests {
    func error(addSpacePrefix: Bool = true, _ edit: (inout GGUFWriter) -> Void) throws -> ModelFileError {
        let file = try SentencePieceTokenizerTests.ggufVocabulary(addSpacePrefix: addSpacePrefix, edit)
        return try #require(throws: ModelFileError.self) { try GGUFVocabulary.tokenizer(file) }
    }

    @Test func llamaArraysMustMatchTheTokens() throws {
        var message = try error { $0.set("tokenizer.ggml.scores", .array(.float32, [.float32(0), .float32(-1)])) }.message
        #expect(message.contains("'tokenizer.ggml.scores' has 2 entries for 569 tokens"), "\(message)")
        message = try error { $0.set("tokenizer.ggml.token_type", .array(.int32, [.int32(1)])) }.message
        #expect(message.contains("'tokenizer.ggml.token_type' has 1 entries"), "\(message)")
        message = try error { $0.set("tokenizer.ggml.scores", .array(.string, [.string("high")])) }.message
        #expect(message.contains("'tokenizer.ggml.scores' must hold finite numbers"), "\(message)")
        message = try error { $0.set("tokenizer.ggml.scores", .string("none")) }.message
        #expect(message.contains("'tokenizer.ggml.scores' is missing or not an array"), "\(message)")
        message = try error { $0.set("tokenizer.ggml.tokens", .array(.int32, [.int32(1)])) }.message
        #expect(message.contains("'tokenizer.ggml.tokens' must be an array of strings"), "\(message)")
        let file = try #require(try error { $0.set("tokenizer.ggml.scores", .array(.float32, [])) }.file as String?)
        #expect(file.hasSuffix(".gguf"))
    }

    @Test func gpt2MergesMustNameTokens() throws {
        let message = try #require(throws: ModelFileError.self) {
            try GGUFVocabulary.tokenizer(try GGUFVocabularyTests().file {
                $0.set("tokenizer.ggml.merges", .array(.string, [.string("Ġ t"), .string("nosuch token")]))
            })
        }.message
        #expect(message.contains("'tokenizer.ggml.merges' entry 1 ('nosuch token')"), "\(message)")
    }
}
