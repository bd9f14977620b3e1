import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// A malformed `gemma4` vocabulary: missing tokens or merges, merges that are not two tokens, special ids outside
/// the tokens, duplicate tokens; each an error naming the file and the key, never a trap.
@Suite struct GGUFGemma4VocabularyBadInputTests {
    func message(dropping drop: Set<String> = [], _ edit: (inout GGUFWriter) -> Void = { _ in }) throws -> String {
        let file = try GGUFGemma4VocabularyTests.file(dropping: drop, edit)
        let error = try #require(throws: ModelFileError.self) { try GGUFVocabulary.tokenizer(file) }
        #expect(error.file.hasSuffix(".gguf"), "\(error.file)")
        return error.message
    }

    @Test func missingArraysAreNamed() throws {
        var text = try message(dropping: ["tokenizer.ggml.merges"])
        #expect(text.contains("metadata key 'tokenizer.ggml.merges' is missing"), "\(text)")
        text = try message(dropping: ["tokenizer.ggml.tokens"])
        #expect(text.contains("metadata key 'tokenizer.ggml.tokens' is missing"), "\(text)")
        text = try message(dropping: ["tokenizer.ggml.bos_token_id"])
        #expect(text.contains("metadata key 'tokenizer.ggml.bos_token_id' is missing"), "\(text)")
        text = try message { $0.set("tokenizer.ggml.merges", .array(.int32, [.int32(1)])) }
        #expect(text.contains("'tokenizer.ggml.merges' must be an array of strings"), "\(text)")
        text = try message { $0.set("tokenizer.ggml.token_type", .array(.int32, [.int32(1)])) }
        #expect(text.contains("'tokenizer.ggml.token_type' has 1 entries"), "\(text)")
    }

    @Test func mergesMustBeTwoTokens() throws {
        var text = try message { $0.set("tokenizer.ggml.merges", .array(.string, [.string("e ▁"), .string("nosuch token")])) }
        #expect(text.contains("'tokenizer.ggml.merges' entry 1 ('nosuch token') is not two tokens"), "\(text)")
        text = try message { $0.set("tokenizer.ggml.merges", .array(.string, [.string("e▁")])) }
        #expect(text.contains("'tokenizer.ggml.merges' entry 0 ('e▁') has no space"), "\(text)")
    }

    @Test(arguments: ["tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.unknown_token_id",
                      "tokenizer.ggml.padding_token_id", "tokenizer.ggml.mask_token_id"])
    func specialIDsOutsideTheTokensAreNamed(key: String) throws {
        let text = try message { $0.set(key, .uint32(1 << 30)) }
        #expect(text.contains("metadata key '\(key)' is 1073741824, outside the 571 tokens"), "\(text)")
    }

    @Test func duplicateTokensAreNamed() throws {
        let text = try message { writer in
            guard case .array(_, var tokens)? = writer.metadata.first(where: { $0.key == "tokenizer.ggml.tokens" })?.value else { return }
            tokens[10] = tokens[11]
            writer.set("tokenizer.ggml.tokens", .array(.string, tokens))
        }
        #expect(text.contains("metadata key 'tokenizer.ggml.tokens' holds"), "\(text)")
    }
}
