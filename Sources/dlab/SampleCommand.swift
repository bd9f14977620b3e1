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

    @Option(help: "Run this many task examples from --index on, and print accuracy, mean NFE and time.")
    var count: Int = 1

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
        guard count > 0 else { throw ValidationError("--count must be positive") }
        switch (task, prompt) {
        case (let name?, nil):
            let evaluationTask = try TaskRegistry.task(named: name)
            guard let split = Split(rawValue: split) else { throw ValidationError("--split must be train or eval, got '\(split)'") }
            guard index >= 0 else { throw ValidationError("--index must be non-negative") }
            let length = genLength ?? evaluationTask.answerLength
            var (correct, passes, seconds) = (0.0, 0, 0.0)
            for i in index ..< index + count {
                let example = evaluationTask.example(split: split, index: i, seed: seed)
                let result = try generate(example.prompt, length: length, folder: folder, tokenizer: tokenizer)
                let score = evaluationTask.score(prompt: example.prompt, output: result.answer)
                (correct, passes, seconds) = (correct + score, passes + result.generation.forwardPasses, seconds + result.seconds)
                if count == 1 {
                    report(example.prompt, result)
                    print("score:   \(score)  (reference answer \(example.answer))")
                }
            }
            if count > 1 {
                print("\(evaluationTask.name) v\(evaluationTask.version), \(split.rawValue) examples \(index)..<\(index + count), seed \(seed), steps \(steps ?? length):")
                print(String(format: "accuracy %.1f%%  mean NFE %.2f  tokens per forward %.2f  %.2f ms per example",
                             100 * correct / Double(count), Double(passes) / Double(count),
                             Double(length * count) / Double(passes), 1e3 * seconds / Double(count)))
            }
        case (nil, let text?):
            guard let length = genLength, length > 0 else { throw ValidationError("--gen-length must be a positive number for a free prompt") }
            report(text, try generate(text, length: length, folder: folder, tokenizer: tokenizer))
        case (_?, _?):
            throw ValidationError("give either --task or a prompt, not both")
        case (nil, nil):
            throw ValidationError("give --task NAME or a prompt")
        }
    }

    private func generate(_ text: String, length: Int, folder: ModelFolder, tokenizer: HFTokenizer) throws
        -> (answer: String, generation: Generation, seconds: Double)
    {
        let promptTokens = try tokenizer.encode(text)
        let sampler = try LowConfidenceSampler(steps: steps ?? length, blockLength: blockLength)
        let (generation, seconds) = try Stopwatch.measure {
            try sampler.generate(prompt: promptTokens, length: length, denoiser: folder.denoiser)
        }
        return (tokenizer.decode(generation.tokens, skipSpecial: true), generation, seconds)
    }

    private func report(_ prompt: String, _ result: (answer: String, generation: Generation, seconds: Double)) {
        print("prompt:  \(prompt)")
        print("answer:  \(result.answer)")
        print("NFE:     \(result.generation.forwardPasses)  (\(String(format: "%.2f", result.generation.tokensPerForward)) tokens per forward)")
        print("time:    \(String(format: "%.1f ms", result.seconds * 1e3))")
    }
}
