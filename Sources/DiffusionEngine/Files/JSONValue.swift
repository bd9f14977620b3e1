import Foundation

/// A parsed JSON document that keeps booleans, integers and reals apart, so a config field of the wrong type is
/// an error that names the field instead of a silent conversion.
public enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Keys compare byte for byte (`ExactString`): "é" and "e\u{301}" are two keys, as in the file.
    case object([ExactString: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            // `JSONDecoder` merges canonically equivalent keys; `parse` keeps them apart.
            let members = try container.decode([String: JSONValue].self)
            self = .object(Dictionary(uniqueKeysWithValues: members.map { (ExactString($0.key), $0.value) }))
        }
    }

    /// Parses `data` read from `file` strictly (`JSONParser`: a key twice in one object is an error); a syntax
    /// error names the file, the line and the column.
    public static func parse(_ data: Data, file: String) throws -> JSONValue {
        do {
            return try data.withUnsafeBytes { raw in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) }
        } catch {
            throw ModelFileError(file: file, "not valid JSON: \(error)")
        }
    }

    /// Reads and parses the file at `url`; a missing file is an error naming it.
    public static func read(_ url: URL) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ModelFileError(file: url.path, "file is missing or unreadable")
        }
        return try parse(data, file: url.path)
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Typed access to the fields of a JSON object, with errors that name the file and the key.
public struct JSONFields {
    public let file: String
    public let values: [ExactString: JSONValue]
    public let path: String

    /// The keys, in byte order.
    public var keys: [String] { values.keys.sorted().map(\.text) }

    public init(_ value: JSONValue, file: String, path: String = "") throws {
        guard case .object(let values) = value else {
            throw ModelFileError(file: file, "\(path.isEmpty ? "top level" : "'\(path)'") must be a JSON object, found \(value.typeName)")
        }
        self.file = file
        self.values = values
        self.path = path
    }

    private func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func present(_ name: String) -> JSONValue? {
        guard let value = values[ExactString(name)], value != .null else { return nil }
        return value
    }

    private func missing(_ name: String) -> ModelFileError {
        ModelFileError(file: file, "field '\(key(name))' is missing")
    }

    private func wrongType(_ name: String, _ expected: String, _ found: JSONValue) -> ModelFileError {
        ModelFileError(file: file, "field '\(key(name))' must be \(expected), found \(found.typeName)")
    }

    public func int(_ name: String) throws -> Int {
        guard let value = present(name) else { throw missing(name) }
        guard case .int(let int) = value else { throw wrongType(name, "an integer", value) }
        return int
    }

    public func optionalInt(_ name: String) throws -> Int? {
        guard present(name) != nil else { return nil }
        return try int(name)
    }

    /// A positive integer (sizes, counts).
    public func positiveInt(_ name: String) throws -> Int {
        let value = try int(name)
        guard value > 0 else { throw ModelFileError(file: file, "field '\(key(name))' must be positive, found \(value)") }
        return value
    }

    public func double(_ name: String) throws -> Double {
        guard let value = present(name) else { throw missing(name) }
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: throw wrongType(name, "a number", value)
        }
    }

    public func optionalDouble(_ name: String) throws -> Double? {
        guard present(name) != nil else { return nil }
        return try double(name)
    }

    public func bool(_ name: String) throws -> Bool {
        guard let value = present(name) else { throw missing(name) }
        guard case .bool(let flag) = value else { throw wrongType(name, "true or false", value) }
        return flag
    }

    public func optionalBool(_ name: String) throws -> Bool? {
        guard present(name) != nil else { return nil }
        return try bool(name)
    }

    public func string(_ name: String) throws -> String {
        guard let value = present(name) else { throw missing(name) }
        guard case .string(let text) = value else { throw wrongType(name, "a string", value) }
        return text
    }

    public func optionalString(_ name: String) throws -> String? {
        guard present(name) != nil else { return nil }
        return try string(name)
    }

    /// An integer or a list of integers (e.g. `eos_token_id`).
    public func intList(_ name: String) throws -> [Int] {
        guard let value = present(name) else { throw missing(name) }
        switch value {
        case .int(let single): return [single]
        case .array(let items):
            return try items.map { item in
                guard case .int(let int) = item else { throw wrongType(name, "a list of integers", item) }
                return int
            }
        default: throw wrongType(name, "an integer or a list of integers", value)
        }
    }

    public func optionalIntList(_ name: String) throws -> [Int]? {
        guard present(name) != nil else { return nil }
        return try intList(name)
    }

    public func array(_ name: String) throws -> [JSONValue] {
        guard let value = present(name) else { throw missing(name) }
        guard case .array(let items) = value else { throw wrongType(name, "an array", value) }
        return items
    }

    public func object(_ name: String) throws -> JSONFields {
        guard let value = present(name) else { throw missing(name) }
        return try JSONFields(value, file: file, path: key(name))
    }

    public func optionalObject(_ name: String) throws -> JSONFields? {
        guard present(name) != nil else { return nil }
        return try object(name)
    }
}
