/// A sampler that cannot run as asked: a bad parameter, or a model it does not support.
public enum SamplerError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    case unsupportedModel(String)

    public var description: String {
        switch self {
        case .invalidParameter(let message): "invalid sampler parameter: \(message)"
        case .unsupportedModel(let message): "unsupported model: \(message)"
        }
    }
}
