import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// The model along transformers' recorded `generate()` trajectories (trajectory*.json, made by
/// make_diffusiongemma_fixtures.py): at every denoising step, the Swift decoder, fed the recorded canvas and its
/// own previous step's probabilities as self-conditioning, predicts the recorded argmax canvas and entropies.
/// This checks the model under the real self-conditioning chain and multi-canvas encoding; replaying the random
/// draws token for token is the renoise sampler's test (Sources/Samplers), which these fixtures also serve.
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
        let prompt: [Int]
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
        let (c, v) = (trajectory.canvas_length, model.vocabularySize)
        var compared = 0
        var worstEntropy: Float = 0
        for (k, canvas) in trajectory.canvases.enumerated() {
            // The encoder has ingested the prompt and every finished canvas (generated tokens, in canvas blocks).
            let prefix = trajectory.prompt + trajectory.generated.prefix(k * c)
            #expect(canvas.initial_canvas == canvas.steps[0].canvas_in)
            var conditioning: Conditioning? = nil  // each canvas starts without self-conditioning
            for (n, step) in canvas.steps.enumerated() {
                if n > 0 { #expect(step.canvas_in == canvas.steps[n - 1].next_canvas, "\(file) canvas \(k) step \(step.step)") }
                let logits = try model.logits(prefix: prefix, canvas: step.canvas_in, conditioning: conditioning)
                // Processed logits: divided by the step's temperature (F32, as the logits processor does).
                var processed = logits.values.map { $0 / step.temperature }
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
                }
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
