import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// The tokenizer.json written by Hugging Face `tokenizers` for the fixtures (WordLevel, Split on ".", Fuse).
@Suite struct TokenizerTests {
    let tokenizer: HFTokenizer

    init() throws {
        tokenizer = try HFTokenizer(contentsOf: Fixtures.folder("llada-moe-parity").appendingPathComponent("tokenizer.json"))
    }

    @Test func specialTokensAreMatchedBeforeCharacters() throws {
        let mask = try #require(tokenizer.id(of: "<mask>"))
        let ids = try tokenizer.encode("AB<mask><mask>C")
        #expect(ids.count == 5)
        #expect(ids[2] == mask && ids[3] == mask)
        #expect(tokenizer.decode(ids) == "AB<mask><mask>C")
        #expect(tokenizer.decode(ids, skipSpecial: true) == "ABC")
    }

    @Test func unknownCharacterIsAClearError() {
        #expect(throws: TokenizerError.self) { try tokenizer.encode("A\u{1F600}") }
    }
}
