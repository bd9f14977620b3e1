import DiffusionCore
import DiffusionEngine
import Foundation
import Samplers
import Tasks
import Testing

/// Self-speculative MTP decoding under greedy verification writes exactly what greedy AR writes: on the shipped
/// tiny AR-MTP model (Experiments/models/tiny-ar-mtp), every built-in task, held-out examples, k = 1 ... 4.
/// Also prints, per task, accuracy, tokens per forward pass and acceptance per draft position (the model card's
/// table; `DLAB_AR_EXAMPLES=200` for more examples).
@Suite struct ARMTPExactnessTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/models/tiny-ar-mtp")
    static let examples = ProcessInfo.processInfo.environment["DLAB_AR_EXAMPLES"].flatMap(Int.init) ?? 8

    @Test func mtpEqualsGreedyOnEveryTask() throws {
        let folder = try ModelFolder(Self.model)
        let tokenizer = try #require(folder.tokenizer)
        #expect(folder.denoiser.kind == .autoregressive)
        let registry = try SamplerRegistry()
        let samplers = try [registry.sampler(named: "ar_greedy")]
            + (1 ... 4).map { try registry.sampler(named: "ar_mtp", parameters: ["k": .int($0)]) }
        var anyRejected = false
        var anyAccepted = false
        for task in TaskRegistry.all {
            var correct = [Double](repeating: 0, count: samplers.count)
            var passes = [Int](repeating: 0, count: samplers.count)
            var proposed = [[Int]](repeating: [0, 0, 0, 0], count: samplers.count)
            var accepted = proposed
            for index in 0 ..< Self.examples {
                let example = task.example(split: .eval, index: index, seed: 0)
                let prompt = try tokenizer.encode(example.prompt)
                var outputs: [[TokenID]] = []
                for (s, sampler) in samplers.enumerated() {
                    var rng = SeededGenerator(seed: 0)
                    let generation = try sampler.run(prompt: prompt, length: task.answerLength, steps: task.answerLength,
                                                     denoiser: folder.denoiser, rng: &rng)
                    outputs.append(generation.tokens)
                    correct[s] += task.score(prompt: example.prompt, output: tokenizer.decode(generation.tokens, skipSpecial: true))
                    passes[s] += generation.forwardPasses
                    for (j, count) in generation.draftsProposed.enumerated() { proposed[s][j] += count }
                    for (j, count) in generation.draftsAccepted.enumerated() { accepted[s][j] += count }
                    anyAccepted = anyAccepted || generation.draftsAccepted.contains { $0 > 0 }
                    anyRejected = anyRejected || generation.draftsAccepted != generation.draftsProposed
                }
                for (s, output) in outputs.enumerated().dropFirst() {
                    #expect(output == outputs[0], "\(task.name) example \(index): \(samplers[s].name) k=\(s) differs from ar_greedy")
                }
            }
            let tokens = Double(Self.examples * task.answerLength)
            let rows = samplers.indices.map { s in
                let rates = zip(accepted[s], proposed[s]).prefix(s).map { $1 == 0 ? "-" : String(format: "%.2f", Double($0) / Double($1)) }
                return String(format: "%@ %.1f%% %.2f tok/fwd", s == 0 ? "greedy" : "k=\(s)", 100 * correct[s] / Double(Self.examples),
                              tokens / Double(passes[s])) + (s == 0 ? "" : " accept " + rates.joined(separator: "/"))
            }
            print("AR-MTP \(task.name) (n=\(Self.examples)): " + rows.joined(separator: " | "))
        }
        // Both branches of the verification ran: some drafts were kept, some thrown away.
        #expect(anyAccepted && anyRejected)
    }
}
