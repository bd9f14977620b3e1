import ArgumentParser
import DiffusionCore
import DiffusionEngine
import Foundation
import Samplers
import Sweeps
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

    @Option(parsing: .unconditional, help: "Index of the task example.")
    var index: Int = 0

    @Option(parsing: .unconditional, help: "Run this many task examples from --index on, and print accuracy, mean NFE and time.")
    var count: Int = 1

    @Option(parsing: .unconditional, help: "With --count: examples run together, their forward calls served by one batched pass (default: from the canvas length, up to 32; 1: one at a time).")
    var batch: Int?

    @Option(parsing: .unconditional, help: "With --count: lanes run at once, each a copy of the model on its own core with its own batched passes (default: the cores available over --threads; 1: one pass at a time).")
    var lanes: Int?

    @Option(parsing: .unconditional, help: "Seed of the task's example stream.")
    var seed: UInt64 = 0

    @Option(name: .customLong("sampler-seed"), parsing: .unconditional, help: "Seed of the sampler's randomness (example i uses stream i).")
    var samplerSeed: UInt64 = 0

    @Option(help: "Split the task example comes from (train or eval).")
    var split: String = "eval"

    @Argument(help: "A free prompt, when no --task is given.")
    var prompt: String?

    @Option(parsing: .unconditional, help: "Step budget (default: the canvas length, one token per step).")
    var steps: Int?

    @Option(name: .customLong("max-new-tokens"), parsing: .unconditional,
            help: "Generate up to this many tokens, canvas after canvas (each finished canvas joins the prefix; stops after a canvas with EOS). Default: one canvas.")
    var maxNewTokens: Int?

    @Option(name: .customLong("gen-length"), parsing: .unconditional, help: "Canvas length (default: the task's answer length).")
    var genLength: Int?

    @Flag(name: .customLong("allow-code-execution"), help: "Run the generated code of a code task (sandboxed, see README).")
    var allowCodeExecution = false

    @Flag(help: "Wrap the prompt (free or the task's) in the model's chat template as one user message, with the assistant's turn opened.")
    var chat = false

    @Flag(help: "Redraw the canvas live in the terminal at every step.")
    var visual = false

    @Option(name: .customLong("visual-delay"), parsing: .unconditional, help: "Milliseconds to pause after each redrawn step with --visual.")
    var visualDelay: Int = 80

    /// Every number in range before anything is loaded or allocated; the model's own limits follow once it is.
    func validate() throws {
        try NumberBounds.checkExamples(start: index, count: count, startOption: "--index", countOption: "--count", minimumCount: 1)
        if let steps { try NumberBounds.check(steps, "--steps", NumberBounds.steps) }
        if let genLength { try NumberBounds.check(genLength, "--gen-length", NumberBounds.tokens) }
        if let maxNewTokens { try NumberBounds.check(maxNewTokens, "--max-new-tokens", NumberBounds.tokens) }
        if let batch { try NumberBounds.check(batch, "--batch", NumberBounds.batch) }
        if let lanes { try NumberBounds.check(lanes, "--lanes", NumberBounds.lanes) }
        try NumberBounds.check(visualDelay, "--visual-delay", NumberBounds.visualDelay)
    }

    func run() throws {
        let folder = try modelOptions.load()
        let defaults = try ModelSamplerDefaults.defaults(for: folder, sampler: self.sampler)
        let sampler = try makeSampler(modelDefaults: defaults.parameters)
        let steps = self.steps ?? defaults.steps
        guard let tokenizer = folder.tokenizer else { throw ValidationError("the model has no tokenizer.json") }
        let template = chat ? try ChatTemplate.load(modelAt: folder.url) : nil
        if chat && template == nil {
            throw ValidationError("--chat: \(modelOptions.model) has no chat template ('chat_template' in tokenizer_config.json, or 'tokenizer.chat_template' in a .gguf)")
        }
        switch (task, prompt) {
        case (let name?, nil):
            let evaluationTask = try TaskRegistry.task(named: name, library: .standard, allowCodeExecution: allowCodeExecution)
            guard let split = Split(rawValue: split) else { throw ValidationError("--split must be train or eval, got '\(split)'") }
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
            func one(_ i: Int, _ denoiser: (any Denoiser)?) throws -> (Double, Int, Double) {
                let example = try evaluationTask.checkedExample(split: split, index: i, seed: seed)
                let result = try generate(sampler, example.prompt, length: length, steps: steps ?? length, stream: i,
                                          folder: folder, tokenizer: tokenizer, total: total, stops: evaluationTask.stopStrings,
                                          denoiser: denoiser, template: template)
                let scores = try evaluationTask.scores(of: example, output: result.answer)
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
                return (scores.primary, result.generation.forwardPasses, result.seconds)
            }
            func add(_ result: (Double, Int, Double)) {
                (correct, passes, seconds) = (correct + result.0, passes + result.1, seconds + result.2)
            }
            let examples = Array(index ..< index + count)
            // With a block cache, examples run together only on a model that serves caches in batched passes.
            let cached = parameters.contains { $0.hasPrefix("cache=") && $0 != "cache=none" }
            let model = folder.denoiser as? any BatchDenoiser
            let batching = !visual && model != nil && (!cached || model is any BatchBlockCachingDenoiser)
            let laneCount = visual ? 1 : min(lanes ?? ModelLanes.default(threads: modelOptions.threads), count)
            let batch = min(batching ? self.batch ?? BatchSize.default(canvas: length) : 1, (count + laneCount - 1) / laneCount)
            if laneCount > 1 || batch > 1 {
                let models = [folder.denoiser] + (try ModelLanes.copies(of: folder, count: laneCount - 1))
                try BatchedExamples.run(examples, lanes: models, batch: batch, work: { i, denoiser in try one(i, denoiser) }, record: add)
            } else {
                for i in examples { add(try one(i, nil)) }
            }
            if count > 1 {
                print("\(evaluationTask.name) v\(evaluationTask.version), \(split.rawValue) examples \(index)..<\(index + count), seed \(seed), \(sampler.name) \(parameters.joined(separator: " ")), steps \(steps ?? length):")
                print(String(format: "accuracy %.1f%%  mean NFE %.2f  tokens per forward %.2f  %.2f ms per example",
                             100 * correct / Double(count), Double(passes) / Double(count),
                             Double(length * count) / Double(passes), 1e3 * seconds / Double(count)))
            }
        case (nil, let text?):
            guard let length = genLength else { throw ValidationError("--gen-length is needed with a free prompt") }
            let shown = try template?.render([ChatMessage(role: "user", content: text)]) ?? text
            report(shown, try generate(sampler, text, length: length, steps: steps ?? length, stream: 0, folder: folder,
                                       tokenizer: tokenizer, template: template))
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

    /// One generation; with a `BatchSlot` as `denoiser` its time is its own plus its share of the batched passes.
    private func generate(_ sampler: AnySampler, _ text: String, length: Int, steps: Int, stream: Int, folder: ModelFolder,
                          tokenizer: HFTokenizer, total: Int? = nil, stops: [String] = [], denoiser: (any Denoiser)? = nil,
                          template: ChatTemplate? = nil)
        throws -> (answer: String, generation: Generation, seconds: Double)
    {
        // As Hugging Face encodes it: tokenizer(text) adds the tokenizer's <bos>; a chat template writes its own.
        let rendered = try template?.render([ChatMessage(role: "user", content: text)])
        let promptTokens = try tokenizer.encodePrompt(rendered ?? text, renderedByChatTemplate: rendered != nil)
        guard !promptTokens.isEmpty else { throw ValidationError("the prompt is empty (it encodes to no tokens)") }
        let totalNew = max(total ?? maxNewTokens ?? length, length)
        try ModelLimits(folder.denoiser).check(
            promptTokens: promptTokens.count, canvasLength: length, totalNew: totalNew, canvasName: "--gen-length",
            totalName: maxNewTokens == nil ? "--gen-length" : "--max-new-tokens")
        var rng = SeededGenerator(seed: samplerSeed, stream: UInt64(stream))
        let sink = visual ? VisualTrace(tokenizer: tokenizer, mask: folder.denoiser.specialTokens.mask, delay: visualDelay) : nil
        let multiCanvas = try MultiCanvas(canvasLength: length, maxNewTokens: totalNew)
        // A task's stop string in the text so far ends generation after that canvas (the scorer cuts the text there).
        let stopped: ([TokenID]) -> Bool = { tokens in
            stops.isEmpty ? false : { text in stops.contains { !$0.isEmpty && text.contains($0) } }(tokenizer.decode(tokens, skipSpecial: true))
        }
        let (generation, seconds) = try Stopwatch.measure {
            try multiCanvas.generate(prompt: promptTokens, endOfSequence: folder.denoiser.specialTokens.endOfSequence, stop: stopped) { prefix, canvas in
                try sampler.run(prompt: prefix, length: canvas, steps: steps, denoiser: denoiser ?? folder.denoiser, rng: &rng, trace: sink)
            }
        }
        var amortised = seconds
        if let slot = denoiser as? BatchSlot { amortised += slot.passShareSeconds - slot.waitingSeconds }
        return (tokenizer.decode(generation.tokens, skipSpecial: true), generation, amortised)
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
