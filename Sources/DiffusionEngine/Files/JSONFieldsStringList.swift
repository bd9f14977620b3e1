extension JSONFields {
    /// A list of strings (e.g. `layer_types`), or nil if absent.
    func optionalStringList(_ name: String) throws -> [String]? {
        guard present(name) != nil else { return nil }
        return try array(name).map { item in
            guard case .string(let text) = item else {
                throw ModelFileError(file: file, "field '\(path.isEmpty ? name : "\(path).\(name)")' must be a list of strings, found \(item.typeName) inside")
            }
            return text
        }
    }
}
