import DiffusionCore
import Testing

@testable import Samplers

/// A task's stop strings end multi-canvas generation after the canvas where they appear.
struct MultiCanvasStopTests {
    @Test func stopEndsGenerationAfterTheCanvas() throws {
        let multi = try MultiCanvas(canvasLength: 4, maxNewTokens: 16)
        var canvases = 0
        func canvas(_ prefix: [TokenID], _ length: Int) -> Generation {
            canvases += 1
            return Generation(tokens: Array(repeating: canvases, count: length), forwardPasses: 1, steps: 1, commitStep: Array(repeating: 0, count: length))
        }
        // Stop once the text holds a 2 (the second canvas).
        let stopped = try multi.generate(prompt: [], endOfSequence: [], stop: { $0.contains(2) }, canvas: canvas)
        #expect(stopped.tokens == [1, 1, 1, 1, 2, 2, 2, 2] && canvases == 2)
        canvases = 0
        let full = try multi.generate(prompt: [], endOfSequence: [], canvas: canvas)
        #expect(full.tokens.count == 16 && canvases == 4)
    }
}
