import Foundation

/// One message of a conversation.
public struct ChatMessage: Sendable {
    public let role: String
    public let content: String
    public init(role: String, content: String) { (self.role, self.content) = (role, content) }
}

/// A model's chat template: `chat_template` of `tokenizer_config.json` (a string, or a list of named templates of
/// which "default" is used) or `tokenizer.chat_template` of a GGUF file, with the `bos_token` and `eos_token` it
/// refers to. Rendered as transformers' `apply_chat_template` renders it (jinja2 with trim_blocks and
/// lstrip_blocks) by the Jinja subset in JinjaParser.swift; errors name the file, and the line and column in the
/// template.
public struct ChatTemplate: Sendable {
    public let source: String
    public let file: String
    let nodes: [JinjaNode]
    public let bosToken: String
    public let eosToken: String

    public init(source: String, file: String, bosToken: String = "", eosToken: String = "") throws {
        do {
            nodes = try JinjaParser.parse(source)
        } catch let error as JinjaError {
            throw ModelFileError(file: file, "chat template: \(error)")
        }
        (self.source, self.file, self.bosToken, self.eosToken) = (source, file, bosToken, eosToken)
    }

    /// The template of a model folder (its `tokenizer_config.json`) or `.gguf` file; nil when it has none.
    public static func load(modelAt url: URL) throws -> ChatTemplate? {
        if url.pathExtension.lowercased() == "gguf" {
            let file = try GGUFFile(path: url.path)
            guard let source = try file.optionalString("tokenizer.chat_template") else { return nil }
            let tokenizer = try? GGUFModelRegistry.tokenizer(file)
            func token(_ key: String) throws -> String {
                guard let id = try file.optionalInt(key) else { return "" }
                return tokenizer?.piece(of: id) ?? ""
            }
            return try ChatTemplate(source: source, file: "\(url.path) (metadata key 'tokenizer.chat_template')",
                                    bosToken: try token("tokenizer.ggml.bos_token_id"), eosToken: try token("tokenizer.ggml.eos_token_id"))
        }
        let configURL = url.appendingPathComponent("tokenizer_config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else { return nil }
        let config = try JSONFields(try JSONValue.read(configURL), file: configURL.path)
        let source: String
        switch config.present("chat_template") {
        case nil: return nil
        case .string(let text)?: source = text
        case .array(let items)?:
            let named = try items.enumerated().map { index, item -> (String, String) in
                let fields = try JSONFields(item, file: configURL.path, path: "chat_template[\(index)]")
                return (try fields.string("name"), try fields.string("template"))
            }
            guard let chosen = named.first(where: { $0.0 == "default" }) else {
                throw ModelFileError(file: configURL.path, "field 'chat_template' lists templates \(named.map(\.0)) but none named 'default'")
            }
            source = chosen.1
        case let other?:
            throw ModelFileError(file: configURL.path, "field 'chat_template' must be a string or a list of {name, template}, found \(other.typeName)")
        }
        return try ChatTemplate(source: source, file: "\(configURL.path) (field 'chat_template')",
                                bosToken: try specialToken(config, "bos_token"), eosToken: try specialToken(config, "eos_token"))
    }

    /// `bos_token`/`eos_token` of tokenizer_config.json: a string or an added-token object with `content`.
    static func specialToken(_ config: JSONFields, _ name: String) throws -> String {
        switch config.present(name) {
        case nil: return ""
        case .string(let text)?: return text
        case .object?: return try config.object(name).string("content")
        case let other?: throw ModelFileError(file: config.file, "field '\(name)' must be a string or an object with 'content', found \(other.typeName)")
        }
    }

    /// The prompt for `messages` (each a JSON object as transformers receives it), ending with the assistant's
    /// turn opened when `addGenerationPrompt`.
    public func render(messages: [JSONValue], addGenerationPrompt: Bool = true) throws -> String {
        var renderer = JinjaRenderer(context: [
            "messages": .list(messages.map(JinjaValue.init(json:))), "add_generation_prompt": .boolean(addGenerationPrompt),
            "bos_token": .string(bosToken), "eos_token": .string(eosToken),
        ])
        do {
            return try renderer.render(nodes)
        } catch let error as JinjaError where error.raisedByTemplate {
            throw ModelFileError(file: file, "chat template refused the conversation: \(error.message)")
        } catch let error as JinjaError {
            throw ModelFileError(file: file, "chat template: \(error)")
        }
    }

    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) throws -> String {
        try render(messages: messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) },
                   addGenerationPrompt: addGenerationPrompt)
    }
}
