import DiffusionCore

/// LLaDA's greedy low-confidence remasking sampler, semi-autoregressive over blocks.
/// Port of `generate` in ML-GSAI/LLaDA `generate.py` (temperature 0, no CFG, `remasking='low_confidence'`):
/// per block, `get_num_transfer_tokens` spreads the block's masks over its steps (⌊M/s⌋, the remainder to the
/// first steps); each step proposes x0 = argmax ℓ at every position, scores it by softmax(ℓ)[x0], and commits the
/// highest-scoring still-masked positions of the current block.
/// Differences from the reference, deliberately: mask and pad logits are excluded before the argmax (a model must
/// never "propose" a mask), and steps are capped at the block length (LLaDA's schedule would make empty steps).
public struct LowConfidenceSampler: Sendable {
    public let steps: Int
    public let blockLength: Int?

    /// - Parameters:
    ///   - steps: total denoising steps over the canvas; must be a multiple of the number of blocks.
    ///   - blockLength: semi-autoregressive block length; nil means one block over the whole canvas.
    public init(steps: Int, blockLength: Int? = nil) throws {
        guard steps > 0 else { throw SamplerError.invalidParameter("steps must be positive, got \(steps)") }
        if let blockLength, blockLength <= 0 {
            throw SamplerError.invalidParameter("block length must be positive, got \(blockLength)")
        }
        self.steps = steps
        self.blockLength = blockLength
    }

    /// LLaDA's `get_num_transfer_tokens`: how many of `masked` positions to commit at each of `steps` steps.
    public static func transferSchedule(masked: Int, steps: Int) -> [Int] {
        let base = masked / steps
        let remainder = masked % steps
        return (0 ..< steps).map { base + ($0 < remainder ? 1 : 0) }
    }

    public func generate(prompt: [TokenID], length: Int, denoiser: any Denoiser) throws -> Generation {
        guard let mask = denoiser.specialTokens.mask else {
            throw SamplerError.unsupportedModel("the low-confidence sampler needs a masked model (no mask token)")
        }
        let block = blockLength ?? length
        guard length % block == 0 else {
            throw SamplerError.invalidParameter("canvas length \(length) is not a multiple of block length \(block)")
        }
        let blocks = length / block
        guard steps % blocks == 0 else {
            throw SamplerError.invalidParameter("steps \(steps) are not a multiple of the number of blocks \(blocks)")
        }
        let stepsPerBlock = min(steps / blocks, block)
        let counter = CountingDenoiser(denoiser)
        let forbidden = denoiser.specialTokens.neverGenerated
        var canvas = [TokenID](repeating: mask, count: length)
        var commitStep = [Int](repeating: -1, count: length)
        var step = 0
        for b in 0 ..< blocks {
            let range = b * block ..< (b + 1) * block
            let schedule = Self.transferSchedule(masked: block, steps: stepsPerBlock)
            for count in schedule {
                let logits = try counter.logits(prefix: prompt, canvas: canvas, conditioning: nil)
                var candidates: [(position: Int, token: TokenID, confidence: Float)] = []
                for position in range where canvas[position] == mask {
                    let pick = logits.withRow(position) { Confidence.argmaxWithProbability($0, excluding: forbidden) }
                    candidates.append((position, pick.token, pick.probability))
                }
                candidates.sort { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.position < $1.position }
                for candidate in candidates.prefix(count) {
                    canvas[candidate.position] = candidate.token
                    commitStep[candidate.position] = step
                }
                step += 1
            }
        }
        return Generation(tokens: canvas, forwardPasses: counter.forwardPasses, steps: step, commitStep: commitStep)
    }
}
