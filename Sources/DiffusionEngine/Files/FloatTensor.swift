/// A read-only F32 tensor, row-major. It points either straight into a memory-mapped weight file (F32 weights:
/// zero copy) or into its own storage (F16/BF16 weights widened on load, random benchmark weights).
public struct FloatTensor: @unchecked Sendable {
    public let shape: [Int]
    public let pointer: UnsafePointer<Float>
    /// Keeps the memory behind `pointer` alive (the map, or an owned buffer).
    let owner: AnyObject

    public var count: Int { shape.reduce(1, *) }

    public init(shape: [Int], pointer: UnsafePointer<Float>, owner: AnyObject) {
        self.shape = shape
        self.pointer = pointer
        self.owner = owner
    }

    /// A tensor that owns a copy of `values`.
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "FloatTensor: \(values.count) values for shape \(shape)")
        let storage = OwnedFloats(values)
        self.init(shape: shape, pointer: UnsafePointer(storage.pointer), owner: storage)
    }

    public var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: pointer, count: count) }

    /// Row `index` of a 2-D or higher tensor, as a pointer to its first element.
    public func row(_ index: Int) -> UnsafePointer<Float> {
        pointer + index * (count / shape[0])
    }

    /// Slice `index` along the first axis, as a tensor of one less dimension (e.g. one expert of a fused tensor).
    public func slice(_ index: Int) -> FloatTensor {
        FloatTensor(shape: Array(shape.dropFirst()), pointer: row(index), owner: owner)
    }
}

/// Heap storage for floats with a stable address.
final class OwnedFloats {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }
}
