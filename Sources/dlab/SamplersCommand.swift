import ArgumentParser
import DiffusionCore
import DiffusionEngine
import ExperimentSamplers
import Foundation
import Samplers
import Sweeps

/// The registry `dlab` uses: the built-in catalogue plus the researchers' samplers of Experiments/Samplers.
enum DLabSamplers {
    static func registry() throws -> SamplerRegistry {
        try SamplerRegistry(SamplerRegistry.builtIn + ExperimentSamplers.entries)
    }
}

/// `dlab samplers`: the registered samplers, their parameters and sources, and their bookkeeping cost.
struct SamplersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samplers",
        abstract: "List the registered samplers, show one, or time their bookkeeping.",
        subcommands: [List.self, Show.self, Bench.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per registered sampler.")

        func run() throws {
            let registry = try DLabSamplers.registry()
            let width = registry.names.map(\.count).max() ?? 0
            for entry in registry.entries {
                let budgetFree = entry.about.stepBudget == .unused ? " [budget-free]" : ""
                print(entry.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + entry.about.summary + budgetFree)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A sampler's parameters, defaults and source.")

        @Argument(help: "The sampler's name.")
        var name: String

        /// How `show` names the kinds of model a sampler drives.
        static let kindNames: [DiffusionKind: String] = [
            .masked: "masked (LLaDA-MoE)", .uniform: "uniform-state (DiffusionGemma)", .autoregressive: "autoregressive (ar_moe_mtp)",
        ]

        func run() throws {
            let entry = try DLabSamplers.registry().entry(named: name)
            print("\(entry.name): \(entry.about.summary)")
            print("source: \(entry.about.source)")
            let kinds = entry.about.modelKinds.sorted { $0.rawValue < $1.rawValue }.map { Self.kindNames[$0] ?? $0.rawValue }
            print("models: " + kinds.joined(separator: " and ") + (kinds.count == 1 ? " only" : ""))
            print("step budget: " + entry.about.stepBudget.explanation)
            print("cache: " + entry.cacheSupport)
            print(entry.parameters.isEmpty ? "parameters: none" : "parameters (--param key=value; YAML keys):")
            let width = entry.parameters.map { $0.key.count + $0.defaultValue.count }.max() ?? 0
            for parameter in entry.parameters {
                let head = "  \(parameter.key) = \(parameter.defaultValue)"
                print(head.padding(toLength: width + 8, withPad: " ", startingAt: 0) + parameter.help)
            }
        }
    }
}

extension SamplersCommand {
    /// `dlab samplers bench`: the sampler's own cost per step (its loop driven by a denoiser that returns stored
    /// logits at no cost) against one forward pass of the model at the same shape.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time each sampler's bookkeeping per step against a forward pass of the model.")

        @OptionGroup var modelOptions: ModelOptions

        @Option(parsing: .unconditional, help: "Prompt length (tokens).")
        var promptLength: Int = 11

        @Option(parsing: .unconditional, help: "Canvas length (tokens).")
        var length: Int = 16

        @Option(parsing: .unconditional, help: "Timed repeats (the median is reported).")
        var repeats: Int = 30

        func validate() throws {
            try NumberBounds.check(promptLength, "--prompt-length", 0 ... NumberBounds.tokens.upperBound)
            try NumberBounds.check(length, "--length", NumberBounds.tokens)
            try NumberBounds.check(repeats, "--repeats", NumberBounds.repeats)
        }

        func run() throws {
            let folder = try modelOptions.load(requireTokenizer: false)
            var rng = SeededGenerator(seed: 7)
            let model = folder.denoiser
            try ModelLimits(model).check(promptTokens: promptLength, canvasLength: length, totalNew: length,
                                         canvasName: "--length", totalName: "--length")
            let vocabulary = model.vocabularySize
            let special = Set(model.specialTokens.neverGenerated + model.specialTokens.endOfSequence)
            let ordinary = (0 ..< vocabulary).filter { !special.contains($0) }
            let prompt = (0 ..< promptLength).map { _ in ordinary[rng.nextInt(below: ordinary.count)] }
            let canvas = [TokenID](repeating: model.specialTokens.mask ?? 0, count: length)
            let logits = try model.logits(prefix: prompt, canvas: canvas, conditioning: nil)
            let forward = try Stopwatch.median(repeats: repeats) {
                _ = try model.logits(prefix: prompt, canvas: canvas, conditioning: nil)
            }
            print(String(format: "forward pass (%d + %d tokens, V=%d): %.3f ms", promptLength, length, vocabulary, forward * 1e3))
            print("sampler                 steps   us/step (bookkeeping)   % of a forward pass")
            let free = StoredLogits(logits, like: model)
            for entry in try DLabSamplers.registry().entries {
                let sampler = try entry.make()
                var steps = 0
                let seconds = try Stopwatch.median(repeats: repeats) {
                    var generator = SeededGenerator(seed: 1)
                    steps = try sampler.run(prompt: prompt, length: length, steps: length, denoiser: free, rng: &generator).steps
                }
                let perStep = seconds / Double(max(steps, 1))
                print(entry.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                      + String(format: " %6d %14.1f %22.2f%%", steps, perStep * 1e6, 100 * perStep / forward))
            }
        }
    }
}

/// A denoiser that returns stored logits at no cost: what is left of a step's time is the sampler's bookkeeping.
final class StoredLogits: Denoiser {
    let stored: Logits
    let vocabularySize: Int, specialTokens: SpecialTokens, kind: DiffusionKind

    init(_ stored: Logits, like model: any Denoiser) {
        (self.stored, vocabularySize, specialTokens, kind) = (stored, model.vocabularySize, model.specialTokens, model.kind)
    }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        canvas.count == stored.rows ? stored
            : Logits(rows: canvas.count, vocabularySize: vocabularySize, values: [Float](stored.values.prefix(canvas.count * vocabularySize))
                + [Float](repeating: 0, count: max(0, canvas.count - stored.rows) * vocabularySize))
    }
}
