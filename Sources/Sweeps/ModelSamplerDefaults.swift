import DiffusionEngine
import Samplers

/// Sampler settings a model ships in its `generation_config.json` (DiffusionGemma's entropy-bound sampler: its
/// checkpoint's steps, bound, temperatures and stop), applied under what the user sets. The one place both
/// `dlab sample` and `dlab sweep` take them from, so the two run a sampler on a model with the same settings.
public enum ModelSamplerDefaults {
    /// The model's default step count and parameters for `sampler`; none when the model ships none for it.
    public static func defaults(for folder: ModelFolder, sampler: String) throws -> (steps: Int?, parameters: [String: ParameterValue]) {
        guard folder.modelType == "diffusion_gemma", sampler == EntropyBoundRenoise.name else { return (nil, [:]) }
        let g = try DiffusionGemmaGenerationDefaults(fields: folder.generationConfig)
        return (g.maxDenoisingSteps, [
            "entropy_bound": .double(g.entropyBound), "t_min": .double(g.temperatureMin), "t_max": .double(g.temperatureMax),
            "confidence_threshold": .double(g.confidenceThreshold), "stability_threshold": .int(g.stabilityThreshold),
        ])
    }
}

extension ExperimentSpec.SamplerConfiguration {
    /// This configuration on `folder`'s model: the model's own parameter defaults under the spec's parameters (the
    /// spec wins), the sampler made again from them; itself when the model ships none. Rows then record every
    /// parameter the sampler ran with. (A sweep's step budgets always come from the spec.)
    func applyingDefaults(of folder: ModelFolder, catalog: SamplerCatalog, blockLength: Int?) throws -> Self {
        let modelParameters = try ModelSamplerDefaults.defaults(for: folder, sampler: name).parameters
        guard !modelParameters.isEmpty else { return self }
        var configuration = self
        configuration.parameters = parameters.merging(modelParameters) { given, _ in given }
        configuration.sampler = try catalog.make(name, configuration.parameters, blockLength)
        configuration.parametersJSON = try canonicalJSON(configuration.parameters)
        return configuration
    }
}
