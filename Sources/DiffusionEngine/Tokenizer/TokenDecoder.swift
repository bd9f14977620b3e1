import Foundation

/// The decoders of `tokenizer.json`: each turns the list of token strings into a new list, and the text is their
/// concatenation. Port of Hugging Face tokenizers `decoders/*.rs` (`decode_chain`).
indirect enum TokenDecoder: Sendable {
    case joinWithSpaces  // no decoder: tokenizers joins the tokens with spaces
    case fuse
    case byteLevel
    /// `<0xXX>` tokens back to bytes; a run that is not valid UTF-8 becomes one U+FFFD per byte.
    case byteFallback
    case replace(String, String)
    /// Strip up to `start` copies of `content` from the front of each token and `stop` from its back.
    case strip(Unicode.Scalar, start: Int, stop: Int)
    /// `▁` back to spaces, except in the first token when a space was prepended at encoding.
    case metaspace(Unicode.Scalar, dropFirst: Bool)
    case sequence([TokenDecoder])

    init(_ json: JSONValue?, file: String, path: String) throws {
        guard let json else { self = .joinWithSpaces; return }
        let fields = try JSONFields(json, file: file, path: path)
        switch try fields.string("type") {
        case "Fuse": self = .fuse
        case "ByteLevel": self = .byteLevel
        case "ByteFallback": self = .byteFallback
        case "Replace":
            let pattern = try fields.object("pattern")
            guard let literal = try pattern.optionalString("String") else {
                throw ModelFileError(file: file, "field '\(path).pattern' must be {\"String\": ...}; regex patterns in decoders are not supported")
            }
            self = .replace(literal, try fields.string("content"))
        case "Strip":
            let content = try fields.string("content")
            guard content.unicodeScalars.count == 1, let character = content.unicodeScalars.first else {
                throw ModelFileError(file: file, "field '\(path).content' must be one character, found '\(content)'")
            }
            self = .strip(character, start: try fields.int("start"), stop: try fields.int("stop"))
        case "Metaspace":
            let replacement = try fields.optionalString("replacement") ?? "▁"
            guard replacement.unicodeScalars.count == 1, let character = replacement.unicodeScalars.first else {
                throw ModelFileError(file: file, "field '\(path).replacement' must be one character, found '\(replacement)'")
            }
            self = .metaspace(character, dropFirst: try MetaspaceScheme(fields, path: path) != .never)
        case "Sequence":
            self = .sequence(try fields.array("decoders").enumerated().map {
                try TokenDecoder($0.element, file: file, path: "\(path).decoders[\($0.offset)]")
            })
        case let kind:
            throw ModelFileError(file: file, "field '\(path).type' is '\(kind)'; supported: Fuse, ByteLevel, ByteFallback, Replace, Strip, Metaspace, Sequence")
        }
    }

    func decode(_ tokens: [String]) -> String {
        if case .joinWithSpaces = self { return tokens.joined(separator: " ") }
        return chain(tokens).joined()
    }

    func chain(_ tokens: [String]) -> [String] {
        switch self {
        case .joinWithSpaces: return [tokens.joined(separator: " ")]
        case .fuse: return [tokens.joined()]
        case .byteLevel: return [ByteLevel.decode(tokens.joined())]
        case .byteFallback: return Self.byteFallback(tokens)
        case .replace(let pattern, let content): return tokens.map { $0.replacingOccurrences(of: pattern, with: content, options: .literal) }
        case .strip(let content, let start, let stop):
            return tokens.map { token in
                var scalars = Substring(token).unicodeScalars
                for _ in 0 ..< start where scalars.first == content { scalars = scalars.dropFirst() }
                for _ in 0 ..< stop where scalars.last == content { scalars = scalars.dropLast() }
                return String(scalars)
            }
        case .metaspace(let replacement, let dropFirst):
            return tokens.enumerated().map { index, token in
                var text = String.UnicodeScalarView()
                for scalar in token.unicodeScalars {
                    if scalar != replacement { text.append(scalar) } else if !(index == 0 && dropFirst) { text.append(" ") }
                }
                return String(text)
            }
        case .sequence(let steps):
            return steps.reduce(tokens) { $1.chain($0) }
        }
    }

    /// The byte a `<0xXX>` token stands for.
    static func byte(of token: String) -> UInt8? {
        let utf8 = Array(token.utf8)
        guard utf8.count == 6, token.hasPrefix("<0x"), token.hasSuffix(">") else { return nil }
        return UInt8(String(decoding: utf8[3 ..< 5], as: UTF8.self), radix: 16)
    }

    private static func byteFallback(_ tokens: [String]) -> [String] {
        var output: [String] = []
        var bytes: [UInt8] = []
        func flush() {
            guard !bytes.isEmpty else { return }
            if let text = String(validating: bytes, as: UTF8.self) {
                output.append(text)
            } else {
                output.append(contentsOf: repeatElement("\u{FFFD}", count: bytes.count))
            }
            bytes.removeAll()
        }
        for token in tokens {
            if let byte = byte(of: token) {
                bytes.append(byte)
            } else {
                flush()
                output.append(token)
            }
        }
        flush()
        return output
    }
}

/// Metaspace's `prepend_scheme` (older files: `add_prefix_space` true or false).
enum MetaspaceScheme: Sendable {
    case always, first, never

    init(_ fields: JSONFields, path: String) throws {
        if let scheme = try fields.optionalString("prepend_scheme") {
            switch scheme {
            case "always": self = .always
            case "first": self = .first
            case "never": self = .never
            default: throw ModelFileError(file: fields.file, "field '\(path).prepend_scheme' is '\(scheme)'; supported: always, first, never")
            }
        } else {
            self = try fields.optionalBool("add_prefix_space") ?? true ? .always : .never
        }
    }
}
