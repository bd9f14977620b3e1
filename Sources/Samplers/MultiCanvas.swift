import DiffusionCore

/// Generation longer than one canvas, block by block (DiffusionGemma's multi-canvas decoding; transformers'
/// `generate` with `max_new_tokens` above the canvas length): each canvas is denoised with the prompt and every
/// finished canvas as its prefix (which a block-diffusion model's encoder ingests into its cache), and generation
/// stops after a canvas that holds an end-of-sequence token, after a canvas where `stop` says the text so far is done
/// (a task's stop strings), or at `maxNewTokens`.
public struct MultiCanvas: Sendable {
    public let canvasLength: Int
    public let maxNewTokens: Int

    public init(canvasLength: Int, maxNewTokens: Int) throws {
        try require(canvasLength > 0, "canvas length must be positive, got \(canvasLength)")
        try require(maxNewTokens > 0, "max new tokens must be positive, got \(maxNewTokens)")
        self.canvasLength = canvasLength
        self.maxNewTokens = maxNewTokens
    }

    /// Runs `canvas(prefix, length)` once per canvas; the result holds every canvas's tokens, the forward passes and
    /// steps of all of them, and each position's commit step counted from the start of generation.
    public func generate(prompt: [TokenID], endOfSequence: [TokenID], stop: ([TokenID]) -> Bool = { _ in false },
                         canvas: (_ prefix: [TokenID], _ length: Int) throws -> Generation) throws -> Generation {
        var result = Generation(tokens: [], forwardPasses: 0, steps: 0, commitStep: [])
        while result.tokens.count < maxNewTokens {
            let length = min(canvasLength, maxNewTokens - result.tokens.count)
            let block = try canvas(prompt + result.tokens, length)
            try require(block.tokens.count == length, "a canvas of \(length) came back with \(block.tokens.count) tokens")
            result.commitStep += block.commitStep.map { $0 < 0 ? $0 : $0 + result.steps }
            result.tokens += block.tokens
            result.forwardPasses += block.forwardPasses
            result.steps += block.steps
            // Drafting statistics (AR + MTP) add up position by position.
            let depth = max(result.draftsProposed.count, block.draftsProposed.count)
            func sum(_ a: [Int], _ b: [Int]) -> [Int] { (0 ..< depth).map { (a.indices.contains($0) ? a[$0] : 0) + (b.indices.contains($0) ? b[$0] : 0) } }
            (result.draftsProposed, result.draftsAccepted) = (sum(result.draftsProposed, block.draftsProposed), sum(result.draftsAccepted, block.draftsAccepted))
            result.draftRounds += block.draftRounds
            if block.tokens.contains(where: endOfSequence.contains) || stop(result.tokens) { break }
        }
        return result
    }
}
