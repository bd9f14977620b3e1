/// A position in a template, 1-based.
struct JinjaPosition: Sendable, CustomStringConvertible {
    let line: Int
    let column: Int
    var description: String { "line \(line), column \(column)" }
}

/// An error in a template (syntax, an unsupported construct, or a failure while rendering), with its position.
public struct JinjaError: Error, CustomStringConvertible, Sendable {
    public let message: String
    let position: JinjaPosition?
    /// Raised by the template itself through `raise_exception(message)`.
    public let raisedByTemplate: Bool

    init(_ message: String, at position: JinjaPosition?, raisedByTemplate: Bool = false) {
        (self.message, self.position, self.raisedByTemplate) = (message, position, raisedByTemplate)
    }

    public var description: String { position.map { "\(message) at \($0)" } ?? message }
}

struct JinjaToken: Sendable {
    enum Kind: Equatable, Sendable {
        case name(String)
        case string(String)
        case integer(Int)
        case real(Double)
        case symbol(String)
    }
    let kind: Kind
    let position: JinjaPosition
}

/// A template cut into literal text and tags, with Jinja's whitespace control applied as transformers configures
/// it (`trim_blocks`, `lstrip_blocks`, `{%-`/`-%}`, a single trailing newline dropped). Port of the relevant
/// parts of jinja2 `lexer.py` (`Lexer.tokeniter`).
enum JinjaPiece: Sendable {
    case text(String)
    case output([JinjaToken], JinjaPosition)
    case statement([JinjaToken], JinjaPosition)
}

struct JinjaLexer {
    private let source: [Unicode.Scalar]
    private var index = 0
    private var lineStarts: [Int] = [0]

    init(_ template: String) {
        var scalars = Array(template.unicodeScalars)
        if scalars.last == "\n" { scalars.removeLast(); if scalars.last == "\r" { scalars.removeLast() } }
        source = scalars
        for (offset, scalar) in scalars.enumerated() where scalar == "\n" { lineStarts.append(offset + 1) }
    }

    func position(_ offset: Int) -> JinjaPosition {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return JinjaPosition(line: low + 1, column: offset - lineStarts[low] + 1)
    }

