/// A read-only F32 tensor, row-major: small weights (norms, biases, scales) and random test weights. It points
/// either straight into a memory-mapped weight file (aligned F32: zero copy) or into a buffer of its own (a small
/// F16/BF16/quantized tensor widened, unaligned F32 realigned, random weights). Weight matrices are `StoredMatrix`.
///
/// Ownership, by construction: `storage` is the object that owns the memory behind `pointer`: the source for a
/// tensor in place in a memory map (a `WeightStore` keeps its maps until it is freed), the tensor's own buffer for
/// a copy. So no pointer into a copy can outlive the copy: not a view (`slice`, `view(offset:shape:)` share
/// `storage`), not a temporary. Element reads go through `subscript`, `scalar` or `withUnsafePointer`, which keep
/// `storage` alive across the read; the raw `pointer` is for kernels called with a tensor that is a stored property
/// of a live model.
public struct FloatTensor: @unchecked Sendable {
    public let shape: [Int]
    /// The first element. Valid while `storage` lives: pass it to a kernel only from a tensor that something
    /// keeps (a model's property); for a temporary use `withUnsafePointer`, `subscript` or `scalar`.
    public let pointer: UnsafePointer<Float>
    /// Owns the memory behind `pointer` (the weight source, or an `OwnedFloats`).
    let storage: AnyObject

    public let count: Int

    /// Internal: only a weight source or a view of an existing tensor may pair a pointer with its owner.
    init(shape: [Int], pointer: UnsafePointer<Float>, storage: AnyObject) {
        self.shape = shape
        self.pointer = pointer
        self.storage = storage
        count = shape.reduce(1, *)
    }

    /// A tensor that owns a copy of `values` (tests, benchmarks).
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "FloatTensor: \(values.count) values for shape \(shape)")
        let owned = OwnedFloats(values)
        self.init(shape: shape, pointer: UnsafePointer(owned.pointer), storage: owned)
    }

    /// Element `index` of the flat tensor; the storage stays alive across the read.
    @inline(__always)
    public subscript(index: Int) -> Float {
        precondition(index >= 0 && index < count, "FloatTensor: index \(index) outside 0..<\(count)")
        return withExtendedLifetime(storage) { pointer[index] }
    }

    /// The value of a one-element tensor (e.g. a layer scalar), read while its storage is alive.
    public var scalar: Float {
        precondition(count == 1, "FloatTensor.scalar on a tensor of shape \(shape)")
        return self[0]
    }

    /// A copy of every element.
    public var values: [Float] {
        withUnsafePointer { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// Calls `body` with the first element's address; the storage lives at least until `body` returns.
    public func withUnsafePointer<Result>(_ body: (UnsafePointer<Float>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(storage) { try body(pointer) }
    }

    /// Row `index` of a 2-D or higher tensor, as a pointer to its first element (valid as `pointer` is).
    public func row(_ index: Int) -> UnsafePointer<Float> {
        pointer + index * (count / shape[0])
    }

    /// Slice `index` along the first axis, as a tensor of one less dimension (e.g. one expert of a fused tensor),
    /// sharing this tensor's storage.
    public func slice(_ index: Int) -> FloatTensor {
        precondition(index >= 0 && index < shape[0], "FloatTensor: slice \(index) outside 0..<\(shape[0])")
        return view(offset: index * (count / shape[0]), shape: Array(shape.dropFirst()))
    }

    /// The elements offset ..< offset + product(shape), as a tensor sharing this tensor's storage.
    public func view(offset: Int, shape viewShape: [Int]) -> FloatTensor {
        let size = viewShape.reduce(1, *)
        precondition(offset >= 0 && offset + size <= count, "FloatTensor: view \(offset)+\(size) outside \(count) elements")
        return FloatTensor(shape: viewShape, pointer: pointer + offset, storage: storage)
    }
}

/// Heap storage for floats with a stable address.
final class OwnedFloats {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }
}
