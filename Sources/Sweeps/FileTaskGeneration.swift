import DiffusionCore
import DiffusionEngine
import Samplers
import Tasks

extension SweepRunner {
    /// The generation of one example. A built-in task: one canvas of the run's generation length. A file-backed
    /// task: canvas after canvas of that length (each finished one joins the prefix, as block-diffusion models
    /// decode) up to the task's generation length, ending early after a canvas that holds an end-of-sequence token
    /// or one of the task's stop strings. The spec's `generation_length` is then the canvas, the task's the total.
    func generateAnswer(_ run: Run, prompt: [TokenID], denoiser: any Denoiser, tokenizer: HFTokenizer,
                        rng: inout SeededGenerator, trace: FullTraceRecorder? = nil) throws -> Generation {
        let task = run.task.task
        guard task is FileBackedTask else {
            return try run.sampler.sampler.generate(prompt, run.generationLength, run.steps, denoiser, &rng, trace)
        }
        let stops = task.stopStrings.filter { !$0.isEmpty }
        let multiCanvas = try MultiCanvas(canvasLength: run.generationLength,
                                          maxNewTokens: max(task.answerLength, run.generationLength))
        let stopped: ([TokenID]) -> Bool = { tokens in
            guard !stops.isEmpty else { return false }
            let text = tokenizer.decode(tokens, skipSpecial: true)
            return stops.contains { text.contains($0) }
        }
        return try multiCanvas.generate(prompt: prompt, endOfSequence: denoiser.specialTokens.endOfSequence, stop: stopped) { prefix, length in
            trace?.earlier = Array(prefix.dropFirst(prompt.count))  // a traced canvas follows the finished ones
            return try run.sampler.sampler.generate(prefix, length, run.steps, denoiser, &rng, trace)
        }
    }
}
