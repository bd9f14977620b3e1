/// The sampler defaults of a DiffusionGemma `generation_config.json` (`DiffusionGemmaGenerationConfig`), with
/// transformers' global defaults for absent fields and its validation.
public struct DiffusionGemmaGenerationDefaults: Sendable, Equatable {
    public var maxDenoisingSteps = 48
    public var entropyBound = 0.1
    public var temperatureMin = 0.4
    public var temperatureMax = 0.8
    public var stabilityThreshold = 1
    public var confidenceThreshold = 0.005
    public var maxNewTokens = 256
    public var endOfSequenceIDs: [Int] = []
    public var padTokenID: Int?

    public init() {}

    /// Keys of `DiffusionGemmaGenerationConfig` beyond transformers' common generation keys; `ModelFolder`
    /// checks them on load (so a misspelled `t_mni` is an error there, and unknown keys warn once).
    static let knownKeys: Set<String> = GenerationConfigCheck.commonKeys.union([
        "max_denoising_steps", "sampler_config", "t_min", "t_max", "stability_threshold", "confidence_threshold",
    ])

    /// Reads `generation_config.json` fields (nil: no file, all defaults); a value of the wrong type or sign is an
    /// error naming the file and the key.
    public init(fields g: JSONFields?) throws {
        guard let g else { return }
        func fail(_ message: String) -> ModelFileError { ModelFileError(file: g.file, message) }
        maxDenoisingSteps = try g.optionalInt("max_denoising_steps") ?? maxDenoisingSteps
        guard maxDenoisingSteps > 0 else { throw fail("field 'max_denoising_steps' must be positive, found \(maxDenoisingSteps)") }
        if let sampler = try g.optionalObject("sampler_config") {
            let type = try sampler.optionalString("_cls_name") ?? "EntropyBoundSamplerConfig"
            guard type == "EntropyBoundSamplerConfig" else {
                throw fail("field 'sampler_config._cls_name' is '\(type)'; expected 'EntropyBoundSamplerConfig'")
            }
            entropyBound = try sampler.double("entropy_bound")
            guard entropyBound.isFinite, entropyBound > 0 else { throw fail("field 'sampler_config.entropy_bound' must be positive, found \(entropyBound)") }
        }
        temperatureMin = try g.optionalDouble("t_min") ?? temperatureMin
        temperatureMax = try g.optionalDouble("t_max") ?? temperatureMax
        guard temperatureMin >= 0, temperatureMax.isFinite, temperatureMax > temperatureMin else {
            throw fail("fields 't_min' (\(temperatureMin)) and 't_max' (\(temperatureMax)) need 0 <= t_min < t_max")
        }
        stabilityThreshold = try g.optionalInt("stability_threshold") ?? stabilityThreshold
        guard stabilityThreshold >= 0 else { throw fail("field 'stability_threshold' must be >= 0, found \(stabilityThreshold)") }
        confidenceThreshold = try g.optionalDouble("confidence_threshold") ?? confidenceThreshold
        guard confidenceThreshold.isFinite, confidenceThreshold > 0 else { throw fail("field 'confidence_threshold' must be positive, found \(confidenceThreshold)") }
        maxNewTokens = try g.optionalInt("max_new_tokens") ?? maxNewTokens
        guard maxNewTokens > 0 else { throw fail("field 'max_new_tokens' must be positive, found \(maxNewTokens)") }
        endOfSequenceIDs = try g.tokenIDs("eos_token_id", vocabularySize: nil) ?? []
        padTokenID = try g.tokenIDs("pad_token_id", vocabularySize: nil)?.first
    }
}
