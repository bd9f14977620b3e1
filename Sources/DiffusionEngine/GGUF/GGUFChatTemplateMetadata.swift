import Foundation

/// tokenizer_config.json's chat template and special tokens as GGUF metadata, as gguf-py's `SpecialVocab` writes
/// them (`_try_load_from_tokenizer_json`, `add_to_gguf`; `GGUFWriter.add_chat_template`): `chat_template` as
/// `tokenizer.chat_template` (from a list of named templates, "default" there and the others as
/// `tokenizer.chat_template.NAME`), and the ids of `bos_token`/`eos_token` where the tokenizer and config.json set
/// none, so that `dlab sample --chat` on the file renders `{{ bos_token }}` as on the folder. The template is
/// copied as text, not parsed: one outside DiffusionLab's Jinja subset still travels with the file.
enum GGUFChatTemplateMetadata {
    static func add(configAt url: URL, tokenizer: HFTokenizer, to writer: inout GGUFWriter) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let config = try JSONFields(try JSONValue.read(url), file: url.path)
        switch config.present("chat_template") {
        case nil: break
        case .string(let text)?: writer.set("tokenizer.chat_template", .string(text))
        case .array(let items)?:
            for (index, item) in items.enumerated() {
                let fields = try JSONFields(item, file: url.path, path: "chat_template[\(index)]")
                let name = try fields.string("name")
                writer.set(name == "default" ? "tokenizer.chat_template" : "tokenizer.chat_template.\(name)", .string(try fields.string("template")))
            }
        case let other?:
            throw ModelFileError(file: url.path, "field 'chat_template' must be a string or a list of {name, template}, found \(other.typeName)")
        }
        for (field, key) in [("bos_token", "tokenizer.ggml.bos_token_id"), ("eos_token", "tokenizer.ggml.eos_token_id")]
            where !writer.metadata.contains(where: { $0.key == key }) {
            let piece = try ChatTemplate.specialToken(config, field)
            guard !piece.isEmpty else { continue }
            guard let id = tokenizer.id(of: piece), let value = UInt32(exactly: id) else {
                throw ModelFileError(file: url.path, "field '\(field)' is '\(piece)', which is no token of the tokenizer.json beside it")
            }
            writer.set(key, .uint32(value))
        }
    }
}
