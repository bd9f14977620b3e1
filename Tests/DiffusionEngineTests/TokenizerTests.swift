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

/// A byte-level BPE tokenizer trained with Hugging Face `tokenizers` (as GPT-2, Qwen and LLaDA ship), against
/// the library's own encodings (Experiments/models/tools/make_tokenizer_fixtures.py): ids identical, decoding
/// identical, in both merge formats.
@Suite struct ByteLevelBPETests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int]
            let decoded: String
        }
        let cases: [Case]
    }

    @Test(arguments: ["byte-level-bpe.json", "byte-level-bpe-legacy-merges.json"])
    func encodingsMatchHuggingFace(file: String) throws {
        let folder = Fixtures.folder("tokenizers")
        let tokenizer = try HFTokenizer(contentsOf: folder.appendingPathComponent(file))
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: folder.appendingPathComponent("golden.json")))
        #expect(golden.cases.count >= 7)
        for item in golden.cases {
            #expect(try tokenizer.encode(item.text) == item.ids, "\(item.text.debugDescription)")
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8))  // bytes: String == is canonical
        }
    }
}
