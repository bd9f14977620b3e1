import DiffusionCore
import Foundation

/// A Hugging Face `tokenizer.json` tokenizer: added (special) tokens matched first, then the pre-tokenizer, then
/// the model. Supported: the WordLevel model (the shipped character-level models) and the BPE model (byte-level
/// as GPT-2/Qwen/LLaDA ship it, or with byte fallback); Split (regex), Whitespace, ByteLevel and Sequence
/// pre-tokenizers; Fuse and ByteLevel decoders. Anything else is refused with an error naming the field.
public struct HFTokenizer: Sendable {
    public let vocabulary: [String: TokenID]
    public let tokens: [TokenID: String]
    /// Added tokens, longest first, so that `<mask>` wins over `<`.
    let addedTokens: [(content: String, id: TokenID, special: Bool)]
    let preTokenizer: PreTokenizer
    let unknownID: TokenID?
    let bpe: BPEModel?
    let decoder: Decoder
    public let file: String

    enum Decoder: Sendable {
        case joinWithSpaces  // no decoder: Hugging Face joins tokens with spaces
        case fuse
        case byteLevel
    }

    public init(contentsOf url: URL) throws {
        try self.init(json: try JSONValue.read(url), file: url.path)
    }

    public init(json: JSONValue, file: String) throws {
        self.file = file
        let root = try JSONFields(json, file: file)
        let model = try root.object("model")
        let type = try model.optionalString("type") ?? "WordLevel"
        guard type == "WordLevel" || type == "BPE" else {
            throw ModelFileError(file: file, "field 'model.type' is '\(type)'; supported: WordLevel, BPE")
        }
        var vocabulary: [String: TokenID] = [:]
        for (piece, value) in try model.object("vocab").values {
            guard case .int(let id) = value, id >= 0 else {
                throw ModelFileError(file: file, "field 'model.vocab.\(piece)' must be a non-negative integer id")
            }
            vocabulary[piece] = id
        }
        var added: [(String, TokenID, Bool)] = []
        for (index, item) in (root.present("added_tokens") == nil ? [] : try root.array("added_tokens")).enumerated() {
            let fields = try JSONFields(item, file: file, path: "added_tokens[\(index)]")
            let content = try fields.string("content")
            let id = try fields.int("id")
            added.append((content, id, try fields.optionalBool("special") ?? false))
            vocabulary[content] = id
        }
        self.vocabulary = vocabulary
        var tokens: [TokenID: String] = [:]
        for (piece, id) in vocabulary { tokens[id] = piece }
        self.tokens = tokens
        addedTokens = added.sorted { $0.0.count > $1.0.count }
        unknownID = try model.optionalString("unk_token").flatMap { vocabulary[$0] }
        bpe = type == "BPE" ? try BPEModel(fields: model, vocabulary: vocabulary) : nil
        preTokenizer = try PreTokenizer(root.present("pre_tokenizer"), file: file, path: "pre_tokenizer")
        if let decoder = try root.optionalObject("decoder") {
            switch try decoder.string("type") {
            case "Fuse": self.decoder = .fuse
            case "ByteLevel": self.decoder = .byteLevel
            case let kind: throw ModelFileError(file: file, "field 'decoder.type' is '\(kind)'; supported: Fuse, ByteLevel")
            }
        } else {
            decoder = .joinWithSpaces
        }
    }

    /// The id of the token spelled `piece`, if any.
    public func id(of piece: String) -> TokenID? { vocabulary[piece] }

    /// Token ids of `text`. A piece outside the vocabulary maps to `unk_token`, or is an error without one.
    public func encode(_ text: String) throws -> [TokenID] {
        var ids: [TokenID] = []
        var pending = Substring(text)
        var plain = ""
        func flushPlain() throws {
            for piece in preTokenizer.split(plain) {
                if let bpe {
                    guard let pieceIDs = bpe.tokenize(piece) else {
                        throw TokenizerError(message: "'\(piece)' has no tokens in the vocabulary of \(file)")
                    }
                    ids.append(contentsOf: pieceIDs)
                } else if let id = vocabulary[piece] {
                    ids.append(id)
                } else if let unknownID {
                    ids.append(unknownID)
                } else {
                    throw TokenizerError(message: "'\(piece)' is not in the vocabulary of \(file)")
                }
            }
            plain = ""
        }
        while !pending.isEmpty {
            if let match = addedTokens.first(where: { pending.hasPrefix($0.content) }) {
                try flushPlain()
                ids.append(match.id)
                pending = pending.dropFirst(match.content.count)
            } else {
                plain.append(pending.removeFirst())
            }
        }
        try flushPlain()
        return ids
    }

