// LLaDA 2.0 threshold decoding and LLaDA 2.1 joint-threshold decoding with token-to-token editing, on
// `BlockRefinementLoop` (which names the ports and the deliberate differences):
// - https://github.com/sgl-project/sglang/blob/main/python/sglang/srt/dllm/algorithm/low_confidence.py (`LowConfidence`)
// - https://github.com/sgl-project/sglang/blob/main/python/sglang/srt/dllm/algorithm/joint_threshold.py (`JointThreshold`)
// - https://github.com/huggingface/diffusers/blob/main/src/diffusers/pipelines/llada2/pipeline_llada2.py (defaults of
//   `LLaDA2Pipeline.__call__`: threshold 0.7, editing_threshold 0.5, max_post_steps 16, block_length 32).
// LLaDA 2.0: arXiv 2512.15745 (block diffusion, 100B); LLaDA 2.1: arXiv 2602.08676 (editing).
// Not ported: SGLang's optional repetition penalty (`penalty_lambda`, off by default) and the reference's even
// transfer schedule over `steps` (with its default steps = block length it is the same floor of one token per step).
import DiffusionCore

/// LLaDA 2.0's parameters (SGLang `LowConfidence` defaults).
public struct LLaDA2ThresholdParameters: SamplerConfig, Equatable {
    public static let defaultThreshold = 0.95
    public static let defaultBlockLength = 32
    public static let defaultTemperature = 0.0

    public var threshold: Double?
    public var blockLength: Int?
    public var temperature: Double?
    public var stopAtEOS: Bool?
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case threshold, blockLength = "block_length", temperature, stopAtEOS = "stop_at_eos", cache
    }

    public init() {}

    public static let parameters = [
        SamplerParameter("threshold", "\(defaultThreshold)", "commit every masked proposal with probability > threshold (at least the best one)"),
        SamplerParameter("block_length", "\(defaultBlockLength)", "block length; blocks are aligned to absolute positions, prompt included"),
        SamplerParameter("temperature", "\(defaultTemperature)", "sampling temperature of the proposals (0 = argmax)"),
        SamplerParameter("stop_at_eos", "false", "stop once an EOS is committed after a complete prefix; fill the rest with EOS"),
        LoopOptions.cacheParameter,
    ]

    public func validate() throws {
        try validateBlockDecoding(threshold: threshold, blockLength: blockLength, temperature: temperature, cache: cache)
    }
}

/// LLaDA 2.1's parameters (diffusers `LLaDA2Pipeline` defaults).
public struct LLaDA21Parameters: SamplerConfig, Equatable {
    public static let defaultThreshold = 0.7
    public static let defaultEditThreshold = 0.5
    public static let defaultMaxPostSteps = 16
    public static let defaultBlockLength = 32
    public static let defaultTemperature = 0.0

    public var threshold: Double?
    public var editThreshold: Double?
    public var maxPostSteps: Int?
    public var blockLength: Int?
    public var temperature: Double?
    public var stopAtEOS: Bool?
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case threshold, editThreshold = "edit_threshold", maxPostSteps = "max_post_steps"
        case blockLength = "block_length", temperature, stopAtEOS = "stop_at_eos", cache
    }

    public init() {}

    public static let parameters = [
        SamplerParameter("threshold", "\(defaultThreshold)", "mask to token: commit masked proposals with probability > threshold (at least the best one)"),
        SamplerParameter("edit_threshold", "\(defaultEditThreshold)", "token to token: overwrite a filled position of the block whose proposal differs with probability > this"),
        SamplerParameter("max_post_steps", "\(defaultMaxPostSteps)", "editing passes allowed after a block has no masks (stops earlier at a pass with no edit)"),
        SamplerParameter("block_length", "\(defaultBlockLength)", "block length; blocks are aligned to absolute positions, prompt included"),
        SamplerParameter("temperature", "\(defaultTemperature)", "sampling temperature of the proposals (0 = argmax)"),
        SamplerParameter("stop_at_eos", "false", "stop once an EOS is committed after a complete prefix; fill the rest with EOS"),
        LoopOptions.cacheParameter,
    ]

    public func validate() throws {
        try validateBlockDecoding(threshold: threshold, blockLength: blockLength, temperature: temperature, cache: cache)
        if let editThreshold { try requireParameter(editThreshold >= 0 && editThreshold <= 1, "edit_threshold", editThreshold, "must be in [0, 1]") }
        if let maxPostSteps { try requireParameter(maxPostSteps >= 0, "max_post_steps", maxPostSteps, "must be ≥ 0") }
    }
}

