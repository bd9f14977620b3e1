/// A sampler parameter that cannot be used as given, with its key and value as data, so that whoever reads the
/// error (the command line, an experiment file's reader pointing at the YAML line) knows which key and value
/// without parsing the message.
public struct ParameterError: Error, Equatable, CustomStringConvertible {
    /// The sampler's registry name; nil while a config's `validate()` throws it (the registry fills it in).
    public var sampler: String?
    /// The parameter's key, as in YAML and `--param key=value`.
    public let key: String
    /// The value as given, as text.
    public let value: String
    /// What is wrong, e.g. "must be an integer", "must be in [0, 1]", "is not a parameter of this sampler (…)".
    public let problem: String

    public init(sampler: String? = nil, key: String, value: String, problem: String) {
        self.sampler = sampler
        self.key = key
        self.value = value
        self.problem = problem
    }

    public var description: String {
        "invalid sampler parameter: \(sampler.map { "\($0): " } ?? "")parameter '\(key)' \(problem), got '\(value)'"
    }
}

/// Throws a `ParameterError` for `key` unless `condition` holds (for `SamplerConfig.validate()`).
@inline(__always)
func requireParameter(_ condition: Bool, _ key: String, _ value: @autoclosure () -> Any, _ problem: @autoclosure () -> String) throws {
    if !condition { throw ParameterError(key: key, value: "\(value())", problem: problem()) }
}
