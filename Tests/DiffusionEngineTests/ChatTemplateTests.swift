import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// The published chat templates (Gemma 2, Gemma 3, Ling-lite, Ling 2.0 / LLaDA 2.x) rendered for eight
/// conversations with and without the generation prompt, against Python jinja2 rendering them as transformers
/// does (Experiments/models/tools/make_chat_template_fixtures.py): the same text exactly, or the same message
/// when the template raises; where Python fails on a conversation the template cannot handle (a list where it
/// concatenates strings), an error here too.
@Suite struct ChatTemplateTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let template: String
            let conversation: String
            let messages: JSONValue
            let add_generation_prompt: Bool
            let bos_token: String
            let eos_token: String
            let output: String?
            let error: String?
        }
        let cases: [Case]
    }

    static let folder = Fixtures.folder("chat-templates")

    @Test func rendersLikeJinja2() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.folder.appendingPathComponent("golden.json")))
        #expect(golden.cases.count == 64)
        var templates: [String: String] = [:]
        for item in golden.cases {
            let source = try templates[item.template] ?? String(contentsOf: Self.folder.appendingPathComponent(item.template), encoding: .utf8)
            templates[item.template] = source
            let template = try ChatTemplate(source: source, file: item.template, bosToken: item.bos_token, eosToken: item.eos_token)
            guard case .array(let messages) = item.messages else { Issue.record("messages of \(item.conversation) are not a list"); continue }
            let label = "\(item.template) \(item.conversation) generation=\(item.add_generation_prompt)"
            if let output = item.output {
                #expect(try template.render(messages: messages, addGenerationPrompt: item.add_generation_prompt) == output, "\(label)")
            } else if let error = item.error {
                let thrown = try #require(throws: ModelFileError.self, "\(label)") {
                    try template.render(messages: messages, addGenerationPrompt: item.add_generation_prompt)
                }
                if !error.contains("Error:") { #expect(thrown.message.hasSuffix(error), "\(label): \(thrown.message)") }
            }
        }
    }

    @Test func llada2PromptIsTheDocumentedOne() throws {
        let source = try String(contentsOf: Self.folder.appendingPathComponent("ling-2.0.jinja"), encoding: .utf8)
        let template = try ChatTemplate(source: source, file: "ling-2.0.jinja")
        #expect(try template.render([ChatMessage(role: "user", content: "Hi")])
            == "<role>SYSTEM</role>detailed thinking off<|role_end|><role>HUMAN</role>Hi<|role_end|><role>ASSISTANT</role>")
    }

    @Test func whitespaceControlFollowsJinja2() throws {
        let cases: [(String, String)] = [
            ("a\n  {% if true %}\n  b\n  {% endif %}\nc", "a\n  b\nc"),  // lstrip_blocks and trim_blocks
            ("a  {%- if true -%}  b  {%- endif %}", "ab"),
            ("x {{ 'y' }} {# note #}\nz\n", "x y z"),  // the comment's newline goes, one trailing newline goes
            ("{{ [1, 2, 3][::-1] }} {{ 'abc'[1:] }} {{ 7 // 2 }} {{ -7 % 3 }} {{ 1 if false }}", "[3, 2, 1] bc 3 2 "),
            ("{% for x in 'ab' %}{{ loop.index }}{{ x }}{% if loop.last %}!{% endif %}{% endfor %}", "1a2b!"),
            ("{% set n = namespace(k=1) %}{% for x in [1, 2] %}{% set n.k = n.k + x %}{% set lost = 1 %}{% endfor %}{{ n.k }}{{ lost is defined }}", "4False"),
        ]
        for (source, expected) in cases {
            #expect(try ChatTemplate(source: source, file: "inline").render(messages: []) == expected, "\(source.debugDescription)")
        }
    }

    @Test(arguments: [
        ("{% macro greet(x) %}hi{% endmacro %}", "'macro'", "line 1, column 1"),
        ("ok\n  {% for m in messages %}{% break %}{% endfor %}", "'break'", "line 2, column 26"),
        ("{{ messages | map(attribute='role') | list }}", "filter 'map'", "line 1, column 13"),
        ("{% raw %}x{% endraw %}", "'raw'", "line 1, column 1"),
        ("{{ x.y( }}", "never closed", "line 1, column 1"),
        ("{% if true %}unclosed", "never closed", "line 1, column 1"),
        ("{{ cycler(1, 2) }}", "function 'cycler'", "line 1, column 4"),
        ("{% set d = {'a': 1, 2: 'b'} %}", "dictionary literal key 2 (int)", "line 1, column 12"),
    ])
    func unsupportedConstructsAreNamedWithTheirPosition(source: String, construct: String, position: String) throws {
        let error = try #require(throws: ModelFileError.self) {
            try ChatTemplate(source: source, file: "tokenizer_config.json (field 'chat_template')").render(messages: [])
        }
        #expect(error.file.contains("tokenizer_config.json"))
        #expect(error.message.contains(construct) && error.message.contains(position), "\(error.message)")
    }

    @Test func hostileTemplatesAreErrorsNotTraps() throws {
        let sources = [
            "{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}",
            "{{ " + String(repeating: "not ", count: 5000) + "1 }}",
            "{{ " + String(repeating: "-", count: 5000) + "1 }}",
            String(repeating: "{% if true %}", count: 5000),
            "{{ range(-9223372036854775807 - 1, 0) }}",
        ]
        for source in sources {
            #expect(throws: ModelFileError.self) { try ChatTemplate(source: source, file: "t").render(messages: []) }
        }
        let arithmetic = "{{ (-9223372036854775807 - 1) // -1 }} {{ -(-9223372036854775807 - 1) }} {{ -7 // 2 }} {{ 7 % -3 }}"
        // Python's integers do not overflow; here the two extreme cases wrap instead of trapping.
        #expect(try ChatTemplate(source: arithmetic, file: "t").render(messages: []) == "-9223372036854775808 -9223372036854775808 -4 -2")
    }

    @Test func loadsFromTokenizerConfigAndGGUF() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chat-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try ChatTemplate.load(modelAt: folder) == nil)  // no tokenizer_config.json: no template
        // The list form with a "default" entry, and bos_token as an added-token object.
        let config = #"{"bos_token": {"content": "<bos>", "special": true}, "eos_token": "<eos>", "chat_template": [{"name": "tool_use", "template": "x"}, {"name": "default", "template": "{{ bos_token }}{{ messages[0]['content'] }}{{ eos_token }}"}]}"#
        try Data(config.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let template = try #require(try ChatTemplate.load(modelAt: folder))
        #expect(try template.render([ChatMessage(role: "user", content: "hi")]) == "<bos>hi<eos>")
        try Data(#"{"chat_template": 3}"#.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let wrong = try #require(throws: ModelFileError.self) { try ChatTemplate.load(modelAt: folder) }
        #expect(wrong.file.hasSuffix("tokenizer_config.json") && wrong.message.contains("'chat_template'"))
        // A GGUF file's tokenizer.chat_template, its BOS spelled by its own vocabulary.
        let gguf = try SentencePieceTokenizerTests.ggufVocabulary(addSpacePrefix: false) {
            $0.set("tokenizer.chat_template", .string("{{ bos_token }}<start_of_turn>{{ messages[0]['content'] }}"))
        }
        let fromGGUF = try #require(try ChatTemplate.load(modelAt: URL(fileURLWithPath: gguf.path)))
        #expect(try fromGGUF.render([ChatMessage(role: "user", content: "hi")]) == "<bos><start_of_turn>hi")
    }
}
