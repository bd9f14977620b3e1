// port of https://github.com/omerlux/DUS/blob/main/generate.py (`generate_scheduled` with scheduler='dilated',
// `dilated_unmask_levels`, `merge_last_level`; commit c917168), Luxembourg et al. 2025, "Plan for Speed: Dilated
// Scheduling for Masked Diffusion Language Models", arXiv 2506.19037. Each block of B positions is split into dilated
// levels: stride s = ⌊B / base^base_skip⌋, then s/base, … down to 1, each level the positions at multiples of the stride
// not revealed before, then any leftovers; a last level smaller than the one before is merged into it. One forward
// pass per level commits the proposals of that level's positions (non-adjacent, so nearly independent), about
// log_base(B) passes per block. Optionally (the reference's `remasking`), a committed token of a level other than the
// last whose probability is below `remask_threshold` is re-masked.
// Difference, deliberate (a reference bug, see `DUSDifferenceTests`): the reference never schedules a re-masked
// position again, so with a positive threshold the output keeps mask tokens; here a re-masked position joins the next
// level. The authors' harness defaults `confidence_threshold` to 0 (no re-masking), the default here; their README's
// DUS command passes 0.3, where the reference's output keeps masks (its text decoding then drops them silently).
// Also: mask/pad never proposed; Float64 probabilities; with τ > 0 the re-masking probability is the model's probability
// of the token (the reference reads it from the softmax of the Gumbel-perturbed values); the step budget is unused; no
// stop strings (the canvas has a fixed length). With `cache` (Fast-dLLM, see `CachedBlockPasses`), a block's first level
// is a full pass that fills the KV cache and its later levels run through it (reads and re-masks stay in the block).
// Draws: per pass, the proposals of the level's masked positions in ascending order (V uniforms each when τ > 0).
import DiffusionCore

/// DUS's parameters (`generate_scheduled` as the authors' harness calls it).
public struct DUSParameters: SamplerConfig, Equatable {
    public static let defaultTemperature = 0.0
    public static let defaultBase = 2
    public static let defaultBaseSkip = 1
    public static let defaultRemaskThreshold = 0.0

    public var temperature: Double?
    public var base: Int?
    public var baseSkip: Int?
    public var remaskThreshold: Double?
    public var blockLength: Int?
    public var cache: String?

    enum CodingKeys: String, CodingKey {
        case temperature, base, baseSkip = "base_skip", remaskThreshold = "remask_threshold", blockLength = "block_length", cache
    }

    public init() {}

    public static let parameters = [
        SamplerParameter("temperature", "\(defaultTemperature)", "Gumbel-max temperature of the proposals (0 = argmax)"),
        SamplerParameter("base", "\(defaultBase)", "dilation base: each level halves (base 2) the stride of the one before"),
        SamplerParameter("base_skip", "\(defaultBaseSkip)", "the first stride is block_length / base^base_skip"),
        SamplerParameter("remask_threshold", "\(defaultRemaskThreshold)", "re-mask a committed token below this probability (0 = never)"),
        SamplerParameter("block_length", "none", "semi-autoregressive block length (none = the whole canvas)"),
        LoopOptions.cacheParameter,
    ]

    public func validate() throws {
        if let temperature { try requireParameter(temperature >= 0 && temperature.isFinite, "temperature", temperature, "must be ≥ 0") }
        if let base { try requireParameter(base >= 1, "base", base, "must be ≥ 1") }
        if let baseSkip { try requireParameter(baseSkip >= 1 && baseSkip <= 64, "base_skip", baseSkip, "must be in 1...64") }
        if let remaskThreshold { try requireParameter(remaskThreshold >= 0 && remaskThreshold <= 1, "remask_threshold", remaskThreshold, "must be in [0, 1]") }
        if let blockLength { try requireParameter(blockLength > 0, "block_length", blockLength, "must be positive") }
        try LoopOptions.validateCache(cache)
    }
}

/// The dilated levels of `range` (`dilated_unmask_levels` then `merge_last_level`).
func dilatedLevels(_ range: Range<Int>, base: Int, skip: Int) -> [[Int]] {
    if base == 1 { return [Array(range)] }
    var power = 1
    for _ in 0 ..< skip where power <= range.count { power *= base }  // past the block length the stride is 0 anyway
    var stride = range.count / power
    var levels: [[Int]] = []
    var revealed = Set<Int>()
    while stride >= 1 {
        let level = range.filter { ($0 - range.lowerBound) % stride == 0 && !revealed.contains($0) }
        if !level.isEmpty { levels.append(level); revealed.formUnion(level) }
        stride /= base
    }
    let rest = range.filter { !revealed.contains($0) }
    if !rest.isEmpty { levels.append(rest) }
    if levels.count >= 2, levels[levels.count - 1].count < levels[levels.count - 2].count {
        levels[levels.count - 2] += levels.removeLast()
    }
    return levels
}

/// DUS: one forward pass per dilated level of each block.
public struct DUS: Sampler {
    public static let name = "dus"
    public static let about = SamplerAbout(
        summary: "DUS: unmask each block in dilated levels (stride B/2, B/4, …, 1), one forward pass per level",
        source: "Luxembourg et al. 2025, arXiv 2506.19037; omerlux/DUS generate.py: generate_scheduled (dilated)", revisesTokens: true, stepBudget: .unused)
    public let config: DUSParameters
    public init(_ config: DUSParameters) throws { try config.validate(); self.config = config }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = DUSParameters
        let mask = try BlockCanvas.maskToken(of: denoiser, sampler: Self.name)
        let block = config.blockLength ?? length
        try BlockCanvas.check(length: length, block: block)
        let pick = GumbelPick(temperature: config.temperature ?? D.defaultTemperature)
        let threshold = config.remaskThreshold ?? D.defaultRemaskThreshold
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        var tokens = [TokenID](repeating: mask, count: length)
        var commitStep = [Int](repeating: -1, count: length)
        var row = [Double](repeating: 0, count: vocabulary)
        var (passes, step) = (0, 0)
        var blockPasses = CachedBlockPasses(mode: LoopOptions.mode(config.cache))
        for b in 0 ..< length / block {
            let range = b * block ..< (b + 1) * block
            let levels = dilatedLevels(range, base: config.base ?? D.defaultBase, skip: config.baseSkip ?? D.defaultBaseSkip)
            blockPasses.startBlock()
            var carried: [Int] = []  // re-masked at the level before
            for (index, level) in levels.enumerated() {
                let positions = (level + carried).sorted().filter { commitStep[$0] < 0 }
                if positions.isEmpty { continue }
                let logits = try blockPasses.pass(prefix: prompt, canvas: tokens, block: range, denoiser: denoiser)
                passes += 1
                var committed: [(position: Int, pick: RowPick)] = []
                for position in positions {
                    logits.withRow(position) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    committed.append((position, row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }))
                }
                for c in committed { (tokens[c.position], commitStep[c.position]) = (c.pick.token, step) }
                carried = index < levels.count - 1 ? committed.filter { $0.pick.probability < threshold }.map(\.position) : []
                for position in carried { (tokens[position], commitStep[position]) = (mask, -1) }
                try trace?.record(StepTrace(step: step, positions: committed.map(\.position), tokens: committed.map(\.pick.token),
                                            scores: committed.map(\.pick.probability), canvas: tokens))
                step += 1
            }
        }
        return Generation(tokens: tokens, forwardPasses: passes, steps: step, commitStep: commitStep)
    }
}
