/// Typed access to GGUF metadata; errors name the file and the key.
extension GGUFFile {
    private func missing(_ key: String) -> ModelFileError {
        ModelFileError(file: path, "metadata key '\(key)' is missing")
    }

    private func wrongType(_ key: String, _ expected: String, _ found: GGUFValue) -> ModelFileError {
        ModelFileError(file: path, "metadata key '\(key)' must be \(expected), found \(found.type.name)")
    }

    public func string(_ key: String) throws -> String {
        guard let value = metadata[key] else { throw missing(key) }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    public func optionalString(_ key: String) throws -> String? {
        metadata[key] == nil ? nil : try string(key)
    }

    /// Any integer type whose value fits an Int.
    public func int(_ key: String) throws -> Int {
        guard let value = metadata[key] else { throw missing(key) }
        guard let int = value.integer else { throw wrongType(key, "an integer", value) }
        return int
    }

    public func optionalInt(_ key: String) throws -> Int? {
        metadata[key] == nil ? nil : try int(key)
    }

    /// A positive integer (sizes and counts).
    public func positiveInt(_ key: String) throws -> Int {
        let value = try int(key)
        guard value > 0 else { throw ModelFileError(file: path, "metadata key '\(key)' must be positive, found \(value)") }
        return value
    }

    public func real(_ key: String) throws -> Double {
        guard let value = metadata[key] else { throw missing(key) }
        guard let real = value.real else { throw wrongType(key, "a number", value) }
        return real
    }

    public func optionalReal(_ key: String) throws -> Double? {
        metadata[key] == nil ? nil : try real(key)
    }

    public func optionalBool(_ key: String) throws -> Bool? {
        guard let value = metadata[key] else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key, "a bool", value) }
        return flag
    }

    /// An array of strings (e.g. `tokenizer.ggml.tokens`).
    public func strings(_ key: String) throws -> [String] {
        guard let value = metadata[key] else { throw missing(key) }
        guard case .array(.string, let items) = value else { throw wrongType(key, "an array of strings", value) }
        return items.map { if case .string(let text) = $0 { text } else { "" } }
    }

    /// An array of integers (e.g. `tokenizer.ggml.token_type`).
    public func integers(_ key: String) throws -> [Int] {
        guard let value = metadata[key] else { throw missing(key) }
        guard case .array(_, let items) = value else { throw wrongType(key, "an array of integers", value) }
        return try items.map { item in
            guard let int = item.integer else { throw wrongType(key, "an array of integers", item) }
            return int
        }
    }

    /// An integer, or an array of integers with one entry per layer (llama.cpp's per-layer keys).
    public func integerOrIntegers(_ key: String) throws -> [Int] {
        guard let value = metadata[key] else { throw missing(key) }
        if let single = value.integer { return [single] }
        return try integers(key)
    }

    /// The tensor `name`, or an error naming it.
    public func tensor(_ name: String) throws -> GGUFTensorInfo {
        guard let info = tensors[name] else { throw ModelFileError(file: path, "tensor '\(name)' is missing") }
        return info
    }
}
