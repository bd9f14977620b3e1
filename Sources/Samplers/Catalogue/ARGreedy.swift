// Greedy decoding of an autoregressive model with a KV cache: prefill the prompt once, then one token per
// forward pass (Hugging Face transformers `GenerationMixin._sample` with do_sample=False,
// https://github.com/huggingface/transformers/blob/main/src/transformers/generation/utils.py).
import DiffusionCore

/// Greedy AR decoding: the quality reference of `ar_mtp`, one token per forward pass (NFE = tokens written).
public struct ARGreedy: Sampler {
    public static let name = "ar_greedy"
    public static let about = SamplerAbout(
        summary: "Autoregressive model: prefill once, then one greedy token per forward pass (KV cache); the step budget is not used",
        source: "greedy decoding, transformers GenerationMixin._sample (do_sample=False)", modelKinds: [.autoregressive], stepBudget: .unused)
    public let config: NoParameters

    public init(_ config: NoParameters) throws {
        try config.validate()
        self.config = config
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        let model = try ARDecoding.model(denoiser, sampler: Self.name)
        let special = model.specialTokens
        var canvas = ARDecoding.Canvas(length: length, specialTokens: special)
        guard length > 0 else { return canvas.generation(forwardPasses: 0) }
        var logits = try model.prefill(prompt)
        var next = ARDecoding.greedy(logits, row: logits.rows - 1, specialTokens: special)
        while true {
            try canvas.commit([next.token], scores: [next.probability], trace: trace)
            if canvas.finished { break }
            logits = try model.decode([next.token])
            next = ARDecoding.greedy(logits, row: 0, specialTokens: special)
        }
        return canvas.generation(forwardPasses: 0)  // `run` writes the measured NFE
    }
}
