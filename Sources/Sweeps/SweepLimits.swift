import DiffusionCore
import DiffusionEngine
import Foundation

extension SweepRunner {
    /// Before any example: every (model, task) canvas fits the model (its canvas and its context with the task's
    /// prompt), so a length the model cannot take is refused at once, not after rows of other runs.
    func checkLengths(_ runs: [Run], folders: [URL: ModelFolder]) throws {
        var checked = Set<String>()
        for run in runs where checked.insert("\(run.model.folder.path)|\(run.task.task.name)|\(run.generationLength)").inserted {
            guard let folder = folders[run.model.folder], let tokenizer = folder.tokenizer else { continue }
            let task = run.task.task
            let taskIndex = spec.tasks.firstIndex { $0.task.name == task.name && $0.split == run.task.split && $0.seed == run.task.seed }
            let taskLine = taskIndex.flatMap { spec.taskLines.indices.contains($0) ? spec.taskLines[$0] : nil }
            let taskKey = taskIndex.map { "tasks[\($0)].name" } ?? "tasks"
            let prompt: [TokenID]
            do {
                prompt = try tokenizer.encodeWithSpecialTokens(task.example(split: run.task.split, index: 0, seed: UInt64(bitPattern: Int64(run.task.seed))).prompt)
            } catch {
                throw SpecError(file: spec.file.path, line: taskLine, key: taskKey,
                                message: "model \(run.model.label) cannot encode the prompts of task \(task.name): \(error)")
            }
            do {
                try ModelLimits(folder.denoiser).check(
                    promptTokens: prompt.count, canvasLength: run.generationLength, totalNew: run.generationLength,
                    canvasName: "the generation length", totalName: "the generation length")
            } catch let error as ModelLimitError {
                // Point at the value to change: generation_length, or the task whose answer length it is.
                let (line, key, source) = spec.generationLength != nil
                    ? (spec.generationLengthLine, "generation_length", "generation_length")
                    : (taskLine, taskKey, "the answer length of task \(task.name)")
                throw SpecError(file: spec.file.path, line: line, key: key,
                                message: "model \(run.model.label): \(error) (the length is \(source))")
            }
        }
    }
}

/// An example that ran past `SweepRunner.exampleTimeout`.
public struct ExampleTimeout: Error, CustomStringConvertible, Equatable {
    public let seconds: Double
    public let forwardPasses: Int

    public var description: String {
        "exceeded the time limit of \(seconds) s per example (--timeout) after \(forwardPasses) forward passes; "
            + "the rows written so far are kept: rerun with a larger --timeout to go on"
    }
}

/// Refuses a forward pass once its deadline has passed: the time limit of one example, checked between forward
/// passes (a pass in flight is not interrupted).
final class DeadlineDenoiser: Denoiser {
    let base: any Denoiser
    let seconds: Double
    let deadline: ContinuousClock.Instant
    fileprivate(set) var passes = 0

    init(_ base: any Denoiser, seconds: Double) {
        self.base = base
        self.seconds = seconds
        // Bounded before use (dlab takes at most 10⁶ s), so the Duration never overflows.
        deadline = ContinuousClock.now + .nanoseconds(Int64(min(max(seconds, 0), 1e9) * 1e9))
    }

    var vocabularySize: Int { base.vocabularySize }
    var specialTokens: SpecialTokens { base.specialTokens }
    var kind: DiffusionKind { base.kind }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        try check()
        return try base.logits(prefix: prefix, canvas: canvas, conditioning: conditioning)
    }

    /// The model's optional interfaces, each pass checked against the deadline like `logits`.
    var autoregressive: (any AutoregressiveModel)? {
        base.autoregressive.map { model in CountedAutoregressiveModel(model) { [unowned self] in try check() } }
    }

    var shadowBlock: (any ShadowBlockModel)? {
        base.shadowBlock.map { model in CountedShadowBlock(model) { [unowned self] _, _ in try check() } }
    }

    private func check() throws {
        guard ContinuousClock.now < deadline else { throw ExampleTimeout(seconds: seconds, forwardPasses: passes) }
        passes += 1
    }
}

/// Sums and products of counts that saturate at Int.max instead of trapping (progress and ETA only).
func saturatingSum(_ a: Int, _ b: Int) -> Int {
    let (value, overflow) = a.addingReportingOverflow(b)
    return overflow ? Int.max : value
}

func saturatingProduct(_ a: Int, _ b: Int) -> Int {
    let (value, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? Int.max : value
}

extension DeadlineDenoiser: BlockCachingDenoiser {
    /// The refresh pass and every cached pass of a block are refused past the deadline, like `logits`.
    func beginBlock(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws
        -> (logits: Logits, cache: any BlockCache) {
        guard ContinuousClock.now < deadline else { throw ExampleTimeout(seconds: seconds, forwardPasses: passes) }
        passes += 1
        let started = try beginCachedBlock(on: base, prefix: prefix, canvas: canvas, block: block, mode: mode)
        return (started.logits, CountedBlockCache(started.cache) { [unowned self] _ in
            guard ContinuousClock.now < deadline else { throw ExampleTimeout(seconds: seconds, forwardPasses: passes) }
            passes += 1
        })
    }
}
