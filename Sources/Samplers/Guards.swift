import DiffusionCore

/// The contract every sampler, built-in or plug-in, is held to by `Sampler.run`. A breach is a
/// `SamplerError.misbehaved` naming the sampler, never a hang or a trap:
/// - at most `maxForwardPasses` forward passes (default 2·max(steps, length): one per step, two with guidance);
/// - at most `maxSteps` traced steps (default max(steps, length));
/// - at most `stallLimit` forward passes in a row over a canvas that did not change (commits nothing);
/// - every traced position inside the canvas, never traced twice (unless the sampler revises tokens), every traced
///   canvas and the returned canvas exactly `length` long, and the denoiser always given prompt + `length` tokens
///   (1 to `length` canvas tokens for a sampler that declares `SamplerAbout.changesLength`).
/// A sampler that loops forever without calling the denoiser or the trace cannot be stopped from here.
public struct RunLimits: Sendable {
    public var maxForwardPasses: Int?
    public var maxSteps: Int?
    public var stallLimit: Int

    public init(maxForwardPasses: Int? = nil, maxSteps: Int? = nil, stallLimit: Int = 16) {
        self.maxForwardPasses = maxForwardPasses
        self.maxSteps = maxSteps
        self.stallLimit = stallLimit
    }
}

/// Counts forward passes (the measured NFE) and enforces the denoiser side of `RunLimits`.
final class GuardedDenoiser: Denoiser {
    let base: any Denoiser
    let sampler: String, expectedTokens: Int, maxPasses: Int, stallLimit: Int
    /// The prompt length when the canvas may be shorter than `expectedTokens` (`SamplerAbout.changesLength`).
    var variablePrefix: Int?
    private(set) var forwardPasses = 0
    private var lastCanvas: [[TokenID]: [TokenID]] = [:]
    private var unchanged = 0

    init(_ base: any Denoiser, sampler: String, expectedTokens: Int, maxPasses: Int, stallLimit: Int) {
        (self.base, self.sampler, self.expectedTokens, self.maxPasses, self.stallLimit) =
            (base, sampler, expectedTokens, maxPasses, stallLimit)
    }

    var vocabularySize: Int { base.vocabularySize }
    var specialTokens: SpecialTokens { base.specialTokens }
    var kind: DiffusionKind { base.kind }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        try count(prefix: prefix, canvas: canvas)
        return try base.logits(prefix: prefix, canvas: canvas, conditioning: conditioning)
    }

    /// An autoregressive model's prefill or decode is one forward pass, counted and limited like a denoiser call.
    var autoregressive: (any AutoregressiveModel)? {
        base.autoregressive.map { model in CountedAutoregressiveModel(model) { [unowned self] in try countAutoregressivePass() } }
    }

    func countAutoregressivePass() throws {
        forwardPasses += 1
        guard forwardPasses <= maxPasses else {
            throw SamplerError.misbehaved(sampler: sampler, "exceeded its budget of \(maxPasses) forward passes")
        }
    }

    /// Checks one forward pass against the limits and counts it.
    func count(prefix: [TokenID], canvas: [TokenID]) throws {
        let total = prefix.count + canvas.count
        let fits = variablePrefix.map { total > $0 && total <= expectedTokens } ?? (total == expectedTokens)
        guard fits else {
            throw SamplerError.misbehaved(sampler: sampler, "gave the model \(prefix.count) + \(canvas.count) tokens; prompt + canvas is \(expectedTokens)")
        }
        forwardPasses += 1
        guard forwardPasses <= maxPasses else {
            throw SamplerError.misbehaved(sampler: sampler, "exceeded its budget of \(maxPasses) forward passes")
        }
        unchanged = lastCanvas[prefix] == canvas ? unchanged + 1 : 0
        lastCanvas[prefix] = canvas
        guard unchanged < stallLimit else {
            throw SamplerError.misbehaved(sampler: sampler, "committed nothing for \(stallLimit) forward passes in a row")
        }
    }
}

/// Checks each step a sampler traces, then passes it on.
final class GuardedTrace: TraceSink {
    let next: (any TraceSink)?
    let sampler: String, length: Int, maxSteps: Int, revises: Bool
    /// The canvas may be shorter than `length` (`SamplerAbout.changesLength`); positions then move when it grows.
    var variableLength = false
    private var committed: Set<Int> = []
    private var steps = 0

    init(_ next: (any TraceSink)?, sampler: String, length: Int, maxSteps: Int, revises: Bool) {
        (self.next, self.sampler, self.length, self.maxSteps, self.revises) = (next, sampler, length, maxSteps, revises)
    }

    func record(_ step: StepTrace) throws {
        steps += 1
        guard steps <= maxSteps else { throw SamplerError.misbehaved(sampler: sampler, "exceeded its budget of \(maxSteps) steps") }
        guard variableLength ? step.canvas.count >= 1 && step.canvas.count <= length : step.canvas.count == length else {
            throw SamplerError.misbehaved(sampler: sampler, "traced a canvas of \(step.canvas.count) tokens at step \(step.step); the canvas has \(length)")
        }
        for position in step.positions {
            guard position >= 0, position < length else {
                throw SamplerError.misbehaved(sampler: sampler, "committed position \(position), outside the canvas 0..<\(length)")
            }
            guard position < step.canvas.count else {
                throw SamplerError.misbehaved(sampler: sampler, "committed position \(position), outside its canvas 0..<\(step.canvas.count)")
            }
            guard revises || committed.insert(position).inserted else {
                throw SamplerError.misbehaved(sampler: sampler, "committed position \(position) twice")
            }
        }
        try next?.record(step)
    }
}

extension Sampler {
    /// The guards' default budget when `RunLimits` sets none: 2·max(steps, length) forward passes and max(steps, length)
    /// steps. A sampler whose reference legitimately runs longer (editing after a block is full) states its own bound.
    public func runBudget(steps: Int, length: Int) -> (forwardPasses: Int, steps: Int) {
        (2 * max(steps, length), max(steps, length))
    }

    /// `generate` under the guards of `RunLimits`, with the forward passes counted here (the measured NFE).
    public func run(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser, rng: inout SeededGenerator,
                    trace: (any TraceSink)? = nil, limits: RunLimits = RunLimits()) throws -> Generation {
        let budget = runBudget(steps: steps, length: length)
        let guarded = GuardedDenoiser(denoiser, sampler: Self.name, expectedTokens: prompt.count + length,
                                      maxPasses: limits.maxForwardPasses ?? budget.forwardPasses,
                                      stallLimit: Self.about.revisesTokens ? Int.max : limits.stallLimit)
        let sink = GuardedTrace(trace, sampler: Self.name, length: length, maxSteps: limits.maxSteps ?? budget.steps,
                                revises: Self.about.revisesTokens || Self.about.changesLength)
        if Self.about.changesLength { (guarded.variablePrefix, sink.variableLength) = (prompt.count, true) }
        var generation = try generate(prompt: prompt, length: length, steps: steps, denoiser: guarded, rng: &rng, trace: sink)
        let count = generation.tokens.count
        let lengthOK = Self.about.changesLength ? count >= 1 && count <= length : count == length
        guard lengthOK, generation.commitStep.count == generation.tokens.count else {
            throw SamplerError.misbehaved(sampler: Self.name, "returned \(generation.tokens.count) tokens for a canvas of \(length)")
        }
        generation.forwardPasses = guarded.forwardPasses
        return generation
    }
}
