import DiffusionCore
import DiffusionEngine
import Foundation
import Tasks

/// Where a sweep stands, reported after every example (and once before the first).
public struct SweepProgress: Sendable {
    public var runsDone: Int
    public var runsTotal: Int
    /// Examples written in this session, and how many remain to write (skipped ones are not counted).
    public var examplesDone: Int
    public var examplesToDo: Int
    public var secondsElapsed: Double
    /// Mean score of the examples written in this session.
    public var runningAccuracy: Double
    public var currentRun: String
    /// Work in nominal forward passes (the step budgets of the examples), done and to do: the ETA's measure,
    /// since an example at 16 steps costs about 16 times one at 1 step.
    public var workDone: Int
    public var workToDo: Int

    public var examplesPerSecond: Double { secondsElapsed > 0 ? Double(examplesDone) / secondsElapsed : 0 }
    public var secondsLeft: Double? {
        guard workDone > 0, secondsElapsed > 0 else { return nil }
        return Double(workToDo - workDone) * secondsElapsed / Double(workDone)
    }
}

/// What a sweep did.
public struct SweepSummary: Sendable {
    public var runs: Int
    public var examplesWritten: Int
    public var examplesSkipped: Int
    public var seconds: Double
    /// Runs not done because the sampler cannot drive that kind of model ("sampler × model: why").
    public var notApplicable: [String] = []
}

/// Executes the runs of a spec and writes one row per example. Examples already in the database are skipped,
/// so a sweep killed at any moment resumes with nothing lost and nothing duplicated.
public struct SweepRunner {
    public let spec: ExperimentSpec
    public let database: ResultsDatabase
    public var gitCommit = SourceVersion.gitCommit()
    /// Wall-clock limit of one example in seconds (`dlab sweep --timeout`); nil for none. It is checked before each
    /// forward pass (a sampler runs synchronously), so an example can overrun it by at most one forward pass; an
    /// example past it stops the sweep with an `ExampleTimeout` (rows already written stay; rerun with a larger limit).
    public var exampleTimeout: Double?
    /// Examples run together, their forward calls served by one batched pass (nil: chosen from the canvas length,
    /// see `BatchSize.default`; 1: one example at a time). Models that cannot batch run one at a time, and so do
    /// samplers with a block cache (`cache: prefix|dual`) on a model that cannot serve caches in batched passes.
    public var batchSize: Int? = nil
    /// Lanes run at once, each a copy of the model on its own core with its own batched passes (`dlab sweep
    /// --lanes`; 1: one pass at a time). Copies share the mapped weight files; each holds its own activations.
    /// Results do not depend on it (which examples share a pass never changes a token, see `BatchedExamples`).
    public var lanes = 1

    public init(spec: ExperimentSpec, database: ResultsDatabase) {
        self.spec = spec
        self.database = database
    }

