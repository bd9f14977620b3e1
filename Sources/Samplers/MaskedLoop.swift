import DiffusionCore

/// The shared loop of masked-diffusion samplers: blocks → steps → (guided, shifted, suppressed) logits → a pick and
/// a score per masked position of the block → the transfer rule commits some → trace → early EOS stop.
/// Generic over its three parts, so nothing is dispatched by name inside the loop.
/// Port of the loop of `generate` in ML-GSAI/LLaDA `generate.py` (blocks, CFG) with Dream's logit shift
/// (HKUNLP/Dream `generation_utils.py`); deliberate differences:
/// - mask and pad are never proposed (their logits are −inf before the pick, as SGLang and llama.cpp do);
/// - a step that commits nothing leaves the canvas unchanged, so the next step reuses its logits instead of
///   running the same forward pass again (MDLM's `ddpm_cache`): same trajectory, fewer forward passes;
/// - a block stops once it has no masks (no forward passes that cannot commit);
/// - with the `cache` option, a block's first pass fills a KV cache and its later passes run through it (Fast-dLLM's
///   prefix and dual caches, see `CachedBlockPasses`): fewer positions per pass, logits approximate.
public struct MaskedLoop: Sendable {
    public let options: LoopOptions
    /// The sampler's registry name, for error messages.
    public let sampler: String

    public init(options: LoopOptions, sampler: String) {
        self.options = options
        self.sampler = sampler
    }

    /// What is wrong with a canvas of `length` in blocks of `blockLength` (nil: one block) at a budget of `steps`,
    /// or nil: the loop's one rule on shapes, also checked by experiment files when they are read.
    public static func shapeProblem(length: Int, steps: Int, blockLength: Int?) -> String? {
        guard length > 0 else { return "canvas length must be positive, got \(length)" }
        guard steps > 0 else { return "steps must be positive, got \(steps)" }
        let block = blockLength ?? length
        guard block > 0 else { return "block_length must be positive, got \(block)" }
        guard length % block == 0 else { return "canvas length \(length) is not a multiple of block_length \(block)" }
        let blocks = length / block
        guard steps % blocks == 0 else { return "steps \(steps) do not divide into the \(blocks) blocks of length \(block)" }
        return nil
    }

    public func run<Pick: TokenPick, Score: ConfidenceScore, Rule: TransferRule>(
        pick: Pick, score: Score, rule: Rule, prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
        rng: inout SeededGenerator, trace: (any TraceSink)?
    ) throws -> Generation {
        guard let mask = denoiser.specialTokens.mask else {
            throw SamplerError.unsupportedModel("\(sampler) needs a masked model (this one has no mask token)")
        }
        if let problem = Self.shapeProblem(length: length, steps: steps, blockLength: options.blockLength) {
            throw SamplerError.invalidParameter(problem)
        }
        let block = options.blockLength ?? length
        let blocks = length / block
        let vocabulary = denoiser.vocabularySize
        let eos = denoiser.specialTokens.endOfSequence
        let suppressed = (denoiser.specialTokens.neverGenerated + (options.suppressEOS == true ? eos : []))
            .filter { $0 >= 0 && $0 < vocabulary }
        let guidance = Float(options.cfgScale ?? LoopOptions.defaultCfgScale)
        var canvas = Canvas(length: length, mask: mask)
        var row = [Double](repeating: 0, count: vocabulary)
        // The last pass's logits (rows from canvas position `firstRow`: a cached pass returns the block's rows only).
        var cached: (canvas: [TokenID], conditional: Logits, unconditional: Logits?, firstRow: Int)?
        var passesOfBlock = CachedBlockPasses(mode: options.cacheMode)
        var (stepIndex, passes, stopped) = (0, 0, false)
        for b in 0 ..< blocks where !stopped {
            let range = b * block ..< (b + 1) * block
            let maskedAtStart = canvas.maskedPositions(in: range).count
            let blockSteps = rule.steps(budget: steps / blocks, masked: maskedAtStart)
            passesOfBlock.startBlock()
            if passesOfBlock.mode != .none { cached = nil }  // a cached pass's rows belong to its block
            for j in 0 ..< blockSteps {
                let positions = canvas.maskedPositions(in: range)
                if positions.isEmpty { break }
                if cached?.canvas != canvas.tokens {
                    if passesOfBlock.mode == .none {
                        let conditional = try forward(prompt, canvas.tokens, denoiser)
                        let unconditional = guidance > 0
                            ? try forward([TokenID](repeating: mask, count: prompt.count), canvas.tokens, denoiser) : nil
                        passes += guidance > 0 ? 2 : 1
                        cached = (canvas.tokens, conditional, unconditional, 0)
                    } else {
                        // `LoopOptions.validate` keeps guidance and shifted logits away from cached passes.
                        let pass = try passesOfBlock.logits(prefix: prompt, canvas: canvas.tokens, block: range, denoiser: denoiser)
                        passes += 1
                        cached = (canvas.tokens, pass.logits, nil, pass.firstRow)
                    }
                }
                let (conditional, unconditional, firstRow) = (cached!.conditional, cached!.unconditional, cached!.firstRow)
                var candidates: [Candidate] = []
                candidates.reserveCapacity(positions.count)
                for position in positions {
                    row.withUnsafeMutableBufferPointer { buffer in
                        conditional.withRow(position - firstRow) { c in
                            if let unconditional {
                                unconditional.withRow(position - firstRow) { u in
                                    for v in 0 ..< vocabulary { buffer[v] = Double(u[v] + (guidance + 1) * (c[v] - u[v])) }
                                }
                            } else {
                                for v in 0 ..< vocabulary { buffer[v] = Double(c[v]) }
                            }
                        }
                        for id in suppressed { buffer[id] = -.infinity }
                    }
                    let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                    let value = score.score(proposal, position: position, rng: &rng)
                    candidates.append(Candidate(position: position, token: proposal.token, score: value, pick: proposal))
                }
                let at = BlockStep(step: j, steps: blockSteps, maskedAtStart: maskedAtStart, masked: positions.count)
                let chosen = rule.select(candidates, at: at, rng: &rng)
                for index in chosen {
                    try canvas.commit(candidates[index].position, candidates[index].token, step: stepIndex, sampler: sampler)
                }
                if options.stopAtEOS == true, let first = canvas.tokens.indices.first(where: {
                    !canvas.isMasked($0) && eos.contains(canvas.tokens[$0])
                }), canvas.maskedPositions(in: 0 ..< first).isEmpty {
                    canvas.fill(after: first, with: canvas.tokens[first], step: stepIndex)
                    stopped = true
                }
                try trace?.record(StepTrace(
                    step: stepIndex, positions: chosen.map { candidates[$0].position }, tokens: chosen.map { candidates[$0].token },
                    scores: chosen.map { candidates[$0].score }, canvas: canvas.tokens))
                stepIndex += 1
                if stopped { break }
            }
        }
        return Generation(tokens: canvas.tokens, forwardPasses: passes, steps: stepIndex, commitStep: canvas.commitStep)
    }

