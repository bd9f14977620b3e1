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
    /// Where the runtime samples on the host CPU (llama.cpp's CLIs), the host's seconds per vocabulary entry of each
    /// position whose logits a pass returns (`HostSamplingProbe`); 0 where sampling stays on the device (vLLM), whose
    /// logits read is left out (256 × 262,144 fp32 logits are 0.27 GB: 0.06 ms at an H200's bandwidth).
    public var hostSamplingPerLogit: Double
    /// Bytes/s of the link the logits cross to reach a host sampler (a GPU's PCIe); 0: the host reads them in place.
    public var hostLinkBandwidth: Double

    public init(name: String, sources: [String] = [], notes: String = "", peakFLOPS: [ComputeType: Double],
                bandwidth: Double, memoryBytes: Double, passOverhead: Double = 0, hostSamplingPerLogit: Double = 0,
                hostLinkBandwidth: Double = 0) {
        (self.name, self.sources, self.notes, self.peakFLOPS) = (name, sources, notes, peakFLOPS)
        (self.bandwidth, self.memoryBytes, self.passOverhead) = (bandwidth, memoryBytes, passOverhead)
        (self.hostSamplingPerLogit, self.hostLinkBandwidth) = (hostSamplingPerLogit, hostLinkBandwidth)
    }

    /// Seconds a host sampler spends on `positions` logits rows of `vocabulary` entries (fp32): the copy over the
    /// link, then the sampler's pass over every entry. 0 when sampling stays on the device.
    public func hostSamplingSeconds(positions: Int, vocabulary: Int) -> Double {
        guard hostSamplingPerLogit > 0 else { return 0 }
        let logits = Double(positions) * Double(vocabulary)
        return logits * hostSamplingPerLogit + (hostLinkBandwidth > 0 ? 4 * logits / hostLinkBandwidth : 0)
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
