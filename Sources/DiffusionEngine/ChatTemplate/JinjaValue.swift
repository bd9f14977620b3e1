import Foundation

/// A value while a template renders, with Python's semantics where jinja2 inherits them (truthiness, `str()`,
/// equality, indexing).
indirect enum JinjaValue: Sendable {
    case undefined(String)  // the name that was looked up, for error messages
    case none
    case boolean(Bool)
    case integer(Int)
    case real(Double)
    case string(String)
    case list([JinjaValue])
    case dictionary(JinjaDictionary)
    case namespace(JinjaNamespace)

    var isTrue: Bool {
        switch self {
        case .undefined, .none: false
        case .boolean(let value): value
        case .integer(let value): value != 0
        case .real(let value): value != 0
        case .string(let value): !value.isEmpty
        case .list(let items): !items.isEmpty
        case .dictionary(let dictionary): !dictionary.keys.isEmpty
        case .namespace: true
        }
    }

    var typeName: String {
        switch self {
        case .undefined(let name): "undefined ('\(name)')"
        case .none: "none"
        case .boolean: "bool"
        case .integer: "int"
        case .real: "float"
        case .string: "str"
        case .list: "list"
        case .dictionary: "dict"
        case .namespace: "namespace"
        }
    }

    /// Python's `str()`: what `{{ value }}` prints (undefined prints nothing).
    var text: String {
        switch self {
        case .undefined: ""
        case .string(let value): value
        default: representation
        }
    }

    /// Python's `repr()`.
    var representation: String {
        switch self {
        case .undefined: ""
        case .none: "None"
        case .boolean(let value): value ? "True" : "False"
        case .integer(let value): String(value)
        case .real(let value): value == value.rounded() && abs(value) < 1e16 ? String(format: "%.1f", value) : String(value)
        case .string(let value): "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'").replacingOccurrences(of: "\n", with: "\\n") + "'"
        case .list(let items): "[" + items.map(\.representation).joined(separator: ", ") + "]"
        case .dictionary(let dictionary): "{" + dictionary.keys.map { "'\($0)': \(dictionary.values[$0]?.representation ?? "")" }.joined(separator: ", ") + "}"
        case .namespace: "<Namespace>"
        }
    }

    /// Python's `==` between the value kinds a template sees (1 == 1.0, True == 1).
    func equals(_ other: JinjaValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.equals($1) }
        case (.dictionary(let a), .dictionary(let b)):
            return Set(a.keys) == Set(b.keys) && a.keys.allSatisfy { key in b.values[key].map { a.values[key]?.equals($0) ?? false } ?? false }
        case (.namespace(let a), .namespace(let b)): return a === b
        default:
            if let a = number, let b = other.number { return a == b }
            return false
        }
    }

    /// The value as a number, for booleans, integers and reals.
    var number: Double? {
        switch self {
        case .boolean(let value): value ? 1 : 0
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    /// A JSON value as a template sees it (messages, tools).
    init(json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let value): self = .boolean(value)
        case .int(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .string(value)
        case .array(let items): self = .list(items.map(JinjaValue.init(json:)))
        case .object(let fields):
            // JSON objects carry no order here; keys are kept sorted so that rendering is deterministic.
            self = .dictionary(JinjaDictionary(fields.keys.sorted().map { ($0.text, JinjaValue(json: fields[$0] ?? .null)) }))
        }
    }
}

/// A dictionary that keeps its insertion order, as Python's does.
struct JinjaDictionary: Sendable {
    private(set) var keys: [String] = []
    private(set) var values: [String: JinjaValue] = [:]

    init(_ pairs: [(String, JinjaValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    subscript(key: String) -> JinjaValue? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }
}

/// `namespace(...)`: the one mutable object of jinja2, so that a loop body can change a value outside it.
final class JinjaNamespace: @unchecked Sendable {
    // Only touched by the single render that created it.
    var attributes: JinjaDictionary

    init(_ attributes: JinjaDictionary) { self.attributes = attributes }
}
