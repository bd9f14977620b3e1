import DiffusionCore
import Foundation
import Samplers
import Testing
@testable import DiffusionEngine

/// transformers' recorded `generate()` (trajectory*.json: two canvases of 8 tokens on the random DiffusionGemma
/// fixture) replayed through the catalogue's `gemma_entropy_bound` sampler and `MultiCanvas` on the Swift model,
/// with transformers' own random draws handed in (initial canvases, multinomial samples, re-noise canvases):
/// every step's canvas, the stop step of each canvas and the generated tokens must be identical.
@Suite struct DiffusionGemmaSamplerReplayTests {
    typealias Trajectory = DiffusionGemmaTrajectoryTests.Trajectory

    /// transformers' draws, in the order the sampler asks for them.
    struct RecordedDraws: RenoiseDraws {
        let canvases: [Trajectory.Canvas]
        var canvasIndex = 0
        var stepIndex = 0
        var needsInitialCanvas = true

        mutating func noise(length: Int, vocabulary: Int) -> [TokenID] {
            let canvas = canvases[canvasIndex]
            if needsInitialCanvas {
                needsInitialCanvas = false
                return canvas.initial_canvas
            }
            defer { stepIndex += 1 }
            return canvas.steps[stepIndex].renoise
        }

        mutating func sample(position: Int, probabilities: [Double]) -> TokenID {
            canvases[canvasIndex].steps[stepIndex].samples[position]
        }

        mutating func nextCanvas() {
            (canvasIndex, stepIndex, needsInitialCanvas) = (canvasIndex + 1, 0, true)
        }
    }

    final class Canvases: TraceSink {
        var canvases: [[TokenID]] = []
        func record(_ step: StepTrace) throws { canvases.append(step.canvas) }
    }

    @Test(arguments: ["trajectory.json", "trajectory_adaptive_stop.json"])
    func samplerReplaysTransformersGenerate(file: String) throws {
        let model = try DiffusionGemmaParityTests.model()
        let trajectory = try DiffusionGemmaTrajectoryTests.load(file)
        let settings = trajectory.generation_config
        var parameters = RenoiseParameters()
        parameters.entropyBound = settings.entropy_bound
        parameters.confidenceThreshold = settings.confidence_threshold
        parameters.stabilityThreshold = settings.stability_threshold
        let sampler = try EntropyBoundRenoise(parameters)  // t_min 0.4 and t_max 0.8 are the fixtures' values too
        var draws = RecordedDraws(canvases: trajectory.canvases)
        let multiCanvas = try MultiCanvas(canvasLength: trajectory.canvas_length, maxNewTokens: trajectory.generated.count)
        let endOfSequence = model.specialTokens.endOfSequence
        let generation = try multiCanvas.generate(prompt: trajectory.prompt, endOfSequence: endOfSequence) { prefix, length in
            let recorded = trajectory.canvases[draws.canvasIndex]
            let trace = Canvases()
            let block = try sampler.generate(prompt: prefix, length: length, steps: 48, denoiser: model, draws: &draws, trace: trace)
            #expect(trace.canvases.count == recorded.steps.count && !trace.canvases.isEmpty)
            #expect(trace.canvases == recorded.steps.map(\.next_canvas), "\(file) canvas \(draws.canvasIndex): canvases per step")
            #expect(block.steps == recorded.steps.count && draws.stepIndex == recorded.steps.count)
            draws.nextCanvas()
            return block
        }
        #expect(generation.tokens == trajectory.generated)
        #expect(generation.forwardPasses == trajectory.canvases.map(\.steps.count).reduce(0, +))
    }

    @Test func multiCanvasStopsAfterACanvasWithEndOfSequence() throws {
        var calls = 0
        let generation = try MultiCanvas(canvasLength: 4, maxNewTokens: 20).generate(prompt: [7], endOfSequence: [1]) { prefix, length in
            calls += 1
            #expect(prefix.count == 1 + 4 * (calls - 1))
            let tokens = calls == 2 ? [5, 1, 0, 0] : [5, 6, 7, 8]
            return Generation(tokens: tokens, forwardPasses: 3, steps: 3, commitStep: [0, 1, 2, -1])
        }
        #expect(calls == 2 && generation.tokens.count == 8 && generation.forwardPasses == 6)
        #expect(generation.commitStep == [0, 1, 2, -1, 3, 4, 5, -1])
    }
}
