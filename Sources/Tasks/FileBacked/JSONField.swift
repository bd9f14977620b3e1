import Foundation

/// One value of a benchmark record (a JSONL line or a CSV cell), as read: no lossy conversion to Swift types.
public enum JSONField: Equatable, Sendable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    /// An integer that fits Int exactly (JSON numbers without fraction or exponent), kept apart so that
    /// `18` renders as `18`, never `18.0`.
    case integer(Int)
    case string(String)
    case array([JSONField])
    case object([String: JSONField])

    public init(from decoder: Decoder) throws {
        // Most benchmark fields are text, so strings are tried first (each failed attempt throws, which costs).
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode([JSONField].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONField].self))
        }
    }

    /// The text a prompt template inserts: strings as they are, numbers in their shortest form, lists and
    /// objects as compact JSON.
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value):
            return value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): return value
        case .array(let values): return "[" + values.map(\.json).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { "\"\($0)\": \(fields[$0]?.json ?? "null")" }.joined(separator: ", ") + "}"
        }
    }

    /// As JSON (strings quoted).
    var json: String {
        if case .string(let value) = self {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let data = (try? encoder.encode(value)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        return text
    }

    /// The elements of a list (a JSON array), or nil.
    public var list: [JSONField]? {
        if case .array(let values) = self { return values }
        return nil
    }
}
