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

/// Runs examples on `batch` threads, each running unchanged sampler code on its own `BatchSlot`, their forward
/// calls served together by a `BatchingDenoiser`. Finished examples are handed to the calling thread, which records
/// them (database row, progress, totals) as they come; the first failure stops the threads from starting new
/// examples and is thrown once all have stopped.
public enum BatchedExamples {
    public static func run<Items: Sequence, Output>(
        _ items: Items, batch: Int, model: any BatchDenoiser,
        work: @escaping (Items.Element, BatchSlot) throws -> Output, record: (Output) throws -> Void
    ) throws {
        let batcher = BatchingDenoiser(model)
        let shared = SharedWork<Items.Element, Output>(items: AnyIterator(items.makeIterator()), threads: batch)
        for _ in 0 ..< batch {
            batcher.enter()  // before the thread starts, so the first pass waits for every example
            let thread = Thread {
                defer {
                    batcher.leave()
                    shared.threadFinished()
                }
                while let item = shared.take() {
                    do {
                        shared.hand(try work(item, BatchSlot(batcher)))
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
    /// The examples of one run, batched (see `BatchedExamples`).
    func runBatched(
        _ run: Run, examples: some Sequence<(Int, Int)>, batch: Int, model: any BatchDenoiser, folder: ModelFolder,
        tokenizer: HFTokenizer, record: (ExampleResult) throws -> Void
    ) throws {
        try BatchedExamples.run(examples, batch: batch, model: model, work: { example, slot in
            do {
                return try generate(run, index: example.0, repeatIndex: example.1, folder: folder, tokenizer: tokenizer,
                                    denoiser: slot, batchSize: batch)
            } catch {
                throw RunError(run: run, exampleIndex: example.0, underlying: error)
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