func validateBlockDecoding(threshold: Double?, blockLength: Int?, temperature: Double?, cache: String?) throws {
    try LoopOptions.validateCache(cache)
    if let threshold { try requireParameter(threshold >= 0 && threshold <= 1, "threshold", threshold, "must be in [0, 1]") }
    if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
    if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
}

/// LLaDA 2.0: per block, every masked proposal above τ, at least one per pass. The step budget is not used.
public struct LLaDA2Threshold: Sampler {
    public static let name = "llada2_threshold"
    public static let about = SamplerAbout(
        summary: "LLaDA 2.0: per absolute-aligned block, commit masked proposals with p > threshold (at least one)",
        source: "inclusionAI LLaDA 2.0, arXiv 2512.15745; sgl-project/sglang dllm/algorithm/low_confidence.py: LowConfidence", stepBudget: .unused)
    public let config: LLaDA2ThresholdParameters
    public init(_ config: LLaDA2ThresholdParameters) throws { try config.validate(); self.config = config }

    var loop: BlockRefinementLoop {
        typealias D = LLaDA2ThresholdParameters
        return BlockRefinementLoop(blockLength: config.blockLength ?? D.defaultBlockLength,
                                   threshold: config.threshold ?? D.defaultThreshold, editing: nil,
                                   temperature: config.temperature ?? D.defaultTemperature,
                                   stopAtEOS: config.stopAtEOS ?? false, sampler: Self.name,
                                   cache: config.cache.flatMap(CacheMode.init(rawValue:)) ?? .none)
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        try loop.run(prompt: prompt, length: length, denoiser: denoiser, rng: &rng, trace: trace)
    }
}

/// LLaDA 2.1: mask-to-token above τ_mask plus token-to-token edits above τ_edit, then up to `max_post_steps` editing
/// passes per block. The step budget is not used.
public struct LLaDA21Editing: Sampler {
    public static let name = "llada21_editing"
    public static let about = SamplerAbout(
        summary: "LLaDA 2.1: commit masks above threshold, overwrite filled tokens above edit_threshold, edit on after the block is full",
        source: "inclusionAI LLaDA 2.1, arXiv 2602.08676; sgl-project/sglang dllm/algorithm/joint_threshold.py: JointThreshold; diffusers LLaDA2Pipeline defaults",
        revisesTokens: true, stepBudget: .unused)
    public let config: LLaDA21Parameters
    public init(_ config: LLaDA21Parameters) throws { try config.validate(); self.config = config }

    var loop: BlockRefinementLoop {
        typealias D = LLaDA21Parameters
        let editing = BlockRefinementLoop.Editing(threshold: config.editThreshold ?? D.defaultEditThreshold,
                                                  maxPostSteps: config.maxPostSteps ?? D.defaultMaxPostSteps)
        return BlockRefinementLoop(blockLength: config.blockLength ?? D.defaultBlockLength,
                                   threshold: config.threshold ?? D.defaultThreshold, editing: editing,
                                   temperature: config.temperature ?? D.defaultTemperature,
                                   stopAtEOS: config.stopAtEOS ?? false, sampler: Self.name,
                                   cache: config.cache.flatMap(CacheMode.init(rawValue:)) ?? .none)
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        try loop.run(prompt: prompt, length: length, denoiser: denoiser, rng: &rng, trace: trace)
    }

    public func runBudget(steps: Int, length: Int) -> (forwardPasses: Int, steps: Int) {
        let passes = max(2 * max(steps, length), loop.budget(length: length))
        return (passes, passes)
    }
}
