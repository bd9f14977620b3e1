import DiffusionCore

/// Where a model's tensors come from: a weight file, or random values for benchmarks and tests.
/// A source owns the memory of every tensor it returns (the tensor's `storage` is the source), so a model that
/// keeps its source keeps all its weights, and a tensor read during loading stays valid while the source lives.
public protocol WeightSource: AnyObject {
    /// The F32 tensor `name` with exactly `shape`, or an error naming the tensor.
    func tensor(_ name: String, shape: [Int]) throws -> FloatTensor
}

extension WeightSource {
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
