/// A machine as the roofline sees it: peak matrix throughput per compute type, memory bandwidth and size, and a
/// fixed cost per forward pass (kernel launches, synchronisation, sampling) that neither roof captures.
public struct HardwareProfile: Sendable, Equatable {
    public var name: String
    /// Where each number comes from (vendor spec sheets, or the measurement that produced the file).
    public var sources: [String]
    public var notes: String
    /// Peak FLOP/s per compute type (dense, no structured sparsity).
    public var peakFLOPS: [ComputeType: Double]
    /// Memory bandwidth in bytes/s.
    public var bandwidth: Double
    /// Memory that holds weights and KV cache, in bytes.
    public var memoryBytes: Double
    /// Seconds added to every forward pass.
    public var passOverhead: Double

    public init(name: String, sources: [String] = [], notes: String = "", peakFLOPS: [ComputeType: Double],
                bandwidth: Double, memoryBytes: Double, passOverhead: Double = 0) {
        (self.name, self.sources, self.notes, self.peakFLOPS) = (name, sources, notes, peakFLOPS)
        (self.bandwidth, self.memoryBytes, self.passOverhead) = (bandwidth, memoryBytes, passOverhead)
    }

    /// The compute type and peak rate a precision runs at here: the first of its compute types this profile lists.
    public func peak(for precision: Precision) throws -> (type: ComputeType, flops: Double) {
        for type in precision.computeTypes {
            if let flops = peakFLOPS[type] { return (type, flops) }
        }
        throw ProjectionError("hardware '\(name)' lists no peak for \(precision.name) (needs one of "
            + precision.computeTypes.map(\.rawValue).joined(separator: ", ") + ")")
    }
}