    /// One forward pass; with `shift_logits`, position i gets the row of position i−1 (the first canvas position
    /// the row of the last prompt token; with no prompt, its own row as Dream does for position 0).
    func forward(_ prefix: [TokenID], _ canvas: [TokenID], _ denoiser: any Denoiser) throws -> Logits {
        let vocabulary = denoiser.vocabularySize
        var logits: Logits
        if options.shiftLogits == true, let last = prefix.last {
            logits = try denoiser.logits(prefix: Array(prefix.dropLast()), canvas: [last] + canvas, conditioning: nil)
            try check(logits, rows: canvas.count + 1, vocabulary)
            logits = Logits(rows: canvas.count, vocabularySize: vocabulary, values: Array(logits.values.prefix(canvas.count * vocabulary)))
        } else {
            logits = try denoiser.logits(prefix: prefix, canvas: canvas, conditioning: nil)
            try check(logits, rows: canvas.count, vocabulary)
            if options.shiftLogits == true {
                logits = Logits(rows: canvas.count, vocabularySize: vocabulary,
                                values: Array(logits.values.prefix(vocabulary) + logits.values.dropLast(vocabulary)))
            }
        }
        return logits
    }

    func check(_ logits: Logits, rows: Int, _ vocabulary: Int) throws {
        guard logits.rows == rows, logits.vocabularySize == vocabulary else {
            throw SamplerError.unsupportedModel("the denoiser returned \(logits.rows)×\(logits.vocabularySize) logits for \(rows) positions of a \(vocabulary)-token vocabulary")
        }
    }
}

/// A sampler that is three parts on the shared loop: most of the catalogue. It supplies `config`, `pick`, `score`
/// and `rule`; `generate` comes from `MaskedLoop`.
public protocol LoopSampler: Sampler where Config == WithLoop<Parameters> {
    associatedtype Parameters: SamplerConfig
    associatedtype Pick: TokenPick
    associatedtype Score: ConfidenceScore
    associatedtype Rule: TransferRule
    var config: Config { get }
    var pick: Pick { get }
    var score: Score { get }
    var rule: Rule { get }
}

extension LoopSampler {
    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        try MaskedLoop(options: config.loop, sampler: Self.name).run(
            pick: pick, score: score, rule: rule, prompt: prompt, length: length, steps: steps, denoiser: denoiser,
            rng: &rng, trace: trace)
    }
}
