/// A weight matrix [rows, columns] (row-major, Hugging Face's [out, in] for a linear layer) kept in the precision
/// its file stores: F32, F16, BF16 or a GGUF block quantization, in place inside the memory map. Nothing is widened
/// at load; a matmul expands one panel of rows at a time (`MatMul.linear(_:rows:weight:into:)`), an embedding
/// lookup one row (`expandRow`).
///
/// Every row is a whole number of blocks of `type` (checked where a matrix is made), so a block of rows, one row,
/// or one expert of a stacked [E, R, C] tensor (rows e·R ..< (e+1)·R of it as an [E·R, C] matrix) is again a
/// matrix of whole blocks.
///
/// Ownership, as for `FloatTensor`: `storage` owns the memory behind `base` (the weight source for mapped
/// weights, an `OwnedFloats` for a matrix made from values), and every view (`rows(_:)`) shares it, so no pointer
/// into a matrix outlives its bytes while the matrix, or a model holding it, lives.
public struct StoredMatrix: @unchecked Sendable {
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// The first byte of row 0. Valid while `storage` lives.
    let base: UnsafeRawPointer
    /// Owns the bytes behind `base`.
    let storage: AnyObject
    /// Bytes of one row (a whole number of blocks).
    public let rowBytes: Int

    /// Internal: only a weight source or a view may pair a pointer with its owner. `columns` must be a whole number
    /// of blocks of `type` (see `check(columns:type:name:file:)` for external data).
    init(type: GGMLType, rows: Int, columns: Int, base: UnsafeRawPointer, storage: AnyObject) {
        precondition(columns % type.blockSize == 0, "StoredMatrix: \(columns) columns are not whole \(type.name) blocks")
        self.type = type
        self.rows = rows
        self.columns = columns
        self.base = base
        self.storage = storage
        rowBytes = columns / type.blockSize * type.typeSize
    }

    /// An F32 matrix over a tensor's elements: its first axes flattened into rows, its last axis the columns.
    public init(_ tensor: FloatTensor) {
        let columns = tensor.shape.last ?? 1
        self.init(type: .f32, rows: columns == 0 ? 0 : tensor.count / columns, columns: columns,
                  base: UnsafeRawPointer(tensor.pointer), storage: tensor.storage)
    }

    /// An F32 matrix owning a copy of `values` (tests, benchmarks).
    public init(rows: Int, columns: Int, values: [Float]) {
        self.init(FloatTensor(shape: [rows, columns], values: values))
    }

    /// A matrix of `type` owning a copy of its encoded `bytes` (rows · columns elements; tests, benchmarks).
    public init(type: GGMLType, rows: Int, columns: Int, bytes: [UInt8]) {
        precondition(type.byteCount(elements: rows * columns) == bytes.count, "StoredMatrix: \(bytes.count) bytes for [\(rows), \(columns)] \(type.name)")
        let owned = OwnedBytes(bytes)
        self.init(type: type, rows: rows, columns: columns, base: UnsafeRawPointer(owned.pointer), storage: owned)
    }

    /// An error unless a row of `columns` elements is a whole number of `type`'s blocks.
    static func check(columns: Int, type: GGMLType, name: String, file: String) throws {
        guard columns > 0, columns % type.blockSize == 0 else {
            throw ModelFileError(file: file, "tensor '\(name)' has rows of \(columns) elements, not a whole number of \(type.name) blocks of \(type.blockSize)")
        }
    }

    /// Rows `range` as a matrix sharing this one's storage (a panel, or one expert of a stacked tensor).
    public func rows(_ range: Range<Int>) -> StoredMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "StoredMatrix: rows \(range) outside 0..<\(rows)")
        return StoredMatrix(type: type, rows: range.count, columns: columns, base: base + range.lowerBound * rowBytes, storage: storage)
    }

    /// Slice `index` of a stacked matrix of `count` equal parts along the rows (e.g. expert e of [E·R, C]).
    public func slice(_ index: Int, of count: Int) -> StoredMatrix {
        let part = rows / count
        return rows(index * part ..< (index + 1) * part)
    }

    /// Whether `sgemm` can read the matrix in place: F32 at a Float-aligned address.
    var isDirectF32: Bool { type == .f32 && Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 }

    /// The stored F32 elements, for an in-place matrix (`isDirectF32`); the storage must be kept alive by the caller.
    var floatPointer: UnsafePointer<Float> { base.assumingMemoryBound(to: Float.self) }

    /// Expands rows `range` into `destination` [range.count, columns] as F32 (bit-exact: `DequantizeFast`).
    public func expand(rows range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "StoredMatrix: rows \(range) outside 0..<\(rows)")
        withExtendedLifetime(storage) {
            DequantizeFast.run(type, base + range.lowerBound * rowBytes, count: range.count * columns, into: destination)
        }
    }

    /// Expands row `index` into `destination` [columns] (an embedding lookup).
    @inline(__always)
    public func expandRow(_ index: Int, into destination: UnsafeMutablePointer<Float>) {
        expand(rows: index ..< index + 1, into: destination)
    }

    /// Every element as F32, [rows · columns]: the whole matrix widened (naive twins and tests only).
    public var expanded: [Float] {
        var values = [Float](repeating: 0, count: rows * columns)
        values.withUnsafeMutableBufferPointer { if let out = $0.baseAddress { expand(rows: 0 ..< rows, into: out) } }
        return values
    }

    /// Bytes the matrix occupies in its file.
    public var storedBytes: Int { rows * rowBytes }
}

/// Heap bytes with a stable address (16-byte aligned, as F32 sgemm wants).
final class OwnedBytes {
    let pointer: UnsafeMutableRawPointer

    init(_ bytes: [UInt8]) {
        pointer = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) }
        }
    }

    deinit { pointer.deallocate() }
}
