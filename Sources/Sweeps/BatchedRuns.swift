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

extension SweepRunner {
    /// The examples of one run on `batch` threads, each running the unchanged sampler on a `BatchSlot`, their
    /// forward calls served together. Finished examples are handed to the calling thread, which records them
    /// (database row, progress) as they come; the first failure stops the threads from starting new examples and
    /// is thrown once all have stopped.
    func runBatched(
        _ run: Run, examples: [(Int, Int)], batch: Int, model: any BatchDenoiser, folder: ModelFolder,
        tokenizer: HFTokenizer, record: (ExampleResult) throws -> Void
    ) throws {
        let batcher = BatchingDenoiser(model)
        let shared = SharedWork(threads: batch)
        for _ in 0 ..< batch {
            batcher.enter()  // before the thread starts, so the first pass waits for every example
            let thread = Thread {
                defer {
                    batcher.leave()
                    shared.threadFinished()
                }
                while let (index, repeatIndex) = shared.take(from: examples) {
                    do {
                        shared.hand(try generate(run, index: index, repeatIndex: repeatIndex, folder: folder,
                                                 tokenizer: tokenizer, denoiser: BatchSlot(batcher), batchSize: batch))
                    } catch {
                        shared.fail(error is RunError ? error : RunError(run: run, exampleIndex: index, underlying: error))
                        return
                    }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        while let finished = shared.waitForResults() {
            do {
                for result in finished { try record(result) }
            } catch {
                shared.fail(error)
            }
        }
        if let failure = shared.failure { throw failure }
    }
}

/// What the example threads share with the recording thread, guarded by one condition: the next example to take,
/// finished results not yet recorded, threads still running, and the first failure.
private final class SharedWork: @unchecked Sendable {
    private let condition = NSCondition()
    private var next = 0
    private var results: [ExampleResult] = []
    private var running: Int
    private(set) var failure: (any Error)?

    init(threads: Int) {
        running = threads
    }

    /// The next example, or nil when all are taken or something failed.
    func take(from examples: [(Int, Int)]) -> (Int, Int)? {
        condition.lock()
        defer { condition.unlock() }
        guard failure == nil, next < examples.count else { return nil }
        next += 1
        return examples[next - 1]
    }

    func hand(_ result: ExampleResult) {
        condition.lock()
        results.append(result)
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

    /// Results handed since the last call (waiting for some); nil once every thread has finished and all are taken.
    func waitForResults() -> [ExampleResult]? {
        condition.lock()
        defer { condition.unlock() }
        while results.isEmpty && running > 0 { condition.wait() }
        guard !results.isEmpty else { return nil }
        defer { results = [] }
        return results
    }
}