    /// Runs the grid (or one shard of it). Examples are walked one at a time (never listed up front), so a grid of
    /// a billion examples starts writing at once and can be stopped at any moment.
    /// - Parameter progress: called before the first example and after each written one.
    @discardableResult
    public func run(shard: Shard? = nil, progress: (SweepProgress) -> Void = { _ in }) throws -> SweepSummary {
        let gridRuns = spec.runs().filter { shard?.contains($0) ?? true }
        var folders: [URL: ModelFolder] = [:]
        for run in gridRuns where folders[run.model.folder] == nil {
            folders[run.model.folder] = try ModelFolder(run.model.folder)
        }
        // A sampler that needs a mask token cannot drive a uniform-state model: skip such pairs, and say so.
        var notApplicable: [String] = []
        let runs = try gridRuns.map { run in
            guard let folder = folders[run.model.folder] else { return run }
            var run = run
            run.sampler = try run.sampler.applyingDefaults(of: folder, catalog: spec.catalog, blockLength: spec.blockLength)
            return run
        }.filter { run in
            guard let kind = folders[run.model.folder]?.denoiser.kind, !run.sampler.sampler.modelKinds.contains(kind) else {
                return true
            }
            let pair = "\(run.sampler.label) × \(run.model.label): needs a \(run.sampler.sampler.modelKinds.map(\.rawValue).sorted().joined(separator: " or ")) model, this one is \(kind.rawValue)"
            if !notApplicable.contains(pair) { notApplicable.append(pair) }
            return false
        }
        try checkLengths(runs, folders: folders)
        let done = try database.existingKeys()
        let doneCounts = Self.countDone(done, of: runs)
        var toDo = 0, work = 0
        for run in runs {
            let pending = run.exampleCount - (doneCounts[run.key] ?? 0)
            toDo = saturatingSum(toDo, pending)
            work = saturatingSum(work, saturatingProduct(run.steps, pending))
        }
        let skipped = runs.reduce(0) { saturatingSum($0, $1.exampleCount) } - toDo
        var state = SweepProgress(runsDone: 0, runsTotal: runs.count, examplesDone: 0, examplesToDo: toDo,
                                  secondsElapsed: 0, runningAccuracy: 0, currentRun: "", workDone: 0, workToDo: work)
        var scoreSum = 0.0
        var laneCopies: [URL: [any Denoiser]] = [:]  // the models of lanes after the first, loaded once per folder
        let start = ContinuousClock.now
        progress(state)
        var remaining: [String: Int] = [:]  // examples still to write per run key, to count the runs done
        for run in runs { remaining[run.key] = run.exampleCount - (doneCounts[run.key] ?? 0) }
        state.runsDone = runs.count(where: { remaining[$0.key] ?? 0 <= 0 })
        func record(_ result: ExampleResult, of run: Run) throws {
            try database.insert(result)
            scoreSum += result.score
            state.examplesDone += 1
            state.workDone = saturatingSum(state.workDone, run.steps)
            state.runningAccuracy = scoreSum / Double(state.examplesDone)
            state.currentRun = "\(run.task.task.name) · \(run.sampler.label) · \(run.budgetText)"
            remaining[run.key, default: 1] -= 1
            if remaining[run.key] == 0 { state.runsDone += 1 }
            state.secondsElapsed = seconds(since: start)
            progress(state)
        }
        for segment in try segments(of: runs, folders: &folders) {
            let (folder, tokenizer) = (segment.folder, segment.tokenizer)
            // Walked lazily, never listed: a run of a billion examples starts at once.
            let examples = segment.runs.lazy.flatMap { run in
                let key = run.key
                return (0 ..< run.task.examples).lazy
                    .flatMap { index in (0 ..< run.repeats).lazy.map { (run, index, $0) } }
                    .filter { !done.contains(ExampleKey(runKey: key, exampleIndex: $0.1, repeatIndex: $0.2)) }
            }
            let pendingCount = segment.runs.reduce(0) { saturatingSum($0, remaining[$1.key] ?? 0) }
            guard pendingCount > 0 else { continue }
            let wanted = segment.batching ? batchSize ?? BatchSize.default(canvas: segment.runs[0].generationLength) : 1
            let laneCount = min(lanes, pendingCount)
            let batch = min(wanted, (pendingCount + laneCount - 1) / max(laneCount, 1))
            if laneCount > 1 || batch > 1 {
                let copies = try laneModels(of: folder, count: laneCount, loaded: &laneCopies)
                try runConcurrently(examples, lanes: copies, batch: batch, folder: folder, tokenizer: tokenizer, record: record)
                continue
            }
            for (run, index, repeatIndex) in examples {
                let result: ExampleResult
                do {
                    result = try generate(run, index: index, repeatIndex: repeatIndex, folder: folder, tokenizer: tokenizer)
                } catch {
                    throw RunError(run: run, exampleIndex: index, underlying: error)
                }
                try record(result, of: run)
            }
        }
        state.secondsElapsed = seconds(since: start)
        progress(state)
        return SweepSummary(runs: runs.count, examplesWritten: state.examplesDone, examplesSkipped: skipped,
                            seconds: state.secondsElapsed, notApplicable: notApplicable)
    }

    /// Consecutive runs whose examples can share batched passes: the same model, canvas length and batching (a
    /// block cache on a model that cannot batch it runs one at a time). A segment's examples form one stream, so
    /// the lanes and batches stay full across the runs of a grid instead of draining at the end of each run.
    func segments(of runs: [Run], folders: inout [URL: ModelFolder]) throws -> [RunSegment] {
        var segments: [RunSegment] = []
        for run in runs {
            let folder = try folders[run.model.folder] ?? ModelFolder(run.model.folder)
            folders[run.model.folder] = folder
            // Runs with a block cache are batched only on a model that serves caches in batched passes.
            let model = folder.denoiser as? any BatchDenoiser
            let batching = model != nil && (!run.sampler.usesBlockCache || model is any BatchBlockCachingDenoiser)
            if let last = segments.last, last.folder.url == folder.url, last.batching == batching,
               last.runs[0].generationLength == run.generationLength {
                segments[segments.count - 1].runs.append(run)
                continue
            }
            guard let tokenizer = folder.tokenizer else {
                throw SamplerSeamError("\(run.model.folder.path): the model has no tokenizer.json")
            }
            segments.append(RunSegment(runs: [run], folder: folder, tokenizer: tokenizer, batching: batching))
        }
        return segments
    }

    /// `count` models of `folder` for concurrent lanes, the copies loaded once per folder (see `ModelLanes`).
    func laneModels(of folder: ModelFolder, count: Int, loaded: inout [URL: [any Denoiser]]) throws -> [any Denoiser] {
        var copies = loaded[folder.url] ?? []
        if copies.count < count - 1 { copies += try ModelLanes.copies(of: folder, count: count - 1 - copies.count) }
        loaded[folder.url] = copies
        return [folder.denoiser] + copies.prefix(count - 1)
    }

