/// One forward pass as a workload: `sequences` sequences each put `tokens` new positions through the model, each
/// after `context` positions already in its KV cache.
public struct PassWorkload: Sendable, Equatable {
    public var sequences: Int
    public var tokens: Int
    public var context: Int
    /// A denoising pass with self-conditioning adds a vocabulary-by-hidden product per position.
    public var selfConditioning: Bool
    /// Whether the pass returns logits for its positions to be sampled (a block-diffusion commit pass only fills the
    /// KV cache: false).
    public var sampled: Bool

    public init(sequences: Int, tokens: Int, context: Int, selfConditioning: Bool = false, sampled: Bool = true) {
        (self.sequences, self.tokens, self.context, self.selfConditioning) = (sequences, tokens, context, selfConditioning)
        self.sampled = sampled
    }
}

/// What one pass costs and which roof limits it.
public struct PassCost: Sendable, Equatable {
    public enum Bound: String, Sendable { case compute, memory }

    public var flops: Double
    public var weightBytes: Double
    public var cacheBytes: Double
    public var computeSeconds: Double
    public var memorySeconds: Double
    public var overheadSeconds: Double
    /// Copying the logits to a host sampler and sampling them there (0 when sampling stays on the device).
    public var samplingSeconds: Double = 0

    public var bytes: Double { weightBytes + cacheBytes }
    /// max(FLOPs / peak, bytes / bandwidth) + overhead + host sampling.
    public var seconds: Double { max(computeSeconds, memorySeconds) + overheadSeconds + samplingSeconds }
    public var bound: Bound { computeSeconds > memorySeconds ? .compute : .memory }
}

/// The roofline model of a forward pass: the pass takes as long as the slower of its arithmetic at the hardware's
/// peak and its memory traffic at the hardware's bandwidth, plus a fixed per-pass overhead.
public struct Roofline: Sendable {
    public let model: ModelShape
    public let hardware: HardwareProfile
    public let precision: Precision
    public let peak: Double

    public init(model: ModelShape, hardware: HardwareProfile, precision: Precision) throws {
        (self.model, self.hardware, self.precision) = (model, hardware, precision)
        peak = try hardware.peak(for: precision).flops
    }

    /// FLOPs: 2 × active parameters × positions, plus attention (QKᵀ and PV, 2 × 2 × heads × head_dim per query and
    /// attended key; every query is counted as seeing the whole context and all new positions, capped by the window),
    /// plus the self-conditioning product. Bytes: the weights the pass touches at the precision's width, plus every
    /// sequence's cached keys and values. Host sampling: see `HardwareProfile.hostSamplingSeconds`.
    public func cost(_ work: PassWorkload) -> PassCost {
        let positions = Double(work.sequences * work.tokens)
        var flops = 2 * model.activeParametersPerToken * positions
        for group in model.layers {
            let attended = Double(group.attention.attended(work.context + work.tokens))
            flops += Double(group.count) * 4 * positions * attended * Double(group.attention.heads * group.attention.headDim)
        }
        if work.selfConditioning { flops += 2 * model.vocabularyMatrix * positions }
        let weightBytes = model.parametersTouched(tokens: work.sequences * work.tokens) * precision.bytesPerWeight
        let cacheBytes = Double(work.sequences) * model.cacheElements(tokens: work.context) * precision.cacheBytesPerElement
        let sampling = work.sampled
            ? hardware.hostSamplingSeconds(positions: work.sequences * work.tokens, vocabulary: model.vocabularySize) : 0
        return PassCost(flops: flops, weightBytes: weightBytes, cacheBytes: cacheBytes, computeSeconds: flops / peak,
                        memorySeconds: (weightBytes + cacheBytes) / hardware.bandwidth, overheadSeconds: hardware.passOverhead,
                        samplingSeconds: sampling)
    }

    /// A pass of a dense drafter with `parameters` weights in `layers` layers over `positions` positions (an MTP
    /// module or a small draft model; its attention and cache are small beside its weights and are left out). The
    /// per-pass overhead is counted per layer run (kernel launches scale with layers): layers / model layers of it.
    /// Each drafted position is sampled like any other (on the host where the runtime samples there).
    public func draftCost(parameters: Double, layers: Int, positions: Int) -> PassCost {
        let flops = 2 * parameters * Double(positions)
        let bytes = parameters * precision.bytesPerWeight
        return PassCost(flops: flops, weightBytes: bytes, cacheBytes: 0, computeSeconds: flops / peak,
                        memorySeconds: bytes / hardware.bandwidth,
                        overheadSeconds: hardware.passOverhead * Double(layers) / Double(max(model.layerCount, 1)),
                        samplingSeconds: hardware.hostSamplingSeconds(positions: positions, vocabulary: model.vocabularySize))
    }

    /// Bytes resident for `users` sequences of `tokens` positions: all weights plus their KV caches.
    public func residentBytes(users: Int, tokens: Int) -> (weights: Double, cache: Double) {
        (model.totalParameters * precision.bytesPerWeight,
         Double(users) * model.cacheElements(tokens: tokens) * precision.cacheBytesPerElement)
    }
}
