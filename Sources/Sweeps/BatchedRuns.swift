import DiffusionCore
import DiffusionEngine
import Foundation

/// How many examples run together by default.
public enum BatchSize {
    /// About 256 canvas rows per pass (prompts add more), at most 32 examples: enough rows for sgemm to run near
    /// its peak on small models, few enough that a pass stays in cache.
    public static func `default`(canvas: Int) -> Int {
        max(1, min(32, 256 / max(canvas, 1)))
    }
}

/// The models of concurrent lanes: one forward pass at a time runs on a model (it reuses its activation buffers),
/// so each lane after the first gets a copy of the model loaded again from its files (which the copies share:
/// weights are memory-mapped, kept as stored).
public enum ModelLanes {
    public static func copies(of folder: ModelFolder, count: Int) throws -> [any Denoiser] {
        try (0 ..< max(count, 0)).map { _ in
            try ModelFolder(folder.url, requireTokenizer: false, warnings: WarningSink { _ in }).denoiser
        }
    }

    /// Lanes when none are asked for: one per core available to each lane's `threads`.
    public static func `default`(threads: Int) -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount / max(threads, 1))
    }
}

/// Runs examples on threads, each running unchanged sampler code, batched per lane: finished examples are handed to
/// the calling thread, which records them (database row, progress, totals) as they come; the first failure stops
/// the threads from starting new examples and is thrown once all have stopped.
public enum BatchedExamples {
    /// Runs examples on several lanes at once, each lane a model of its own (one forward pass at a time per
    /// model) on its own core: a lane whose model batches runs `batch` examples whose calls its own
    /// `BatchingDenoiser` serves together (`work` gets their `BatchSlot`s); any other lane runs one example at a
    /// time on the model itself. Examples are handed out one by one to whichever thread is free, so the lanes
    /// share the work whatever its cost.
    public static func run<Items: Sequence, Output>(
        _ items: Items, lanes: [any Denoiser], batch: Int,
        work: @escaping (Items.Element, any Denoiser) throws -> Output, record: (Output) throws -> Void
    ) throws {
        var threads: [(denoiser: () -> any Denoiser, batcher: BatchingDenoiser?)] = []
        for model in lanes {
            if batch > 1, let batching = model as? any BatchDenoiser {
                let batcher = BatchingDenoiser(batching)
                threads += Array(repeating: ({ BatchSlot(batcher) }, batcher), count: batch)
            } else {
                threads.append(({ model }, nil))
            }
        }
        let shared = SharedWork<Items.Element, Output>(items: AnyIterator(items.makeIterator()), threads: threads.count)
        for lane in threads {
            lane.batcher?.enter()  // before the thread starts, so the first pass waits for every example
            let thread = Thread {
                defer {
                    lane.batcher?.leave()
                    shared.threadFinished()
                }
                while let item = shared.take() {
                    do {
                        shared.hand(try work(item, lane.denoiser()))
                    } catch {
                        shared.fail(error)
                        return
                    }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        while let finished = shared.waitForOutputs() {
            do {
                for output in finished { try record(output) }
            } catch {
                shared.fail(error)
            }
        }
        if let failure = shared.failure { throw failure }
    }
}

extension SweepRunner {
    /// Examples (of one or several runs of the same model) on `lanes` (one model each), batched within each lane
    /// (see `BatchedExamples`).
    func runConcurrently(
        _ examples: some Sequence<(Run, Int, Int)>, lanes: [any Denoiser], batch: Int, folder: ModelFolder,
        tokenizer: HFTokenizer, record: (ExampleResult, Run) throws -> Void
    ) throws {
        let laneCount = lanes.count
        try BatchedExamples.run(examples, lanes: lanes, batch: batch, work: { example, denoiser in
            let (run, index, repeatIndex) = example
            do {
                var result = try generate(run, index: index, repeatIndex: repeatIndex, folder: folder, tokenizer: tokenizer,
                                          denoiser: denoiser, batchSize: denoiser is BatchSlot ? batch : 1)
                result.lanes = laneCount
                return (result, run)
            } catch {
                throw RunError(run: run, exampleIndex: index, underlying: error)
            }
        }, record: record)
    }
}

/// What the example threads share with the recording thread, guarded by one condition: the next item to take
/// (drawn from a lazy iterator, so a billion pending examples are never listed), finished outputs not yet
/// recorded, threads still running, and the first failure.
private final class SharedWork<Item, Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private let items: AnyIterator<Item>
    private var outputs: [Output] = []
    private var running: Int
    private(set) var failure: (any Error)?

    init(items: AnyIterator<Item>, threads: Int) {
        self.items = items
        running = threads
    }

    /// The next item, or nil when all are taken or something failed.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        guard failure == nil else { return nil }
        return items.next()
    }

    func hand(_ output: Output) {
        condition.lock()
        outputs.append(output)
        condition.signal()
        condition.unlock()
    }

    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.unlock()
    }

    func threadFinished() {
        condition.lock()
        running -= 1
        condition.signal()
        condition.unlock()
    }

    /// Outputs handed since the last call (waiting for some); nil once every thread has finished and all are taken.
    func waitForOutputs() -> [Output]? {
        condition.lock()
        defer { condition.unlock() }
        while outputs.isEmpty && running > 0 { condition.wait() }
        guard !outputs.isEmpty else { return nil }
        defer { outputs = [] }
        return outputs
    }
}
