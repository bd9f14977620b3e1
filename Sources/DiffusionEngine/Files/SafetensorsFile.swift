import Foundation

/// Element types a weight file may hold. Matmuls run in F32: matrices are expanded panel by panel as they are used.
public enum WeightDType: String, Sendable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"

    public var byteCount: Int { self == .f32 ? 4 : 2 }

    /// The same element type in GGUF's numbering (the type of a `StoredMatrix`).
    var ggmlType: GGMLType {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        }
    }
}

/// One tensor inside a weight file: its type, shape and bytes (in place, inside the memory map).
public struct TensorEntry: @unchecked Sendable {
    public let name: String
    public let dtype: WeightDType
    public let shape: [Int]
    public let bytes: UnsafeRawPointer
    public let file: String

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A `.safetensors` file: 8-byte little-endian header length, a JSON header, then the raw tensor bytes.
/// Every offset, type and size is checked against the file before any byte is read.
/// Format: https://github.com/huggingface/safetensors#format
public final class SafetensorsFile: @unchecked Sendable {
    public let map: MappedFile
    public let entries: [String: TensorEntry]
    public let metadata: [String: String]

    public init(path: String) throws {
        map = try MappedFile(path: path)
        guard map.size >= 8 else { throw ModelFileError(file: path, "truncated: \(map.size) bytes, no header length") }
        let headerLength = Int(clamping: map.bytes.loadUnaligned(as: UInt64.self).littleEndian)
        guard headerLength <= map.size - 8 else {
            throw ModelFileError(file: path, "header length \(headerLength) runs past the end of the file (\(map.size) bytes)")
        }
        let headerData = Data(bytes: map.bytes + 8, count: headerLength)
        let header = try JSONFields(try JSONValue.parse(headerData, file: path), file: path, path: "")
        let dataStart = 8 + headerLength
        let dataSize = map.size - dataStart
        var entries: [String: TensorEntry] = [:]
        var ranges: [(name: String, data: Range<Int>)] = []
        var metadata: [String: String] = [:]
        for (key, value) in header.values {
            let name = key.text
            if name == "__metadata__" {
                if case .object(let items) = value {
                    for (key, item) in items { if case .string(let text) = item { metadata[key.text] = text } }
                }
                continue
            }
            let fields = try JSONFields(value, file: path, path: name)
            let dtypeName = try fields.string("dtype")
            guard let dtype = WeightDType(rawValue: dtypeName) else {
                throw ModelFileError(file: path, "tensor '\(name)' has dtype \(dtypeName); supported: F32, F16, BF16")
            }
            let shape = try fields.array("shape").map { dimension -> Int in
                guard case .int(let size) = dimension, size >= 0 else {
                    throw ModelFileError(file: path, "tensor '\(name)' has a bad shape entry \(dimension)")
                }
                return size
            }
            let offsets = try fields.array("data_offsets")
            guard offsets.count == 2, case .int(let begin) = offsets[0], case .int(let end) = offsets[1],
                  begin >= 0, begin <= end
            else { throw ModelFileError(file: path, "tensor '\(name)' has bad data_offsets \(offsets)") }
            guard end <= dataSize else {
                throw ModelFileError(file: path, "tensor '\(name)' ends at byte \(end) of the data, which has only \(dataSize) bytes (truncated file?)")
            }
            let (count, overflow) = shape.reduce((1, false)) { partial, size in
                let (product, flag) = partial.0.multipliedReportingOverflow(by: size)
                return (product, partial.1 || flag)
            }
            guard !overflow, count * dtype.byteCount == end - begin else {
                throw ModelFileError(file: path, "tensor '\(name)' has \(end - begin) bytes, but shape \(shape) of \(dtype.rawValue) needs \(overflow ? -1 : count * dtype.byteCount)")
            }
            // Tensors are looked up by `String`, which equates canonically equivalent names.
            guard entries[name] == nil else { throw ModelFileError(file: path, "two tensors are named '\(name)' (spelled with different Unicode bytes)") }
            entries[name] = TensorEntry(name: name, dtype: dtype, shape: shape, bytes: map.bytes + dataStart + begin, file: path)
            ranges.append((name, begin ..< end))
        }
        try Self.checkDisjoint(ranges, file: path)
        self.entries = entries
        self.metadata = metadata
    }

    /// Two tensors sharing bytes would read each other's weights: an error naming both (empty tensors own no bytes).
    static func checkDisjoint(_ ranges: [(name: String, data: Range<Int>)], file: String) throws {
        let sorted = ranges.filter { !$0.data.isEmpty }.sorted { ($0.data.lowerBound, $0.name) < ($1.data.lowerBound, $1.name) }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.data.lowerBound < previous.data.upperBound {
            throw ModelFileError(file: file, "tensors '\(previous.name)' (data bytes \(previous.data.lowerBound)..<\(previous.data.upperBound)) "
                + "and '\(next.name)' (\(next.data.lowerBound)..<\(next.data.upperBound)) overlap")
        }
    }
}
