import DiffusionCore

/// The block loop of LLaDA 2.x (block diffusion): blocks aligned to absolute positions, so the first block holds the
/// prompt's last partial block and the first canvas positions; inside a block, each forward pass proposes a token per
/// position and commits masked positions whose probability exceeds `threshold` (at least the most probable one), and,
/// with `editing`, overwrites already-filled positions of the block whose proposal differs with probability above the
/// edit threshold (token-to-token editing, LLaDA 2.1). Once a block has no masks, editing continues for at most
/// `maxPostSteps` passes and stops at the first pass that changes nothing.
///
/// Port of the decision rule of SGLang `python/sglang/srt/dllm/algorithm/low_confidence.py` (`LowConfidence.step`) and
/// `joint_threshold.py` (`JointThreshold.step`), with the block loop of diffusers
/// `src/diffusers/pipelines/llada2/pipeline_llada2.py` (`LLaDA2Pipeline.__call__`). Deliberate differences:
/// - the model is given the prompt and the whole canvas (later blocks still masked): a block-causal LLaDA 2 model does
///   not attend to later blocks, so its logits are the reference's, which feeds only the blocks up to the current one;
///   the canvas is exactly `length` long, where the reference pads the last block past the requested length;
/// - mask and pad are never proposed (their logits are −inf), as in the rest of the catalogue;
/// - proposals with `temperature` > 0 are inverse-CDF draws (one uniform per proposed position, in position order),
///   where the reference calls `torch.multinomial`; probabilities are Float64.
/// - with `cache`, a block's first pass fills a KV cache and its later passes run through it (Fast-dLLM, see
///   `CachedBlockPasses`).
/// Draws: per pass, one uniform per proposed position (masked ones, and with editing the filled ones) when τ > 0.
public struct BlockRefinementLoop: Sendable {
    public struct Editing: Sendable {
        /// Overwrite a filled position when its proposal differs and has probability above this.
        public var threshold: Double
        /// Editing passes allowed after the block has no masks left.
        public var maxPostSteps: Int

        public init(threshold: Double, maxPostSteps: Int) {
            (self.threshold, self.maxPostSteps) = (threshold, maxPostSteps)
        }
    }

    public let blockLength: Int
    public let threshold: Double
    public let editing: Editing?
    public let temperature: Double
    public let stopAtEOS: Bool
    /// The sampler's registry name, for error messages.
    public let sampler: String
    /// Keys and values kept across a block's passes (see `CachedBlockPasses`).
    public let cache: CacheMode

    public init(blockLength: Int, threshold: Double, editing: Editing?, temperature: Double, stopAtEOS: Bool,
                sampler: String, cache: CacheMode = .none) {
        (self.blockLength, self.threshold, self.editing) = (blockLength, threshold, editing)
        (self.temperature, self.stopAtEOS, self.sampler, self.cache) = (temperature, stopAtEOS, sampler, cache)
    }

    /// Canvas ranges of the blocks: boundaries at multiples of `blockLength` counted from the first prompt token.
    public static func blocks(promptLength: Int, length: Int, blockLength: Int) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var start = 0
        while start < length {
            let end = min(length, ((promptLength + start) / blockLength + 1) * blockLength - promptLength)
            blocks.append(start ..< end)
            start = end
        }
        return blocks
    }

    /// Forward passes (and steps) a run may take: one per mask, plus `maxPostSteps` editing passes per block.
    public func budget(length: Int) -> Int {
        length + (editing.map { $0.maxPostSteps * (length / blockLength + 2) } ?? 0)
    }

    public func run(prompt: [TokenID], length: Int, denoiser: any Denoiser, rng: inout SeededGenerator,
                    trace: (any TraceSink)?) throws -> Generation {
        guard let mask = denoiser.specialTokens.mask else {
            throw SamplerError.unsupportedModel("\(sampler) needs a masked model (this one has no mask token)")
        }
        try require(length > 0, "canvas length must be positive, got \(length)")
        let vocabulary = denoiser.vocabularySize
        let eos = denoiser.specialTokens.endOfSequence
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        let pick = CategoricalPick(temperature: temperature)
        var tokens = [TokenID](repeating: mask, count: length)
        var masked = [Bool](repeating: true, count: length)
        var commitStep = [Int](repeating: -1, count: length)
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, step) = (0, 0)
        var passesOfBlock = CachedBlockPasses(mode: cache)
        blocks: for block in Self.blocks(promptLength: prompt.count, length: length, blockLength: blockLength) {
            var postSteps = 0
            passesOfBlock.startBlock()
            while true {
                let masksLeft = block.contains { masked[$0] }
                if !masksLeft {
                    guard let editing else { break }
                    postSteps += 1
                    if postSteps > editing.maxPostSteps { break }
                }
                let (logits, firstRow) = try passesOfBlock.logits(prefix: prompt, canvas: tokens, block: block, denoiser: denoiser)
                passes += 1
                var proposals: [(position: Int, pick: RowPick)] = []
                for position in block where masked[position] || editing != nil {
                    logits.withRow(position - firstRow) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    proposals.append((position, row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }))
                }
                // Mask to token: every masked proposal above the threshold, else the most probable one (leftmost on ties).
                let maskedProposals = proposals.filter { masked[$0.position] }
                var writes = maskedProposals.filter { $0.pick.probability > threshold }
                if writes.isEmpty, let best = maskedProposals.max(by: {
                    $0.pick.probability != $1.pick.probability ? $0.pick.probability < $1.pick.probability : $0.position > $1.position
                }) { writes = [best] }
                // Token to token: filled positions of the block whose confident proposal differs.
                if let editing {
                    writes += proposals.filter {
                        !masked[$0.position] && $0.pick.probability > editing.threshold && $0.pick.token != tokens[$0.position]
                    }
                }
                if writes.isEmpty { break }
                for write in writes {
                    (tokens[write.position], masked[write.position], commitStep[write.position]) = (write.pick.token, false, step)
                }
                var stopped = false
                if stopAtEOS, let first = tokens.indices.first(where: { !masked[$0] && eos.contains(tokens[$0]) }),
                   !masked[..<first].contains(true) {
                    for p in first + 1 ..< length where masked[p] {
                        (tokens[p], masked[p], commitStep[p]) = (tokens[first], false, step)
                    }
                    stopped = true
                }
                try trace?.record(StepTrace(step: step, positions: writes.map(\.position), tokens: writes.map(\.pick.token),
                                            scores: writes.map(\.pick.probability), canvas: tokens))
                step += 1
                if stopped { break blocks }
            }
        }
        return Generation(tokens: tokens, forwardPasses: passes, steps: step, commitStep: commitStep)
    }
}
