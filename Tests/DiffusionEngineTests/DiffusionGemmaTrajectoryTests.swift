import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// The model along transformers' recorded `generate()` trajectories (trajectory*.json, made by
/// make_diffusiongemma_fixtures.py): at every denoising step, the Swift decoder, fed the recorded canvas and its
/// own previous step's probabilities as self-conditioning, predicts the recorded argmax canvas and entropies.
/// With the recorded random draws (multinomial samples, re-noise canvases) the decisions of transformers'
/// `EntropyBoundSampler` and `StableAndConfidentStoppingCriteria`, recomputed here from the Swift logits, give the
/// recorded accepted positions, the next canvas and the stop step token for token: the engine reproduces the whole
/// trajectory. (The catalogue's `gemma_entropy_bound` sampler draws from `SeededGenerator` itself, so replaying
/// these draws through it needs a way to hand it recorded draws; the fixtures carry everything that needs.)
@Suite struct DiffusionGemmaTrajectoryTests {
    struct Trajectory: Decodable {
        struct Step: Decodable {
            let step: Int
            let temperature: Float
            let canvas_in: [Int]
            let samples: [Int]
            let renoise: [Int]
            let accepted: [Int]
            let next_canvas: [Int]
            let argmax: [Int]
            let entropy: [Float]
            let mean_entropy: Double
        }
        struct Canvas: Decodable {
            let initial_canvas: [Int]
            let steps: [Step]
        }
        struct Settings: Decodable {
            let entropy_bound: Double
            let confidence_threshold: Double
            let stability_threshold: Int
        }
        let prompt: [Int]
        let generation_config: Settings
        let generated: [Int]
        let canvas_length: Int
        let canvases: [Canvas]
    }

    static func load(_ name: String) throws -> Trajectory {
        let url = Fixtures.folder(DiffusionGemmaParityTests.folder).appendingPathComponent(name)
        return try JSONDecoder().decode(Trajectory.self, from: Data(contentsOf: url))
    }

    @Test(arguments: ["trajectory.json", "trajectory_adaptive_stop.json"])
    func decoderFollowsTheRecordedTrajectory(file: String) throws {
        let model = try DiffusionGemmaParityTests.model()
        let trajectory = try Self.load(file)
        let settings = trajectory.generation_config
        let (c, v) = (trajectory.canvas_length, model.vocabularySize)
        var compared = 0
        var worstEntropy: Float = 0
        for (k, canvas) in trajectory.canvases.enumerated() {
            // The encoder has ingested the prompt and every finished canvas (generated tokens, in canvas blocks).
            let prefix = trajectory.prompt + trajectory.generated.prefix(k * c)
            #expect(canvas.initial_canvas == canvas.steps[0].canvas_in)
            var conditioning: Conditioning? = nil  // each canvas starts without self-conditioning
            var history: [[Int]] = Array(repeating: Array(repeating: -1, count: c), count: settings.stability_threshold)
            for (n, step) in canvas.steps.enumerated() {
                if n > 0 { #expect(step.canvas_in == canvas.steps[n - 1].next_canvas, "\(file) canvas \(k) step \(step.step)") }
                let logits = try model.logits(prefix: prefix, canvas: step.canvas_in, conditioning: conditioning)
                // Processed logits: divided by the step's temperature (F32, as the logits processor does).
                var processed = logits.values.map { $0 / step.temperature }
                var entropies = [Double](repeating: 0, count: c)
                var argmax = [Int](repeating: 0, count: c)
                for row in 0 ..< c {
                    let values = processed[row * v ..< (row + 1) * v]
                    let sorted = values.sorted(by: >)
                    if sorted[0] - sorted[1] > 1e-4 {  // a near tie may go either way at F32 precision
                        #expect(values.firstIndex(of: sorted[0])! - row * v == step.argmax[row],
                                "\(file) canvas \(k) step \(step.step) position \(row)")
                        compared += 1
                    }
                    let maximum = Double(sorted[0])
                    let exps = values.map { exp(Double($0) - maximum) }
                    let total = exps.reduce(0, +)
                    let entropy = -exps.reduce(0.0) { $0 + $1 / total * log($1 / total) }
                    worstEntropy = max(worstEntropy, abs(Float(entropy) - step.entropy[row]))
                    entropies[row] = entropy
                    argmax[row] = values.firstIndex(of: sorted[0])! - row * v
                }
                // EntropyBoundSampler.accept_canvas: lowest entropies first, accept while Σ H − max H ≤ bound.
                var accepted = [Int](repeating: 0, count: c)
                var total = 0.0
                for i in (0 ..< c).sorted(by: { entropies[$0] < entropies[$1] }) {
                    total += entropies[i]
                    if total - entropies[i] <= settings.entropy_bound { accepted[i] = 1 }
                    #expect(abs(total - entropies[i] - settings.entropy_bound) > 1e-4, "near-tie at the bound")
                }
                #expect(accepted == step.accepted, "\(file) canvas \(k) step \(step.step): accepted positions")
                // renoise_canvas: accepted samples stay, the rest takes the recorded uniform draw.
                let next = (0 ..< c).map { accepted[$0] == 1 ? step.samples[$0] : step.renoise[$0] }
                #expect(next == step.next_canvas)
                // StableAndConfidentStoppingCriteria: the argmax equals the last `stability_threshold` ones and
                // the mean entropy is below the threshold; the recorded canvas stops exactly there (or at step 1).
                let stable = history.allSatisfy { $0 == argmax }
                if settings.stability_threshold > 0 { history = Array(history.dropFirst()) + [argmax] }
                let stops = stable && entropies.reduce(0, +) / Double(c) < settings.confidence_threshold
                #expect(stops == (n == canvas.steps.count - 1 && step.step > 1), "\(file) canvas \(k) step \(step.step): stop")
                Softmax.rows(&processed, rows: c, width: v)
                conditioning = Conditioning(previousProbabilities: Logits(rows: c, vocabularySize: v, values: processed))
            }
            // The canvas's output is the last step's argmax.
            #expect(Array(trajectory.generated[k * c ..< (k + 1) * c]).prefix { $0 != 1 } == canvas.steps.last!.argmax.prefix { $0 != 1 })
        }
        #expect(compared > trajectory.canvases.map(\.steps.count).reduce(0, +) * c * 9 / 10)
        #expect(worstEntropy < 1e-3, "\(file): worst entropy difference \(worstEntropy)")
    }
}
