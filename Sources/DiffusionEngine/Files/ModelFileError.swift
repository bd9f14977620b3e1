/// Every problem with a model's files, naming the file and the field, tensor or value at fault.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}

/// Bad input to a loaded model (token ids out of range, sequences longer than the context).
public struct ModelInputError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
