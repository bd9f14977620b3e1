import Foundation

/// Python `re` operations the reference scorers use, over ICU regular expressions (NSRegularExpression). The
/// patterns used here (lm-evaluation-harness's) mean the same in both dialects.
struct PythonRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    /// - Precondition: `pattern` is one of the literal patterns of this module (never from input).
    init(_ pattern: String) {
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            fatalError("invalid built-in pattern \(pattern): \(error)")
        }
    }

    /// `re.findall`: per match, the whole match (no groups), the one group, or every group ("" when it did not take part).
    func findAll(_ text: String) -> [[String]] {
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            let groups = match.numberOfRanges == 1 ? [0] : Array(1 ..< match.numberOfRanges)
            return groups.map { index in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : ns.substring(with: range)
            }
        }
    }

    /// `re.sub(pattern, "", text)`.
    func removeAll(_ text: String) -> String {
        let ns = text as NSString
        return regex.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: "")
    }

    /// `re.search(...).group(1)`, nil without a match.
    func firstGroup(_ text: String) -> String? {
        let ns = text as NSString
        guard let match = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let range = match.range(at: match.numberOfRanges > 1 ? 1 : 0)
        return range.location == NSNotFound ? nil : ns.substring(with: range)
    }
}

/// Python's `str` operations that differ from Swift's: Python works on code points (Unicode scalars), and its
/// `strip()` removes the characters `str.isspace` accepts.
enum PythonString {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        // str.isspace: bidirectional class WS, B or S, or general category Zs; in practice these code points.
        switch scalar.value {
        case 0x09 ... 0x0D, 0x1C ... 0x20, 0x85, 0xA0, 0x1680, 0x2000 ... 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    static func strip(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[first ... last])
        return String(result)
    }

    /// `str.lower()`.
    static func lower(_ text: String) -> String { text.lowercased() }

    /// Removes every character of Python's `string.punctuation`.
    static func removeASCIIPunctuation(_ text: String) -> String {
        let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)
        var result = String.UnicodeScalarView()
        result.append(contentsOf: text.unicodeScalars.filter { !punctuation.contains($0) })
        return String(result)
    }

    /// Removes every code point of a Unicode punctuation category (P*), as the harness's multiple-choice filter does.
    static func removeUnicodePunctuation(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: text.unicodeScalars.filter { scalar in
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                 .finalPunctuation, .otherPunctuation:
                return false
            default:
                return true
            }
        })
        return String(result)
    }
}
