import Foundation

/// The pre-tokenizers of `tokenizer.json` that the supported models use: Split (regex or string, Isolated,
/// Removed, MergedWithPrevious or MergedWithNext), Whitespace, ByteLevel, Metaspace and Sequence. Port of Hugging
/// Face tokenizers `pre_tokenizers/{split,byte_level,metaspace,sequence}.rs` and `normalizer.rs` (`split`).
indirect enum PreTokenizer: Sendable {
    case none
    case split(NSRegularExpressionBox, SplitBehavior)
    /// Optional GPT-2 regex split, then every byte as its printable character (see `ByteLevel`).
    case byteLevel(NSRegularExpressionBox?, addPrefixSpace: Bool)
    /// Spaces become `replacement`, which is prepended as the scheme says, then (if `split`) starts each piece.
    case metaspace(Unicode.Scalar, MetaspaceScheme, split: Bool)
    case sequence([PreTokenizer])

    enum SplitBehavior: String, Sendable {
        case isolated = "Isolated", removed = "Removed", mergedWithPrevious = "MergedWithPrevious", mergedWithNext = "MergedWithNext"
    }

    init(_ json: JSONValue?, file: String, path: String) throws {
        guard let json else { self = .none; return }
        let fields = try JSONFields(json, file: file, path: path)
        let type = try fields.string("type")
        switch type {
        case "Split":
            let pattern = try fields.object("pattern")
            let regex = try pattern.optionalString("Regex") ?? NSRegularExpression.escapedPattern(for: try pattern.string("String"))
            let name = try fields.optionalString("behavior") ?? "Isolated"
            guard let behavior = SplitBehavior(rawValue: name) else {
                throw ModelFileError(file: file, "field '\(path).behavior' is '\(name)'; supported: Isolated, Removed, MergedWithPrevious, MergedWithNext")
            }
            guard try fields.optionalBool("invert") != true else {
                throw ModelFileError(file: file, "field '\(path).invert' is true; only false is supported")
            }
            self = .split(try NSRegularExpressionBox(regex, file: file, path: path), behavior)
        case "Whitespace":
            self = .split(try NSRegularExpressionBox(#"\w+|[^\w\s]+"#, file: file, path: path), .isolated)
        case "ByteLevel":
            let useRegex = try fields.optionalBool("use_regex") ?? true
            let regex = useRegex ? try NSRegularExpressionBox(ByteLevel.pattern, file: file, path: path) : nil
            self = .byteLevel(regex, addPrefixSpace: try fields.optionalBool("add_prefix_space") ?? false)
        case "Metaspace":
            let replacement = try fields.optionalString("replacement") ?? "▁"
            guard replacement.unicodeScalars.count == 1, let character = replacement.unicodeScalars.first else {
                throw ModelFileError(file: file, "field '\(path).replacement' must be one character, found '\(replacement)'")
            }
            self = .metaspace(character, try MetaspaceScheme(fields, path: path), split: try fields.optionalBool("split") ?? true)
        case "Sequence":
            self = .sequence(try fields.array("pretokenizers").enumerated().map {
                try PreTokenizer($0.element, file: file, path: "\(path).pretokenizers[\($0.offset)]")
            })
        default:
            throw ModelFileError(file: file, "field '\(path).type' is '\(type)'; supported: Split, Whitespace, ByteLevel, Metaspace, Sequence")
        }
    }

    /// The pieces of `text`; `atStart` tells whether it begins at offset 0 of the caller's input (Metaspace's
    /// "first" scheme prepends only there).
    func split(_ text: String, atStart: Bool = true) -> [String] {
        switch self {
        case .none:
            return text.isEmpty ? [] : [text]
        case .sequence(let steps):
            return steps.reduce([text]) { pieces, step in
                pieces.enumerated().flatMap { step.split($0.element, atStart: atStart && $0.offset == 0) }
            }
        case .byteLevel(let box, let addPrefixSpace):
            let prefixed = addPrefixSpace && !text.hasPrefix(" ") ? " " + text : text
            let pieces = box.map { PreTokenizer.split(prefixed, by: $0, .isolated) } ?? [prefixed]
            return pieces.map(ByteLevel.encode)
        case .metaspace(let replacement, let scheme, let split):
            var replaced = text.unicodeScalars.map { $0 == " " ? replacement : $0 }
            let prepend = scheme == .always || (scheme == .first && atStart)
            if prepend && replaced.first != replacement { replaced.insert(replacement, at: 0) }
            guard split else { return replaced.isEmpty ? [] : [String(String.UnicodeScalarView(replaced))] }
            // Split before each replacement character (tokenizers' MergedWithNext on it).
            var pieces: [String.UnicodeScalarView] = []
            for scalar in replaced {
                if scalar == replacement || pieces.isEmpty { pieces.append(String.UnicodeScalarView([scalar])) } else { pieces[pieces.count - 1].append(scalar) }
            }
            return pieces.map { String($0) }
        case .split(let box, let behavior):
            return PreTokenizer.split(text, by: box, behavior)
        }
    }

    /// The pieces of `text` between and at the matches of `box`, combined as `behavior` says; empty pieces dropped.
    static func split(_ text: String, by box: NSRegularExpressionBox, _ behavior: SplitBehavior) -> [String] {
        let whole = text as NSString
        // Every stretch of the text in order, each marked as a match or not.
        var stretches: [(range: NSRange, isMatch: Bool)] = []
        var cursor = 0
        for match in box.regex.matches(in: text, range: NSRange(location: 0, length: whole.length)) where match.range.length > 0 {
            if match.range.location > cursor {
                stretches.append((NSRange(location: cursor, length: match.range.location - cursor), false))
            }
            stretches.append((match.range, true))
            cursor = match.range.location + match.range.length
        }
        if cursor < whole.length { stretches.append((NSRange(location: cursor, length: whole.length - cursor), false)) }
        var ranges: [NSRange] = []
        switch behavior {
        case .isolated:
            ranges = stretches.map(\.range)
        case .removed:
            ranges = stretches.filter { !$0.isMatch }.map(\.range)
        case .mergedWithPrevious:
            var previousMatch = false
            for stretch in stretches {
                if stretch.isMatch && !previousMatch, let last = ranges.last {
                    ranges[ranges.count - 1] = NSRange(location: last.location, length: NSMaxRange(stretch.range) - last.location)
                } else {
                    ranges.append(stretch.range)
                }
                previousMatch = stretch.isMatch
            }
        case .mergedWithNext:
            var previousMatch = false
            for stretch in stretches.reversed() {
                if stretch.isMatch && !previousMatch, let last = ranges.last {
                    ranges[ranges.count - 1] = NSRange(location: stretch.range.location, length: NSMaxRange(last) - stretch.range.location)
                } else {
                    ranges.append(stretch.range)
                }
                previousMatch = stretch.isMatch
            }
            ranges.reverse()
        }
        return ranges.filter { $0.length > 0 }.map { whole.substring(with: $0) }
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
