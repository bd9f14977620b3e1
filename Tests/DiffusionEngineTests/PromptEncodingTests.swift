import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// Prompts encoded as Hugging Face transformers encodes them (make_prompt_encoding_fixtures.py, transformers
/// 5.23): a plain prompt as `tokenizer(text)` (with the `<bos>` tokenizer.json's post-processor adds), a chat
/// prompt as `apply_chat_template(..., tokenize=True)` (the template's own `<bos>`, no second one), with
/// tokenizer_config.json's `add_bos_token`/`add_eos_token` changing nothing. Exact.
@Suite struct PromptEncodingTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int]
            let chat_ids: [Int]
        }
        struct Config: Decodable {
            let tokenizer_json: String
            let cases: [Case]
        }
        let configs: [String: Config]
    }

    static let folder = Fixtures.folder("tokenizers").appendingPathComponent("prompts")

    @Test(arguments: ["gemma-template", "config-flags-on", "config-flags-off"])
    func promptsEncodeLikeTransformers(name: String) throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.folder.appendingPathComponent("golden.json")))
        let config = try #require(golden.configs[name])
        #expect(config.cases.count == 4)
        let model = GGUFModelTests.temporaryFile("prompt-\(name)")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: model) }
        try FileManager.default.copyItem(at: SentencePieceTokenizerTests.folder.appendingPathComponent(config.tokenizer_json),
                                         to: model.appendingPathComponent("tokenizer.json"))
        try FileManager.default.copyItem(at: Self.folder.appendingPathComponent("\(name).tokenizer_config.json"),
                                         to: model.appendingPathComponent("tokenizer_config.json"))
        let tokenizer = try HFTokenizer.load(modelAt: model)
        let template = try #require(try ChatTemplate.load(modelAt: model))
        for item in config.cases {
            #expect(try tokenizer.encodePrompt(item.text, renderedByChatTemplate: false) == item.ids, "\(item.text.debugDescription)")
            let rendered = try template.render([ChatMessage(role: "user", content: item.text)])
            #expect(try tokenizer.encodePrompt(rendered, renderedByChatTemplate: true) == item.chat_ids, "\(item.text.debugDescription)")
        }
    }

    /// The shipped tiny models' tokenizers add nothing around a text, so their prompts (and every result made
    /// with them) are the ids `encode` gave before prompts were encoded with special tokens.
    @Test(arguments: ["tiny-llada-moe", "tiny-diffusiongemma", "tiny-ar-mtp"])
    func shippedTinyModelsAddNoSpecialTokens(name: String) throws {
        let folder = GGUFModelTests.tinyFolder.deletingLastPathComponent().appendingPathComponent(name)
        let tokenizer = try HFTokenizer.load(modelAt: folder)
        for text in ["12+34=", "SUDA1.2=3", ""] {  // characters all three vocabularies have
            #expect(try tokenizer.encodePrompt(text, renderedByChatTemplate: false) == tokenizer.encode(text))
        }
    }
}
