import DiffusionCore

/// Where a model's tensors come from: a weight file, or random values for benchmarks and tests.
/// Weight matrices come as `matrix` (kept in the file's precision, expanded panel by panel at matmul time); small
/// tensors (norms, biases, scales, layer scalars) as `tensor`, widened to F32 when the file stores them narrower.
/// Every tensor and matrix keeps the memory it points at alive (its `storage`), so none outlives its bytes.
public protocol WeightSource: AnyObject {
    /// The F32 tensor `name` with exactly `shape`, or an error naming the tensor. Meant for small tensors: a
    /// source that stores `name` narrower widens a copy of it.
    func tensor(_ name: String, shape: [Int]) throws -> FloatTensor

    /// The matrix `name` with exactly `shape` (2-D, or stacked [E, rows, columns] seen as [E·rows, columns]) in its
    /// stored precision, or an error naming the tensor.
    func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix
}

extension WeightSource {
    /// Sources that only make F32 tensors (random weights, test doubles): the tensor as an F32 matrix.
    public func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix {
        StoredMatrix(try tensor(name, shape: shape))
    }

    /// The value of the one-element tensor `name` (a layer scalar), read into a Float at load.
    func scalar(_ name: String) throws -> Float {
        try tensor(name, shape: [1]).scalar
    }
}

extension WeightStore: WeightSource {}

/// Random weights of any requested shape, from a seeded generator: uniform in ±√3·std (variance std²), and
/// exactly 1 for norm weights (tensors whose name ends in "norm.weight"), so random models stay well scaled.
public final class RandomWeights: WeightSource {
    private var generator: SeededGenerator
    public let standardDeviation: Float
    /// Every buffer handed out, kept as long as the source (tensors point into them).
    private var buffers: [OwnedFloats] = []

    public init(seed: UInt64, standardDeviation: Float = 0.02) {
        generator = SeededGenerator(seed: seed)
        self.standardDeviation = standardDeviation
    }

    public func tensor(_ name: String, shape: [Int]) throws -> FloatTensor {
        let count = shape.reduce(1, *)
        let storage = OwnedFloats(count: count)
        if name.hasSuffix("norm.weight") || name.hasSuffix("layernorm.weight") {
            storage.pointer.update(repeating: 1, count: count)
        } else {
            let scale = standardDeviation * Float(3).squareRoot() * 2
            for i in 0 ..< count {
                let unit = Float(generator.next() >> 40) * 0x1p-24  // [0, 1)
                storage.pointer[i] = (unit - 0.5) * scale
            }
        }
        buffers.append(storage)
        return FloatTensor(shape: shape, pointer: UnsafePointer(storage.pointer), storage: self)
    }
}
