/// A bounded little-endian reader over the bytes of a memory-mapped file. Every read checks the bytes left first,
/// and every count or length is checked against the bytes left before anything is allocated for it, so a corrupt
/// count (2^60 strings) is an error, never a huge allocation.
struct GGUFCursor {
    let bytes: UnsafeRawPointer
    let size: Int
    let file: String
    private(set) var offset = 0

    init(bytes: UnsafeRawPointer, size: Int, file: String) {
        self.bytes = bytes
        self.size = size
        self.file = file
    }

    var remaining: Int { size - offset }

    func error(_ message: String) -> ModelFileError { ModelFileError(file: file, message) }

    /// - Parameter what: names the field being read, for the error.
    mutating func load<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let width = MemoryLayout<T>.size
        guard remaining >= width else {
            throw error("truncated at byte \(offset) of \(size) while reading \(what())")
        }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += width
        return value
    }

    /// A u64 count of items that each take at least `minimumBytes`, checked against the bytes left.
    mutating func count(minimumBytes: Int, _ what: @autoclosure () -> String) throws -> Int {
        let raw = try load(UInt64.self, what())
        guard raw <= UInt64(remaining / max(minimumBytes, 1)) else {
            throw error("truncated or corrupt: \(what()) claims \(raw) items of at least \(minimumBytes) bytes, but only \(remaining) bytes are left")
        }
        return Int(raw)
    }

    /// A GGUF string: u64 length, then UTF-8 bytes (no terminator).
    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let length = try count(minimumBytes: 1, "the length of \(what())")
        let buffer = UnsafeRawBufferPointer(start: bytes + offset, count: length)
        guard let text = String(validating: buffer, as: UTF8.self) else {
            throw error("\(what()) is not valid UTF-8")
        }
        offset += length
        return text
    }

    /// A metadata value of `type`; arrays nest at most `depth` levels (a stack bound, not a GGUF rule).
    mutating func value(of type: GGUFValueType, _ what: @autoclosure () -> String, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try load(UInt8.self, what()))
        case .int8: return .int8(try load(Int8.self, what()))
        case .uint16: return .uint16(try load(UInt16.self, what()))
        case .int16: return .int16(try load(Int16.self, what()))
        case .uint32: return .uint32(try load(UInt32.self, what()))
        case .int32: return .int32(try load(Int32.self, what()))
        case .uint64: return .uint64(try load(UInt64.self, what()))
        case .int64: return .int64(try load(Int64.self, what()))
        case .float32: return .float32(Float(bitPattern: try load(UInt32.self, what())))
        case .float64: return .float64(Double(bitPattern: try load(UInt64.self, what())))
        case .bool:
            let byte = try load(UInt8.self, what())
            guard byte <= 1 else { throw error("\(what()) is a bool with byte value \(byte)") }
            return .bool(byte == 1)
        case .string: return .string(try string(what()))
        case .array:
            guard depth < 8 else { throw error("\(what()) nests arrays more than 8 deep") }
            let typeID = try load(UInt32.self, "the element type of \(what())")
            guard let elementType = GGUFValueType(rawValue: typeID) else {
                throw error("\(what()) has unknown element type \(typeID)")
            }
            let count = try count(minimumBytes: elementType.minimumByteCount, "the element count of \(what())")
            var items: [GGUFValue] = []
            items.reserveCapacity(count)
            for index in 0 ..< count {
                items.append(try value(of: elementType, "\(what())[\(index)]", depth: depth + 1))
            }
            return .array(elementType, items)
        }
    }
}