    private func at(_ offset: Int) -> Unicode.Scalar? { offset < source.count ? source[offset] : nil }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0B}" || scalar == "\u{0C}" }

    mutating func pieces() throws -> [JinjaPiece] {
        var pieces: [JinjaPiece] = []
        var text: [Unicode.Scalar] = []
        var stripNextText = false  // after `-%}`: drop the whitespace that follows
        while index < source.count {
            guard source[index] == "{", let second = at(index + 1), second == "{" || second == "%" || second == "#" else {
                if stripNextText && Self.isSpace(source[index]) { index += 1; continue }
                stripNextText = false
                text.append(source[index])
                index += 1
                continue
            }
            stripNextText = false
            let tagStart = index
            let sign = at(index + 2)
            let isBlock = second != "{"
            if sign == "-" {
                while let last = text.last, Self.isSpace(last) { text.removeLast() }
            } else if sign != "+" && isBlock {
                // lstrip_blocks: spaces and tabs between the start of a line and the tag are removed.
                var count = 0
                while count < text.count, text[text.count - 1 - count] == " " || text[text.count - 1 - count] == "\t" { count += 1 }
                let lineStart = tagStart - count
                if lineStart == 0 || source[lineStart - 1] == "\n" { text.removeLast(count) }
            }
            if !text.isEmpty { pieces.append(.text(String(String.UnicodeScalarView(text)))) }
            text = []
            index += sign == "-" || sign == "+" ? 3 : 2
            var trimmed: Bool
            switch second {
            case "#":
                guard let end = findCommentEnd() else { throw JinjaError("comment '{#' is never closed", at: position(tagStart)) }
                trimmed = source[end - 1] == "-"
                index = end + 2
            default:
                let closer: Unicode.Scalar = second == "{" ? "}" : "%"
                let (tokens, minus) = try tokens(until: closer, tagStart: tagStart)
                trimmed = minus
                pieces.append(second == "{" ? .output(tokens, position(tagStart)) : .statement(tokens, position(tagStart)))
            }
            if trimmed {
                stripNextText = true
            } else if isBlock {  // trim_blocks: the first newline after a block or comment tag goes
                if at(index) == "\n" { index += 1 } else if at(index) == "\r", at(index + 1) == "\n" { index += 2 }
            }
        }
        if !text.isEmpty { pieces.append(.text(String(String.UnicodeScalarView(text)))) }
        return pieces
    }

    private func findCommentEnd() -> Int? {
        var offset = index
        while offset + 1 < source.count {
            if source[offset] == "#" && source[offset + 1] == "}" { return offset }
            offset += 1
        }
        return nil
    }

    /// Tokens of a tag's body up to its closer (`}}` or `%}`, optionally `-` first); whether the closer had `-`.
    private mutating func tokens(until closer: Unicode.Scalar, tagStart: Int) throws -> ([JinjaToken], Bool) {
        var tokens: [JinjaToken] = []
        var depth = 0  // open brackets: a `}` inside a dict literal does not close the tag
        while index < source.count {
            let scalar = source[index]
            if Self.isSpace(scalar) { index += 1; continue }
            if depth == 0 {
                if scalar == "-", at(index + 1) == closer, at(index + 2) == "}" { index += 3; return (tokens, true) }
                if scalar == closer, at(index + 1) == "}" { index += 2; return (tokens, false) }
            }
            let start = index
            let here = position(start)
            if scalar == "'" || scalar == "\"" {
                tokens.append(JinjaToken(kind: .string(try stringLiteral(quote: scalar)), position: here))
            } else if scalar.properties.isAlphabetic || scalar == "_" {
                while let next = at(index), next.properties.isAlphabetic || next == "_" || ("0" ... "9").contains(next) { index += 1 }
                tokens.append(JinjaToken(kind: .name(String(String.UnicodeScalarView(source[start ..< index]))), position: here))
            } else if ("0" ... "9").contains(scalar) {
                while let next = at(index), ("0" ... "9").contains(next) || next == "_" { index += 1 }
                var isReal = false
                if at(index) == ".", let digit = at(index + 1), ("0" ... "9").contains(digit) {
                    isReal = true
                    index += 1
                    while let next = at(index), ("0" ... "9").contains(next) { index += 1 }
                }
                let text = String(String.UnicodeScalarView(source[start ..< index])).replacingOccurrences(of: "_", with: "")
                if isReal, let value = Double(text) {
                    tokens.append(JinjaToken(kind: .real(value), position: here))
                } else if let value = Int(text) {
                    tokens.append(JinjaToken(kind: .integer(value), position: here))
                } else {
                    throw JinjaError("number '\(text)' is out of range", at: here)
                }
            } else {
                let three = String(String.UnicodeScalarView(source[start ..< min(start + 2, source.count)]))
                let symbol = ["//", "**", "==", "!=", "<=", ">="].contains(three) ? three : String(scalar)
                guard "+-*/%~|.,:()[]{}=<>!".unicodeScalars.contains(scalar) || symbol.count == 2 else {
                    throw JinjaError("unexpected character '\(scalar)'", at: here)
                }
                if symbol == "(" || symbol == "[" || symbol == "{" { depth += 1 }
                if symbol == ")" || symbol == "]" || symbol == "}" { depth -= 1 }
                index += symbol.unicodeScalars.count
                tokens.append(JinjaToken(kind: .symbol(symbol), position: here))
            }
        }
        throw JinjaError("tag '\(closer == "}" ? "{{" : "{%")' is never closed", at: position(tagStart))
    }

    /// A quoted string with Python's escapes (`\n`, `\t`, `\\`, `\'`, `\"`, `\uXXXX`).
    private mutating func stringLiteral(quote: Unicode.Scalar) throws -> String {
        let start = index
        index += 1
        var value = String.UnicodeScalarView()
        while let scalar = at(index) {
            index += 1
            if scalar == quote { return String(value) }
            guard scalar == "\\", let escaped = at(index) else { value.append(scalar); continue }
            index += 1
            switch escaped {
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            case "0": value.append("\0")
            case "\\", "'", "\"": value.append(escaped)
            case "u":
                let digits = String(String.UnicodeScalarView(source[index ..< min(index + 4, source.count)]))
                guard digits.count == 4, let code = UInt32(digits, radix: 16), let decoded = Unicode.Scalar(code) else {
                    throw JinjaError("bad \\u escape in string", at: position(index - 2))
                }
                value.append(decoded)
                index += 4
            case "\n": break  // a backslash-newline continues the line
            default: value.append("\\"); value.append(escaped)  // Python keeps unknown escapes as written
            }
        }
        throw JinjaError("string is never closed", at: position(start))
    }
}
