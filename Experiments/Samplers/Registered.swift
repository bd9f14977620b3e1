import Samplers

/// The researchers' samplers, added to the built-in catalogue by `dlab`: one line per sampler.
public enum ExperimentSamplers {
    public static let entries: [SamplerEntry] = [
        SamplerEntry(DecayingThreshold.self),
    ]
}
