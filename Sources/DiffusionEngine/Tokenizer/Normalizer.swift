import Foundation

/// The normalizers of `tokenizer.json` that SentencePiece-style tokenizers use (Gemma: `Replace(" ", "▁")`;
/// Llama's legacy form: `Sequence[Prepend("▁"), Replace(" ", "▁")]`), plus Unicode NFC/NFKC. Anything else is
/// refused with an error naming the field. Port of Hugging Face tokenizers `normalizers/{replace,prepend,
/// unicode,utils}.rs` (`normalize`).
indirect enum Normalizer: Sendable {
    case replaceString(String, with: String)
    case replaceRegex(NSRegularExpressionBox, template: String)
    case prepend(String)
    case nfc
    case nfkc
    case sequence([Normalizer])

    init?(_ json: JSONValue?, file: String, path: String) throws {
        guard let json else { return nil }
        let fields = try JSONFields(json, file: file, path: path)
        switch try fields.string("type") {
        case "Replace":
            let pattern = try fields.object("pattern")
            let content = try fields.string("content")
            if let regex = try pattern.optionalString("Regex") {
                self = .replaceRegex(try NSRegularExpressionBox(regex, file: file, path: path), template: NSRegularExpression.escapedTemplate(for: content))
            } else {
                self = .replaceString(try pattern.string("String"), with: content)
            }
        case "Prepend":
            self = .prepend(try fields.string("prepend"))
        case "NFC":
            self = .nfc
        case "NFKC":
            self = .nfkc
        case "Sequence":
            self = .sequence(try fields.array("normalizers").enumerated().compactMap {
                try Normalizer($0.element, file: file, path: "\(path).normalizers[\($0.offset)]")
            })
        case let kind:
            throw ModelFileError(file: file, "field '\(path).type' is '\(kind)'; supported: Replace, Prepend, NFC, NFKC, Sequence")
        }
    }

    func apply(_ text: String) -> String {
        switch self {
        case .replaceString(let pattern, let content):
            return pattern.isEmpty ? text : text.replacingOccurrences(of: pattern, with: content, options: .literal)
        case .replaceRegex(let box, let template):
            let range = NSRange(location: 0, length: (text as NSString).length)
            return box.regex.stringByReplacingMatches(in: text, range: range, withTemplate: template)
        case .prepend(let prefix):
            return text.isEmpty ? text : prefix + text  // tokenizers prepends to non-empty pieces only
        case .nfc:
            return text.precomposedStringWithCanonicalMapping
        case .nfkc:
            return text.precomposedStringWithCompatibilityMapping
        case .sequence(let steps):
            return steps.reduce(text) { $1.apply($0) }
        }
    }
}