    /// Rows already in the database per run key, counting only those inside the run's current examples and repeats.
    static func countDone(_ done: Set<ExampleKey>, of runs: [Run]) -> [String: Int] {
        var runsByKey: [String: Run] = [:]
        for run in runs { runsByKey[run.key] = run }
        var counts: [String: Int] = [:]
        for key in done {
            guard let run = runsByKey[key.runKey], (0 ..< run.task.examples).contains(key.exampleIndex),
                  (0 ..< run.repeats).contains(key.repeatIndex) else { continue }
            counts[key.runKey, default: 0] += 1
        }
        return counts
    }

    /// One example: prompt → tokens → sampler on a counted denoiser → text → score. With a `BatchSlot` as the
    /// denoiser the wall time is the example's own time (not waiting for passes) plus its share of the passes.
    func generate(_ run: Run, index: Int, repeatIndex: Int, folder: ModelFolder, tokenizer: HFTokenizer,
                  denoiser: (any Denoiser)? = nil, batchSize: Int = 1) throws -> ExampleResult
    {
        let task = run.task.task
        let example = task.example(split: run.task.split, index: index, seed: UInt64(bitPattern: Int64(run.task.seed)))
        let prompt = try tokenizer.encodeWithSpecialTokens(example.prompt)
        // One independent random stream per (example, repeat), so results do not depend on the order of work.
        var rng = SeededGenerator(seed: UInt64(bitPattern: Int64(run.seed)),
                                  stream: UInt64(index) << 20 | UInt64(repeatIndex))
        let base = denoiser ?? folder.denoiser
        let timed = exampleTimeout.map { DeadlineDenoiser(base, seconds: $0) } ?? base
        let tracer = spec.trace == .full ? FullTraceRecorder(base: timed) : nil  // `trace: full`, see FullTrace
        let counter = CountingDenoiser(tracer?.tap ?? timed)
        let start = ContinuousClock.now
        let generation = try generateAnswer(run, prompt: prompt, denoiser: counter, tokenizer: tokenizer, rng: &rng, trace: tracer)
        var wall = seconds(since: start)
        if let slot = denoiser as? BatchSlot { wall += slot.passShareSeconds - slot.waitingSeconds }
        let output = tokenizer.decode(generation.tokens, skipSpecial: true)
        let nfe = counter.forwardPasses
        let scores = try task.scores(of: example, output: output)
        var result = ExampleResult(
            runKey: run.key, experiment: spec.name, model: run.model.label, task: task.name, taskVersion: task.version,
            split: run.task.split.rawValue, taskSeed: run.task.seed, exampleIndex: index, sampler: run.sampler.name,
            samplerParameters: run.sampler.parametersJSON, samplerConfig: run.sampler.label,
            stepBudget: run.stepBudget ?? 0, seed: run.seed, repeatIndex: repeatIndex,
            generationLength: run.generationLength, blockLength: run.blockLength, prompt: example.prompt,
            output: output, reference: example.answer, score: scores.primary,
            nfe: nfe, stepsRun: generation.steps,
            tokensPerForward: nfe == 0 ? 0 : Double(generation.tokens.count) / Double(nfe), wallSeconds: wall,
            commitSteps: generation.commitStep, gitCommit: gitCommit, dlabVersion: SourceVersion.diffusionLab,
            scores: scores.entries.count > 1 ? scores.json : nil)
        result.blasCore = BLASRuntime.coreName
        result.blasThreads = BLASRuntime.threads
        result.batchSize = batchSize
        result.cacheMode = counter.cacheMode.rawValue
        result.positionsComputed = counter.positionsComputed > 0 ? counter.positionsComputed : nil
        result.budgetFree = run.stepBudget == nil
        result.trace = try tracer.map { ExampleTrace(try $0.trace(), special: base.specialTokens) }
        if !generation.draftsProposed.isEmpty {
            (result.draftsProposed, result.draftsAccepted) = (generation.draftsProposed, generation.draftsAccepted)
        }
        return result
    }
}

/// Consecutive runs of a sweep served as one stream of examples (see `SweepRunner.segments`).
struct RunSegment {
    var runs: [Run]
    let folder: ModelFolder
    let tokenizer: HFTokenizer
    /// Whether its examples share batched passes.
    let batching: Bool
}

/// An example that could not be generated, named by its run and index.
public struct RunError: Error, CustomStringConvertible {
    public let runKey: String
    public let exampleIndex: Int
    public let underlying: any Error

    init(run: Run, exampleIndex: Int, underlying: any Error) {
        runKey = run.key
        self.exampleIndex = exampleIndex
        self.underlying = underlying
    }

    public var description: String { "run \(runKey), example \(exampleIndex): \(underlying)" }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}
