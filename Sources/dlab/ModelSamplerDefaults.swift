import DiffusionEngine
import Samplers

/// Sampler settings that a model ships in its `generation_config.json`, used when the command line does not set
/// them: DiffusionGemma's entropy-bound sampler runs with its checkpoint's steps, bound, temperatures and stop.
enum ModelSamplerDefaults {
    static func defaults(for folder: ModelFolder, sampler: String) throws -> (steps: Int?, parameters: [String: ParameterValue]) {
        guard folder.modelType == "diffusion_gemma", sampler == EntropyBoundRenoise.name else { return (nil, [:]) }
        let g = try DiffusionGemmaGenerationDefaults(fields: folder.generationConfig)
        return (g.maxDenoisingSteps, [
            "entropy_bound": .double(g.entropyBound), "t_min": .double(g.temperatureMin), "t_max": .double(g.temperatureMax),
            "confidence_threshold": .double(g.confidenceThreshold), "stability_threshold": .int(g.stabilityThreshold),
        ])
    }
}
