import ArgumentParser
import DiffusionCore
import DiffusionEngine
import Foundation
import Samplers
import Tasks

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dlab sample`: one generation (or `--count` of them) on a model, from a task example or a free prompt, with any
/// registered sampler.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate an answer with a sampler and print it with its score, NFE and time.",
        discussion: "Samplers and their parameters: `dlab samplers list`, `dlab samplers show NAME`.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The sampler (see `dlab samplers list`).")
    var sampler: String = LLaDALowConfidence.name

    @Option(name: .customLong("param"), help: ArgumentHelp("A sampler parameter, repeatable: --param threshold=0.9 (none = default).", valueName: "key=value"))
    var parameters: [String] = []

    @Option(help: "A task (see `dlab tasks list`; file-backed ones by name or definition path); its example gives the prompt and the canvas length.")
    var task: String?

    @Option(help: "Index of the task example.")
    var index: Int = 0

    @Option(help: "Run this many task examples from --index on, and print accuracy, mean NFE and time.")
    var count: Int = 1

    @Option(help: "Seed of the task's example stream.")
    var seed: UInt64 = 0

    @Option(name: .customLong("sampler-seed"), help: "Seed of the sampler's randomness (example i uses stream i).")
    var samplerSeed: UInt64 = 0

    @Option(help: "Split the task example comes from (train or eval).")
    var split: String = "eval"

    @Argument(help: "A free prompt, when no --task is given.")
    var prompt: String?

    @Option(help: "Step budget (default: the canvas length, one token per step).")
    var steps: Int?

    @Option(name: .customLong("max-new-tokens"),
            help: "Generate up to this many tokens, canvas after canvas (each finished canvas joins the prefix; stops after a canvas with EOS). Default: one canvas.")
    var maxNewTokens: Int?

    @Option(name: .customLong("gen-length"), help: "Canvas length (default: the task's answer length).")
    var genLength: Int?

    @Flag(name: .customLong("allow-code-execution"), help: "Run the generated code of a code task (sandboxed, see README).")
    var allowCodeExecution = false

    @Flag(help: "Redraw the canvas live in the terminal at every step.")
    var visual = false

    @Option(name: .customLong("visual-delay"), help: "Milliseconds to pause after each redrawn step with --visual.")
    var visualDelay: Int = 80

    func run() throws {
        let folder = try modelOptions.load()
        let defaults = try ModelSamplerDefaults.defaults(for: folder, sampler: self.sampler)
        let sampler = try makeSampler(modelDefaults: defaults.parameters)
        let steps = self.steps ?? defaults.steps
        guard let tokenizer = folder.tokenizer else { throw ValidationError("the model has no tokenizer.json") }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        switch (task, prompt) {
        case (let name?, nil):
            let evaluationTask = try TaskRegistry.task(named: name, library: .standard, allowCodeExecution: allowCodeExecution)
            guard let split = Split(rawValue: split) else { throw ValidationError("--split must be train or eval, got '\(split)'") }
            guard index >= 0 else { throw ValidationError("--index must be non-negative") }
            if let file = evaluationTask as? FileBackedTask, file.definition.executesCode, !file.allowCodeExecution {
                throw ValidationError("\(CodeExecutionError.notAllowed)")  // before generating, not after
            }
            if let available = evaluationTask.exampleCount(split: split), index + count > available {
                throw ValidationError("task '\(evaluationTask.name)' has \(available) \(split.rawValue) examples; --index \(index) --count \(count) asks for more")
            }
            let length = genLength ?? evaluationTask.answerLength
            // A file-backed task's generation length is the total: block models fill it canvas after canvas.
            let total = maxNewTokens ?? (evaluationTask is FileBackedTask ? evaluationTask.answerLength : length)
            var (correct, passes, seconds) = (0.0, 0, 0.0)
            for i in index ..< index + count {
                let example = try evaluationTask.checkedExample(split: split, index: i, seed: seed)
                let result = try generate(sampler, example.prompt, length: length, steps: steps ?? length, stream: i,
                                          folder: folder, tokenizer: tokenizer, total: total, stops: evaluationTask.stopStrings)
                let scores = try evaluationTask.scores(of: example, output: result.answer)
                (correct, passes, seconds) = (correct + scores.primary, passes + result.generation.forwardPasses, seconds + result.seconds)
                if count == 1 {
                    report(example.prompt, result)
                    if scores.entries.count == 1 && scores.entries[0].extracted == nil {
                        print("score:   \(scores.primary)  (reference answer \(example.answer))")
                    } else {
                        for entry in scores.entries {
                            print("score:   \(entry.value) \(entry.name)  (extracted \(entry.extracted.map { "'\($0)'" } ?? "nothing"))")
                        }
                        print("reference: \(example.answer)")
                    }
                }
            }
            if count > 1 {
                print("\(evaluationTask.name) v\(evaluationTask.version), \(split.rawValue) examples \(index)..<\(index + count), seed \(seed), \(sampler.name) \(parameters.joined(separator: " ")), steps \(steps ?? length):")
                print(String(format: "accuracy %.1f%%  mean NFE %.2f  tokens per forward %.2f  %.2f ms per example",
                             100 * correct / Double(count), Double(passes) / Double(count),
                             Double(length * count) / Double(passes), 1e3 * seconds / Double(count)))
            }
        case (nil, let text?):
            guard let length = genLength, length > 0 else { throw ValidationError("--gen-length must be a positive number for a free prompt") }
            report(text, try generate(sampler, text, length: length, steps: steps ?? length, stream: 0, folder: folder,
                                      tokenizer: tokenizer))
        case (_?, _?):
            throw ValidationError("give either --task or a prompt, not both")
        case (nil, nil):
            throw ValidationError("give --task NAME or a prompt")
        }
    }

    /// The sampler named by --sampler with the --param values over the model's own defaults; unknown names, keys
    /// and values are clear errors.
    func makeSampler(modelDefaults: [String: ParameterValue] = [:]) throws -> AnySampler {
        var values: [String: ParameterValue] = [:]
        var given = Set<String>()
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--param expects key=value, got '\(parameter)'") }
            guard given.insert(parts[0]).inserted else { throw ValidationError("--param \(parts[0]) is given twice") }
            if parts[1] != "none" { values[parts[0]] = ParameterValue(parsing: parts[1]) }
        }
        for (key, value) in modelDefaults where !given.contains(key) { values[key] = value }
        return try DLabSamplers.registry().sampler(named: sampler, parameters: values)
    }

    private func generate(_ sampler: AnySampler, _ text: String, length: Int, steps: Int, stream: Int, folder: ModelFolder,
                          tokenizer: HFTokenizer, total: Int? = nil, stops: [String] = [])
        throws -> (answer: String, generation: Generation, seconds: Double)
    {
        let promptTokens = try tokenizer.encode(text)
        var rng = SeededGenerator(seed: samplerSeed, stream: UInt64(stream))
        let sink = visual ? VisualTrace(tokenizer: tokenizer, mask: folder.denoiser.specialTokens.mask, delay: visualDelay) : nil
        let multiCanvas = try MultiCanvas(canvasLength: length, maxNewTokens: max(total ?? maxNewTokens ?? length, length))
        // A task's stop string in the text so far ends generation after that canvas (the scorer cuts the text there).
        let stopped: ([TokenID]) -> Bool = { tokens in
            stops.isEmpty ? false : { text in stops.contains { !$0.isEmpty && text.contains($0) } }(tokenizer.decode(tokens, skipSpecial: true))
        }
        let (generation, seconds) = try Stopwatch.measure {
            try multiCanvas.generate(prompt: promptTokens, endOfSequence: folder.denoiser.specialTokens.endOfSequence, stop: stopped) { prefix, canvas in
                try sampler.run(prompt: prefix, length: canvas, steps: steps, denoiser: folder.denoiser, rng: &rng, trace: sink)
            }
        }
        return (tokenizer.decode(generation.tokens, skipSpecial: true), generation, seconds)
    }

    private func report(_ prompt: String, _ result: (answer: String, generation: Generation, seconds: Double)) {
        print("prompt:  \(prompt)")
        print("answer:  \(result.answer)")
        print("NFE:     \(result.generation.forwardPasses)  (\(String(format: "%.2f", result.generation.tokensPerForward)) tokens per forward, \(result.generation.steps) steps)")
        if let perRound = result.generation.meanAcceptedPlusOne {
            let rates = result.generation.acceptanceRates.map { $0.map { String(format: "%.2f", $0) } ?? "-" }
            print("drafts:  \(result.generation.draftRounds) rounds, \(String(format: "%.2f", perRound)) tokens per verifying pass, acceptance by position \(rates.joined(separator: " / "))")
        }
        print("time:    \(String(format: "%.1f ms", result.seconds * 1e3))")
    }
}

/// `--visual`: redraws the canvas in place after every step (like llama.cpp's diffusion visual mode): masks dim,
/// tokens committed at this step bold green.
final class VisualTrace: TraceSink {
    let tokenizer: HFTokenizer, mask: TokenID?, delay: Int
    private var started = false

    init(tokenizer: HFTokenizer, mask: TokenID?, delay: Int) {
        (self.tokenizer, self.mask, self.delay) = (tokenizer, mask, delay)
    }

    func record(_ step: StepTrace) throws {
        let fresh = Set(step.positions)
        var line = ""
        for (position, token) in step.canvas.enumerated() {
            let piece = tokenizer.tokens[token] ?? "?"
            if token == mask { line += "\u{1B}[2m_\u{1B}[0m" }
            else if fresh.contains(position) { line += "\u{1B}[1;32m\(piece)\u{1B}[0m" }
            else { line += piece }
        }
        // Save the cursor before the first frame; later frames restore it and clear to the end of the screen.
        print(started ? "\u{1B}[u\u{1B}[J" : "\u{1B}[s", terminator: "")
        started = true
        print("step \(step.step + 1): \(line)  (+\(step.positions.count))")
        fflush(stdout)
        if delay > 0 { usleep(UInt32(delay) * 1000) }
    }
}
