import Foundation

/// Writes a GGUF version 3 file, little-endian: header, metadata in the order added, tensor infos, then the
/// tensors' bytes, each at an offset that is a multiple of the alignment (`general.alignment` when given, else 32).
/// Either all at once (`add` then `encoded`), or streamed: `declare` every tensor, write `encodedHeader()`, then
/// each tensor's bytes followed by `padding(after:)` zeros, in the declared order (so a large model never has to
/// be in memory whole).
/// Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
public struct GGUFWriter {
    public private(set) var metadata: [(key: String, value: GGUFValue)] = []
    private var tensors: [(name: String, type: GGMLType, shape: [Int], byteCount: Int, bytes: Data?)] = []
    private var alignment = GGUFFile.defaultAlignment

    public init() {}

    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let index = metadata.firstIndex(where: { $0.key == key }) {
            metadata[index].value = value
        } else {
            metadata.append((key, value))
        }
        if key == "general.alignment", case .uint32(let declared) = value, declared > 0, declared & (declared - 1) == 0 {
            alignment = Int(declared)
        }
    }

    /// Adds a tensor of `type` with row-major `shape` whose encoded bytes are `bytes`.
    public mutating func add(_ name: String, type: GGMLType, shape: [Int], bytes: Data) throws {
        try declare(name, type: type, shape: shape)
        guard tensors[tensors.count - 1].byteCount == bytes.count else {
            tensors.removeLast()
            throw ModelFileError(file: name, "\(bytes.count) bytes do not encode shape \(shape) as \(type.name)")
        }
        tensors[tensors.count - 1].bytes = bytes
    }

    /// Declares a tensor whose bytes will be streamed after the header; returns its byte count.
    @discardableResult
    public mutating func declare(_ name: String, type: GGMLType, shape: [Int]) throws -> Int {
        guard !tensors.contains(where: { $0.name == name }) else { throw ModelFileError(file: name, "tensor added twice") }
        var elements = 1
        for size in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard size >= 0, !overflow else { throw ModelFileError(file: name, "shape \(shape) has too many elements") }
            elements = product
        }
        guard let count = type.byteCount(elements: elements), (shape.last ?? 0) % type.blockSize == 0 else {
            throw ModelFileError(file: name, "shape \(shape) is not a whole number of \(type.name) rows")
        }
        tensors.append((name, type, shape, count, nil))
        return count
    }

    /// Zero bytes to write after a tensor of `byteCount` bytes, so the next one starts aligned.
    public func padding(after byteCount: Int) -> Int { Self.aligned(byteCount, alignment) - byteCount }

    /// The whole file; every tensor must have been added with its bytes.
    public func encoded() -> Data {
        var out = encodedHeader()
        for tensor in tensors {
            out.append(tensor.bytes ?? Data(count: tensor.byteCount))
            out.append(Data(count: padding(after: tensor.byteCount)))
        }
        return out
    }

    /// Everything before the first tensor's bytes: header, metadata, tensor infos, padding.
    public func encodedHeader() -> Data {
        var out = Data()
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        func appendString(_ text: String) {
            append(UInt64(text.utf8.count))
            out.append(contentsOf: Array(text.utf8))
        }
        func appendValue(_ value: GGUFValue) {
            switch value {
            case .uint8(let v): append(v)
            case .int8(let v): append(v)
            case .uint16(let v): append(v)
            case .int16(let v): append(v)
            case .uint32(let v): append(v)
            case .int32(let v): append(v)
            case .uint64(let v): append(v)
            case .int64(let v): append(v)
            case .float32(let v): append(v.bitPattern)
            case .float64(let v): append(v.bitPattern)
            case .bool(let v): append(UInt8(v ? 1 : 0))
            case .string(let v): appendString(v)
            case .array(let type, let items):
                append(type.rawValue)
                append(UInt64(items.count))
                items.forEach(appendValue)
            }
        }
        append(GGUFFile.magic)
        append(UInt32(3))
        append(UInt64(tensors.count))
        append(UInt64(metadata.count))
        for (key, value) in metadata {
            appendString(key)
            append(value.type.rawValue)
            appendValue(value)
        }
        var offset = 0
        var offsets: [Int] = []
        for tensor in tensors {
            offsets.append(offset)
            offset = Self.aligned(offset + tensor.byteCount, alignment)
        }
        for (tensor, offset) in zip(tensors, offsets) {
            appendString(tensor.name)
            append(UInt32(tensor.shape.count))
            for size in tensor.shape.reversed() { append(UInt64(size)) }  // GGUF lists dimensions innermost first
            append(tensor.type.rawValue)
            append(UInt64(offset))
        }
        out.append(Data(count: Self.aligned(out.count, alignment) - out.count))
        return out
    }

    public func write(to url: URL) throws {
        do {
            try encoded().write(to: url, options: .atomic)
        } catch {
            throw ModelFileError(file: url.path, "cannot write (\(error.localizedDescription))")
        }
    }

    static func aligned(_ offset: Int, _ alignment: Int) -> Int { (offset + alignment - 1) / alignment * alignment }
}
