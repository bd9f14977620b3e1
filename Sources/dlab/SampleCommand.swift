import ArgumentParser
import DiffusionCore
import DiffusionEngine
import Foundation
import Samplers
import Tasks

/// `dlab sample`: one generation on a model, from a task example or a free prompt.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate an answer with the LLaDA low-confidence sampler and print it with its score, NFE and time.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "A built-in task (see `dlab tasks list`); its example gives the prompt and the canvas length.")
    var task: String?

    @Option(help: "Index of the task example.")
    var index: Int = 0

    @Option(help: "Seed of the task's example stream.")
    var seed: UInt64 = 0

    @Option(help: "Split the task example comes from (train or eval).")
    var split: String = "eval"

    @Argument(help: "A free prompt, when no --task is given.")
    var prompt: String?

    @Option(help: "Denoising steps (default: one token per step).")
    var steps: Int?

    @Option(name: .customLong("gen-length"), help: "Canvas length (default: the task's answer length).")
    var genLength: Int?

    @Option(name: .customLong("block-length"), help: "Semi-autoregressive block length (default: the whole canvas).")
    var blockLength: Int?

    func run() throws {
        let folder = try modelOptions.load()
        guard let tokenizer = folder.tokenizer else { throw ValidationError("the model has no tokenizer.json") }
        let promptText: String
        var scorer: (any EvaluationTask)?
        var reference: String?
        var length = genLength
        switch (task, prompt) {
        case (let name?, nil):
            let evaluationTask = try TaskRegistry.task(named: name)
            guard let split = Split(rawValue: split) else { throw ValidationError("--split must be train or eval, got '\(split)'") }
            guard index >= 0 else { throw ValidationError("--index must be non-negative") }
            let example = evaluationTask.example(split: split, index: index, seed: seed)
            promptText = example.prompt
            reference = example.answer
            scorer = evaluationTask
            length = length ?? evaluationTask.answerLength
        case (nil, let text?):
            promptText = text
        case (_?, _?):
            throw ValidationError("give either --task or a prompt, not both")
        case (nil, nil):
            throw ValidationError("give --task NAME or a prompt")
        }
        guard let length, length > 0 else { throw ValidationError("--gen-length must be a positive number for a free prompt") }
        let promptTokens = try tokenizer.encode(promptText)
        let sampler = try LowConfidenceSampler(steps: steps ?? length, blockLength: blockLength)
        var generation: Generation?
        let seconds = try Stopwatch.seconds {
            generation = try sampler.generate(prompt: promptTokens, length: length, denoiser: folder.denoiser)
        }
        guard let generation else { return }
        let answer = tokenizer.decode(generation.tokens, skipSpecial: true)
        print("prompt:  \(promptText)")
        print("answer:  \(answer)")
        if let scorer, let reference {
            print("score:   \(scorer.score(prompt: promptText, output: answer))  (reference \(reference))")
        }
        print("NFE:     \(generation.forwardPasses)  (\(String(format: "%.2f", generation.tokensPerForward)) tokens per forward)")
        print("time:    \(String(format: "%.1f ms", seconds * 1e3))")
    }
}
