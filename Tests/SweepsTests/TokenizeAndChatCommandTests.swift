import Foundation
import Testing

/// `dlab tokenize` and `dlab sample --chat` as a user runs them.
@Suite(.serialized) struct TokenizeAndChatCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DiffusionEngineTests/Fixtures")
    static let gemma = fixtures.appendingPathComponent("tokenizers/spm/gemma.json").path

    @Test func tokenizePrintsIdsAndPiecesAndDecodes() throws {
        // The ids Hugging Face tokenizers gives for this text (spm/golden.json, configuration "gemma").
        let ids = try runDLab(["tokenize", "--model", Self.gemma, "--ids", "Hello  wörld, it's 42!"])
        #expect(ids.status == 0, "\(ids.errors)")
        #expect(ids.output == "79,293,300,300,303,327,311,318,306,300,292,368,332,363,278,276,265\n")
        let special = try runDLab(["tokenize", "--model", Self.gemma, "--ids", "--add-special", "Hello  wörld, it's 42!"])
        #expect(special.output == "2," + ids.output, "\(special.output)")  // Gemma's <bos> first
        let pieces = try runDLab(["tokenize", "--model", Self.gemma, "a b\n"])
        #expect(pieces.output.contains("\"▁\"") && pieces.output.contains("\"\\n\"") && pieces.output.hasSuffix("tokens\n"), "\(pieces.output)")
        let text = try runDLab(["tokenize", "--model", Self.gemma, "--decode", "79,293,300,300,303,327,311,318,306,300,292,368,332,363,278,276,265"])
        #expect(text.output == "Hello  wörld, it's 42!\n")
        let folder = try runDLab(["tokenize", "--model", tinyLLaDA, "--ids", "12+34=<mask>"])
        #expect(folder.status == 0 && folder.output == "9,10,4,11,12,18,1\n", "\(folder.output)\(folder.errors)")
    }

    @Test func tokenizeBadInputIsAClearError() throws {
        let unknown = try runDLab(["tokenize", "--model", Self.gemma, "--decode", "7,999999"])
        #expect(unknown.exited && unknown.status != 0 && unknown.errors.contains("token id 999999 is not in the vocabulary"))
        let missing = try runDLab(["tokenize", "--model", "/nonexistent/model", "x"])
        #expect(missing.exited && missing.status != 0 && missing.errors.contains("/nonexistent/model"))
    }

    @Test func sampleChatAppliesTheTemplateOrSaysThereIsNone() throws {
        let none = try runDLab(["sample", "--model", tinyLLaDA, "--chat", "--gen-length", "4", "12+34="])
        #expect(none.exited && none.status != 0 && none.errors.contains("has no chat template"), "\(none.errors)")
        // A copy of the model whose template appends "=" to the user's message: the same prompt tokens as "12+34=".
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chat-model-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: tinyLLaDA), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = #"{"chat_template": "{% for message in messages %}{{ message['content'] | trim }}{% endfor %}{% if add_generation_prompt %}={% endif %}", "eos_token": "<eos>"}"#
        try Data(config.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let chat = try runDLab(["sample", "--model", folder.path, "--chat", "--gen-length", "4", " 12+34 "])
        let plain = try runDLab(["sample", "--model", tinyLLaDA, "--gen-length", "4", "12+34="])
        #expect(chat.status == 0 && plain.status == 0, "\(chat.errors)\(plain.errors)")
        #expect(chat.output.contains("prompt:  12+34=\n"), "\(chat.output)")
        let answer = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("answer:") } }
        #expect(answer(chat.output) != nil && answer(chat.output) == answer(plain.output))
        // A template with a construct outside the subset: the error names the file and the construct.
        try Data(#"{"chat_template": "{% macro m() %}{% endmacro %}"}"#.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let bad = try runDLab(["sample", "--model", folder.path, "--chat", "--gen-length", "4", "1"])
        #expect(bad.exited && bad.status != 0 && bad.errors.contains("tokenizer_config.json") && bad.errors.contains("'macro'"), "\(bad.errors)")
    }
}
