/// One tensor of a GGUF file: its name, element type, shape (row-major, outermost first, as Hugging Face and
/// PyTorch write shapes; GGUF stores the dimensions innermost first) and its bytes inside the memory map.
public struct GGUFTensorInfo: @unchecked Sendable {
    public let name: String
    public let type: GGMLType
    public let shape: [Int]
    /// Offset of the first byte from the start of the data section.
    public let offset: Int
    public let byteCount: Int
    public let bytes: UnsafeRawPointer

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A GGUF file (versions 2 and 3, little-endian): header, metadata key-value pairs, tensor infos, then the
/// aligned data section. Parsed from a memory map with every count, length, offset and size checked against the
/// file before use; tensors stay in place in the map.
/// Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
public final class GGUFFile: @unchecked Sendable {
    public let map: MappedFile
    public let version: UInt32
    public let metadata: [String: GGUFValue]
    /// Keys in file order.
    public let metadataKeys: [String]
    public let tensors: [String: GGUFTensorInfo]
    /// Tensor names in file order.
    public let tensorNames: [String]
    public let alignment: Int
    public let dataOffset: Int

    public var path: String { map.path }

    /// ggml's limit on tensor dimensions (`GGML_MAX_DIMS`).
    static let maximumDimensions = 4
    static let magic: UInt32 = 0x4655_4747  // "GGUF" read as a little-endian u32
    static let defaultAlignment = 32

    public init(path: String) throws {
        map = try MappedFile(path: path)
        var cursor = GGUFCursor(bytes: map.bytes, size: map.size, file: path)
        let magic = try cursor.load(UInt32.self, "the magic number")
        guard magic == Self.magic else {
            throw cursor.error("not a GGUF file: magic is 0x\(String(magic, radix: 16)), expected 0x\(String(Self.magic, radix: 16)) (\"GGUF\")")
        }
        version = try cursor.load(UInt32.self, "the version")
        guard version == 2 || version == 3 else {
            throw cursor.error("GGUF version \(version) is not supported (2 and 3 are; a big-endian file also shows up here)")
        }
        // A tensor info takes at least 8 (name length) + 4 (dims) + 4 (type) + 8 (offset) bytes.
        let tensorCount = try cursor.count(minimumBytes: 24, "the tensor count")
        // A key-value pair takes at least 8 (key length) + 4 (type) + 1 (smallest value) bytes.
        let keyCount = try cursor.count(minimumBytes: 13, "the metadata key count")

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        for index in 0 ..< keyCount {
            let key = try cursor.string("metadata key #\(index)")
            guard metadata[key] == nil else { throw cursor.error("metadata key '\(key)' appears twice") }
            let typeID = try cursor.load(UInt32.self, "the type of metadata key '\(key)'")
            guard let type = GGUFValueType(rawValue: typeID) else {
                throw cursor.error("metadata key '\(key)' has unknown value type \(typeID)")
            }
            metadata[key] = try cursor.value(of: type, "metadata key '\(key)'")
            keys.append(key)
        }
        self.metadata = metadata
        metadataKeys = keys

        var alignment = Self.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard case .uint32(let declared) = value else {
                throw cursor.error("metadata key 'general.alignment' must be a uint32, found \(value.type.name)")
            }
            guard declared > 0, declared & (declared - 1) == 0 else {
                throw cursor.error("metadata key 'general.alignment' is \(declared), not a power of two")
            }
            alignment = Int(declared)
        }
        self.alignment = alignment

        struct RawInfo { let name: String; let type: GGMLType; let shape: [Int]; let offset: UInt64 }
        var infos: [RawInfo] = []
        var seen = Set<String>()
        for index in 0 ..< tensorCount {
            let name = try cursor.string("the name of tensor #\(index)")
            guard seen.insert(name).inserted else { throw cursor.error("tensor '\(name)' appears twice") }
            let dimensionCount = try cursor.load(UInt32.self, "the dimension count of tensor '\(name)'")
            guard dimensionCount >= 1, dimensionCount <= Self.maximumDimensions else {
                throw cursor.error("tensor '\(name)' has \(dimensionCount) dimensions; 1 to \(Self.maximumDimensions) are allowed")
            }
            var dimensions: [Int] = []
            for axis in 0 ..< Int(dimensionCount) {
                let size = try cursor.load(UInt64.self, "dimension \(axis) of tensor '\(name)'")
                guard size <= UInt64(Int32.max) else {
                    throw cursor.error("tensor '\(name)' has dimension \(axis) of size \(size), which is absurd")
                }
                dimensions.append(Int(size))
            }
            let typeID = try cursor.load(UInt32.self, "the type of tensor '\(name)'")
            guard let type = GGMLType(rawValue: typeID) else {
                throw cursor.error("tensor '\(name)' has ggml type \(typeID), which is not supported (supported: \(GGMLType.supportedNames))")
            }
            let offset = try cursor.load(UInt64.self, "the data offset of tensor '\(name)'")
            infos.append(RawInfo(name: name, type: type, shape: dimensions.reversed(), offset: offset))
        }

        let (aligned, overflow) = cursor.offset.addingReportingOverflow(alignment - 1)
        dataOffset = overflow ? Int.max : aligned / alignment * alignment
        guard dataOffset <= map.size else {
            throw cursor.error("truncated: the data section would start at byte \(dataOffset), past the end (\(map.size) bytes)")
        }
        let dataSize = map.size - dataOffset
        var tensors: [String: GGUFTensorInfo] = [:]
        for info in infos {
            var elements = 1
            for size in info.shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: size)
                guard !overflow else { throw cursor.error("tensor '\(info.name)' has shape \(info.shape), too many elements") }
                elements = product
            }
            guard let innermost = info.shape.last, innermost % info.type.blockSize == 0,
                  let byteCount = info.type.byteCount(elements: elements)
            else {
                throw cursor.error("tensor '\(info.name)' has shape \(info.shape): its rows are not a whole number of \(info.type.name) blocks of \(info.type.blockSize)")
            }
            guard info.offset % UInt64(alignment) == 0 else {
                throw cursor.error("tensor '\(info.name)' has data offset \(info.offset), not a multiple of the alignment \(alignment)")
            }
            guard info.offset <= UInt64(dataSize), UInt64(byteCount) <= UInt64(dataSize) - info.offset else {
                throw cursor.error("tensor '\(info.name)' (\(byteCount) bytes at data offset \(info.offset)) runs past the end of the file (data section: \(dataSize) bytes)")
            }
            let offset = Int(info.offset)
            tensors[info.name] = GGUFTensorInfo(
                name: info.name, type: info.type, shape: info.shape, offset: offset, byteCount: byteCount,
                bytes: map.bytes + dataOffset + offset)
        }
        self.tensors = tensors
        tensorNames = infos.map(\.name)
    }
}
