import Foundation

/// transformers' `tojson` filter: Python's `json.dumps(value, ensure_ascii=False)` (separators ", " and ": ",
/// keys in the dictionary's order, non-ASCII kept as is).
enum JinjaJSON {
    static func encode(_ value: JinjaValue, at position: JinjaPosition) throws -> String {
        switch value {
        case .none: return "null"
        case .boolean(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .real(let number):
            guard number.isFinite else { return number.isNaN ? "NaN" : number > 0 ? "Infinity" : "-Infinity" }
            return value.representation
        case .string(let text): return quote(text)
        case .list(let items): return "[" + (try items.map { try encode($0, at: position) }).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            return "{" + (try dictionary.keys.map { "\(quote($0)): \(try encode(dictionary[$0] ?? .none, at: position))" }).joined(separator: ", ") + "}"
        case .undefined(let name): throw JinjaError("'\(name)' is undefined (in tojson)", at: position)
        case .namespace: throw JinjaError("a namespace cannot be written as JSON", at: position)
        }
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
