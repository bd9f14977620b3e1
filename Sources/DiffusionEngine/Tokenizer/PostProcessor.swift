import DiffusionCore

/// The special tokens a tokenizer adds around one sequence when asked to (`add_special_tokens=True` in Hugging
/// Face `tokenizers`): `TemplateProcessing`'s "single" template (Gemma and Llama put `<bos>` first), `ByteLevel`
/// (ids unchanged), or a `Sequence` of these; for GGUF vocabularies `tokenizer.ggml.add_bos_token` and
/// `add_eos_token`. Port of tokenizers `processors/template.rs` (`apply_template`, single sequences only).
enum PostProcessor: Sendable {
    case none
    /// Ids before and after the sequence.
    case wrap(before: [TokenID], after: [TokenID])
    /// A processor this port does not implement; an error only when special tokens are asked for.
    case unsupported(String)

    init(_ json: JSONValue?, file: String, path: String) throws {
        guard let json else { self = .none; return }
        let fields = try JSONFields(json, file: file, path: path)
        switch try fields.string("type") {
        case "ByteLevel":
            self = .none
        case "TemplateProcessing":
            let specials = try fields.object("special_tokens")
            var before: [TokenID] = [], after: [TokenID] = []
            var seenSequence = false
            for (index, item) in try fields.array("single").enumerated() {
                let piece = try JSONFields(item, file: file, path: "\(path).single[\(index)]")
                if piece.present("Sequence") != nil {
                    guard !seenSequence else { throw ModelFileError(file: file, "field '\(path).single' names the sequence twice") }
                    seenSequence = true
                } else {
                    let name = try piece.object("SpecialToken").string("id")
                    let ids = try specials.object(name).intList("ids")
                    if seenSequence { after += ids } else { before += ids }
                }
            }
            self = .wrap(before: before, after: after)
        case "Sequence":
            var before: [TokenID] = [], after: [TokenID] = []
            for (index, item) in try fields.array("processors").enumerated() {
                switch try PostProcessor(item, file: file, path: "\(path).processors[\(index)]") {
                case .none: break
                case .wrap(let b, let a): (before, after) = (b + before, after + a)
                case .unsupported(let kind): self = .unsupported(kind); return
                }
            }
            self = .wrap(before: before, after: after)
        case let kind:
            self = .unsupported(kind)
        }
    }

    func apply(_ ids: [TokenID], file: String) throws -> [TokenID] {
        switch self {
        case .none: return ids
        case .wrap(let before, let after): return before + ids + after
        case .unsupported(let kind):
            throw TokenizerError(message: "\(file): post-processor '\(kind)' is not supported, so special tokens cannot be added (supported: TemplateProcessing, ByteLevel, Sequence)")
        }
    }
}