    /// Text of `ids`; special added tokens are dropped when `skipSpecial`.
    public func decode(_ ids: [TokenID], skipSpecial: Bool = false) -> String {
        let special = Set(addedTokens.filter(\.special).map(\.id))
        let pieces = ids.compactMap { id -> String? in
            if skipSpecial && special.contains(id) { return nil }
            return tokens[id] ?? "<\(id)?>"
        }
        switch decoder {
        case .joinWithSpaces: return pieces.joined(separator: " ")
        case .fuse: return pieces.joined()
        case .byteLevel: return ByteLevel.decode(pieces.joined())
        }
    }
}

public struct TokenizerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The pre-tokenizers of `tokenizer.json` that the supported models use.
indirect enum PreTokenizer: Sendable {
    case none
    case split(NSRegularExpressionBox, removeMatches: Bool)
    /// Optional GPT-2 regex split, then every byte as its printable character (see `ByteLevel`).
    case byteLevel(NSRegularExpressionBox?, addPrefixSpace: Bool)
    case sequence([PreTokenizer])

    init(_ json: JSONValue?, file: String, path: String) throws {
        guard let json else { self = .none; return }
        let fields = try JSONFields(json, file: file, path: path)
        let type = try fields.string("type")
        switch type {
        case "Split":
            let pattern = try fields.object("pattern")
            let regex: String
            if let expression = try pattern.optionalString("Regex") {
                regex = expression
            } else {
                regex = NSRegularExpression.escapedPattern(for: try pattern.string("String"))
            }
            let behavior = try fields.optionalString("behavior") ?? "Isolated"
            guard behavior == "Isolated" || behavior == "Removed" else {
                throw ModelFileError(file: file, "field '\(path).behavior' is '\(behavior)'; supported: Isolated, Removed")
            }
            self = .split(try NSRegularExpressionBox(regex, file: file, path: path), removeMatches: behavior == "Removed")
        case "Whitespace":
            self = .split(try NSRegularExpressionBox(#"\w+|[^\w\s]+"#, file: file, path: path), removeMatches: false)
        case "ByteLevel":
            let useRegex = try fields.optionalBool("use_regex") ?? true
            let regex = useRegex ? try NSRegularExpressionBox(ByteLevel.pattern, file: file, path: path) : nil
            self = .byteLevel(regex, addPrefixSpace: try fields.optionalBool("add_prefix_space") ?? false)
        case "Sequence":
            self = .sequence(try fields.array("pretokenizers").enumerated().map {
                try PreTokenizer($0.element, file: file, path: "\(path).pretokenizers[\($0.offset)]")
            })
        default:
            throw ModelFileError(file: file, "field '\(path).type' is '\(type)'; supported: Split, Whitespace, ByteLevel, Sequence")
        }
    }

    func split(_ text: String) -> [String] {
        switch self {
        case .none:
            return text.isEmpty ? [] : [text]
        case .sequence(let steps):
            return steps.reduce([text]) { pieces, step in pieces.flatMap { step.split($0) } }
        case .byteLevel(let box, let addPrefixSpace):
            let prefixed = addPrefixSpace && !text.hasPrefix(" ") ? " " + text : text
            let pieces = box.map { PreTokenizer.split(prefixed, by: $0, removeMatches: false) } ?? [prefixed]
            return pieces.map(ByteLevel.encode)
        case .split(let box, let removeMatches):
            return PreTokenizer.split(text, by: box, removeMatches: removeMatches)
        }
    }

    /// The pieces of `text` between and at the matches of `box` (matches dropped when `removeMatches`).
    static func split(_ text: String, by box: NSRegularExpressionBox, removeMatches: Bool) -> [String] {
        let whole = text as NSString
        var pieces: [String] = []
        var cursor = 0
        for match in box.regex.matches(in: text, range: NSRange(location: 0, length: whole.length)) {
            if match.range.location > cursor {
                pieces.append(whole.substring(with: NSRange(location: cursor, length: match.range.location - cursor)))
            }
            if !removeMatches, match.range.length > 0 { pieces.append(whole.substring(with: match.range)) }
            cursor = match.range.location + match.range.length
        }
        if cursor < whole.length { pieces.append(whole.substring(from: cursor)) }
        return pieces
    }
}

/// NSRegularExpression is thread-safe for matching but not marked Sendable.
struct NSRegularExpressionBox: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String, file: String, path: String) throws {
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            throw ModelFileError(file: file, "field '\(path).pattern' is not a valid regular expression: \(pattern)")
        }
    }
}
