/// Decodes a sampler's `Config` straight from its parameter values (YAML or `--param key=value`, already read into
/// `ParameterValue`s by `ParameterValue(parsing:)`): the config's own `Decodable` conformance asks for each key with
/// its type, and a value of the wrong type is a `ParameterError` carrying that key and value as data. No text format
/// sits between the parameters and the config.
///
/// Conversions (the only ones): a number key takes an integer or a number; an integer key takes an integer, or a
/// number with no fraction within the type's range (YAML `4.0`); a flag takes true/false; a text key (and a text enum
/// such as `mode`) takes text. Parameters are flat: a config that asks for a list or a nested object gets an error.
struct ParameterDecoder: Decoder {
    let values: [String: ParameterValue]
    /// The key whose single value is being decoded (a text enum's `singleValueContainer`); nil at the top level.
    let key: String?
    var codingPath: [any CodingKey] { key.map { [ParameterKey($0)] } ?? [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ values: [String: ParameterValue], key: String? = nil) {
        self.values = values
        self.key = key
    }

    /// `Config` from `values`; every failure is a `ParameterError` naming the key.
    static func decode<Config: Decodable>(_ type: Config.Type, from values: [String: ParameterValue]) throws -> Config {
        try Config(from: ParameterDecoder(values))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if let key { throw Self.error(key, values[key], "must be a single value") }
        return KeyedDecodingContainer(Keyed<Key>(values: values))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw Self.error(key ?? "(parameters)", key.flatMap { values[$0] }, "cannot be a list (sampler parameters are single values)")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard let key, let value = values[key] else {
            throw Self.error(key ?? "(parameters)", nil, "must be a set of keys and values")
        }
        return Single(key: key, value: value, values: values)
    }

    static func error(_ key: String, _ value: ParameterValue?, _ problem: String) -> ParameterError {
        ParameterError(key: key, value: value?.description ?? "", problem: problem)
    }

    // The four conversions; the fixed-width integers and Float narrow from these.
    static func number(_ value: ParameterValue, _ key: String) throws -> Double {
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: throw error(key, value, "must be a number")
        }
    }

    static func integer<I: FixedWidthInteger>(_ value: ParameterValue, _ key: String, as type: I.Type = Int.self) throws -> I {
        let exact: I?
        switch value {
        case .int(let number): exact = I(exactly: number)
        case .double(let number): exact = number.rounded() == number ? I(exactly: number) : nil
        default: exact = nil
        }
        guard let exact else { throw error(key, value, "must be an integer") }
        return exact
    }

    static func flag(_ value: ParameterValue, _ key: String) throws -> Bool {
        guard case .bool(let flag) = value else { throw error(key, value, "must be true or false") }
        return flag
    }

    static func text(_ value: ParameterValue, _ key: String) throws -> String {
        guard case .string(let text) = value else { throw error(key, value, "must be text") }
        return text
    }

    static func float(_ value: ParameterValue, _ key: String) throws -> Float {
        let number = try number(value, key)
        guard Float(number).isFinite || !number.isFinite else { throw error(key, value, "is out of range") }
        return Float(number)
    }

    /// A type outside the scalars (a text enum) decodes itself from the key's single value; its own errors (a raw
    /// value that is not a case) come back as the key's.
    static func nested<T: Decodable>(_ type: T.Type, _ key: String, _ values: [String: ParameterValue]) throws -> T {
        do {
            return try T(from: ParameterDecoder(values, key: key))
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context): throw Self.error(key, values[key], "has an invalid value (\(context.debugDescription))")
            default: throw Self.error(key, values[key], "cannot be read as \(T.self)")
            }
        }
    }

    struct ParameterKey: CodingKey {
        let stringValue: String
        init(_ key: String) { stringValue = key }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let values: [String: ParameterValue]
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { values.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }
        func decodeNil(forKey key: Key) throws -> Bool { values[key.stringValue] == nil }

        private func value(_ key: Key) throws -> (ParameterValue, String) {
            guard let value = values[key.stringValue] else { throw ParameterDecoder.error(key.stringValue, nil, "is missing") }
            return (value, key.stringValue)
        }

        typealias D = ParameterDecoder
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { let (v, k) = try value(key); return try D.flag(v, k) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { let (v, k) = try value(key); return try D.text(v, k) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { let (v, k) = try value(key); return try D.number(v, k) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { let (v, k) = try value(key); return try D.float(v, k) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { let (v, k) = try value(key); return try D.integer(v, k, as: type) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            _ = try value(key)
            return try D.nested(type, key.stringValue, values)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey> {
            throw D.error(key.stringValue, values[key.stringValue], "must be a single value")
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw D.error(key.stringValue, values[key.stringValue], "cannot be a list (sampler parameters are single values)")
        }

        func superDecoder() throws -> any Decoder { ParameterDecoder(values) }
        func superDecoder(forKey key: Key) throws -> any Decoder { ParameterDecoder(values, key: key.stringValue) }
    }

    /// The single value of one key (what a text enum's synthesized `init(from:)` reads).
    struct Single: SingleValueDecodingContainer {
        let key: String
        let value: ParameterValue
        let values: [String: ParameterValue]
        var codingPath: [any CodingKey] { [ParameterKey(key)] }

        typealias D = ParameterDecoder
        func decodeNil() -> Bool { false }
        func decode(_ type: Bool.Type) throws -> Bool { try D.flag(value, key) }
        func decode(_ type: String.Type) throws -> String { try D.text(value, key) }
        func decode(_ type: Double.Type) throws -> Double { try D.number(value, key) }
        func decode(_ type: Float.Type) throws -> Float { try D.float(value, key) }
        func decode(_ type: Int.Type) throws -> Int { try D.integer(value, key, as: type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try D.integer(value, key, as: type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try D.integer(value, key, as: type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try D.integer(value, key, as: type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try D.integer(value, key, as: type) }
        func decode(_ type: UInt.Type) throws -> UInt { try D.integer(value, key, as: type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try D.integer(value, key, as: type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try D.integer(value, key, as: type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try D.integer(value, key, as: type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try D.integer(value, key, as: type) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            throw D.error(key, value, "cannot be read as \(T.self)")
        }
    }
}
