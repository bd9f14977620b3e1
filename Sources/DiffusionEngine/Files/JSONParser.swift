/// A strict JSON parser (RFC 8259) for model files. Unlike `JSONDecoder` it refuses an object with the same key
/// twice (a safetensors header naming a tensor twice, a config setting a field twice: which one would win is
/// undefined), keeps integers apart from reals, and bounds nesting so that no input can exhaust the stack.
/// Keys are compared byte for byte (`ExactString`), as serde_json does: "é" and "e\u{301}" are two keys, a key
/// spelled twice with the same bytes is a duplicate. Errors give the line and column.
struct JSONParser {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Deeper nesting than any model file has; deeper input is refused instead of recursing on.
    static let maximumDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var parser = JSONParser(bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.index = 3 }  // UTF-8 BOM
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    // MARK: Values

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth < Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        guard let byte = peek() else { throw failure("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character \(describe(byte)), expected a value")
        }
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        let start = index
        index += 1  // {
        var members: [ExactString: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a quoted key") }
            let keyStart = index
            let key = try string()
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            let member = try value(depth: depth + 1)
            if members.updateValue(member, forKey: ExactString(key)) != nil {
                throw failure("duplicate key '\(key)' in the object starting at \(position(of: start))", at: keyStart)
            }
            skipWhitespace()
            guard let next = peek() else { throw failure("unexpected end of input inside an object") }
            index += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or '}' after an object member", at: index - 1) }
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard let next = peek() else { throw failure("unexpected end of input inside an array") }
            index += 1
            if next == UInt8(ascii: "]") { return .array(items) }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or ']' after an array item", at: index - 1) }
        }
    }

    private mutating func literal(_ word: String) throws {
        let start = index
        for expected in word.utf8 {
            guard peek() == expected else { throw failure("invalid literal, expected '\(word)'", at: start) }
            index += 1
        }
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?: an integer when it has neither fraction nor exponent and
    /// fits in Int, a finite Double otherwise.
    private mutating func number() throws -> JSONValue {
        let start = index
        var integral = true
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw failure("invalid number", at: start) }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) { throw failure("invalid number: leading zero", at: start) }
        } else {
            digits()
        }
        if peek() == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard let next = peek(), isDigit(next) else { throw failure("invalid number: no digit after '.'", at: start) }
            digits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            integral = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let next = peek(), isDigit(next) else { throw failure("invalid number: no digit in the exponent", at: start) }
            digits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< index]), as: UTF8.self)
        if integral, let int = Int(text) { return .int(int) }
        guard let double = Double(text), double.isFinite else { throw failure("number \(text) is out of range", at: start) }
        return .double(double)
    }

    private mutating func digits() {
        while let byte = peek(), isDigit(byte) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A quoted string with its escapes resolved; the bytes must be valid UTF-8.
    private mutating func string() throws -> String {
        let start = index
        index += 1  // "
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw failure("unterminated string", at: start) }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw failure("string is not valid UTF-8", at: start) }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw failure("unterminated string", at: start) }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try unicodeEscape())
                default: throw failure("invalid escape \\\(describe(escape)) in a string", at: index - 2)
                }
            case 0 ..< 0x20:
                throw failure("control character \(describe(byte)) inside a string (must be escaped)", at: index - 1)
            default:
                utf8.append(byte)
            }
        }
    }

    /// The code point of \uXXXX (after the `u`), joining a surrogate pair, as UTF-8.
    private mutating func unicodeEscape() throws -> [UInt8] {
        let start = index - 2
        let high = try hexQuad()
        var scalar: UInt32 = high
        if (0xD800 ..< 0xDC00).contains(high) {
            guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("unpaired surrogate \\u\(String(high, radix: 16))", at: start)
            }
            index += 2
            let low = try hexQuad()
            guard (0xDC00 ..< 0xE000).contains(low) else { throw failure("unpaired surrogate \\u\(String(high, radix: 16))", at: start) }
            scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00 ..< 0xE000).contains(high) {
            throw failure("unpaired surrogate \\u\(String(high, radix: 16))", at: start)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid code point", at: start) }
        return Array(String(Character(unicode)).utf8)
    }

    private mutating func hexQuad() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            guard let byte = peek() else { throw failure("unterminated \\u escape") }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid hex digit \(describe(byte)) in a \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    // MARK: Helpers

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ character: Unicode.Scalar) throws {
        guard peek() == UInt8(ascii: character) else { throw failure("expected '\(character)'") }
        index += 1
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x\(String(byte, radix: 16, uppercase: true))"
    }

    /// "line L, column C" of byte `offset` (columns count bytes).
    private func position(of offset: Int) -> String {
        var line = 1
        var column = 1
        for byte in bytes[0 ..< min(offset, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return "line \(line), column \(column)"
    }

    private func failure(_ message: String, at offset: Int? = nil) -> Failure {
        Failure(description: "\(message) at \(position(of: offset ?? index))")
    }
}
