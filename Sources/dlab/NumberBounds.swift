import ArgumentParser
import Tasks

/// The ranges of the command line's numbers, checked before any arithmetic or allocation, so that no value (Int.max,
/// a negative number) can overflow, trap or ask for memory the machine does not have. Every numeric option is
/// declared with `parsing: .unconditional`, so a negative number is read as the option's value (and refused here
/// with the option's name and the value) instead of being taken for another option.
enum NumberBounds {
    /// OpenBLAS threads: 1 ... 256. OpenBLAS builds cap their thread pool at a compile-time maximum (Debian's at 64,
    /// the largest common build at 256); more threads than that are never used, so a larger value is a mistake.
    static let threads = 1 ... 256
    /// Step budgets: 1 ... 2²⁰. A sampler takes at most one forward pass (two with guidance) per step, and no canvas
    /// a model here can hold needs more steps than that.
    static let steps = 1 ... 1 << 20
    /// Canvas lengths before the model is known (the model's own limit is checked once it is loaded).
    static let tokens = 1 ... 1 << 20
    /// Examples run together in one batched pass (`--batch`): each is a thread, so bounded well below what a
    /// machine can start; beyond a few dozen a pass is compute-bound and larger batches gain nothing.
    static let batch = 1 ... 1024
    /// Lanes of a sweep (`--lanes`): each a copy of the model with its own activations and `--batch` threads, one
    /// per core being the point; 64 bounds the threads at 64 × 1024.
    static let lanes = 1 ... 64
    /// Timed repeats of the benchmarks.
    static let repeats = 1 ... 100_000
    /// `--visual-delay` in milliseconds.
    static let visualDelay = 0 ... 10_000
    /// Example indices and counts of the built-in tasks.
    static let exampleIndex = 0 ... ExampleIndex.limit - 1

    /// `value` if it lies in `range`, else a usage error naming the option, the bound and the value.
    @discardableResult
    static func check(_ value: Int, _ option: String, _ range: ClosedRange<Int>) throws -> Int {
        guard value >= range.lowerBound else { throw ValidationError("\(option) must be ≥ \(range.lowerBound), got \(value)") }
        guard value <= range.upperBound else { throw ValidationError("\(option) must be ≤ \(range.upperBound), got \(value)") }
        return value
    }

    /// Checks `--index`/`--start` and `--count` of task examples: both in range, and the last index too.
    static func checkExamples(start: Int, count: Int, startOption: String, countOption: String, minimumCount: Int) throws {
        try check(start, startOption, exampleIndex)
        try check(count, countOption, minimumCount ... ExampleIndex.limit - start)
    }
}
