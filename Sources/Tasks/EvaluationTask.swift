import DiffusionCore

/// Which side of a task's data an example comes from. Train and eval are disjoint by construction: each task
/// assigns every possible problem to exactly one split by a hash of its content.
public enum Split: String, CaseIterable, Codable, Sendable {
    case train
    case eval
}

/// One problem of a task: the prompt the model sees and one reference answer (a task may accept others).
public struct TaskExample: Codable, Equatable, Sendable {
    public let task: String
    public let version: Int
    public let split: Split
    public let index: Int
    public let prompt: String
    public let answer: String

    public init(task: String, version: Int, split: Split, index: Int, prompt: String, answer: String) {
        self.task = task
        self.version = version
        self.split = split
        self.index = index
        self.prompt = prompt
        self.answer = answer
    }
}

/// A built-in evaluation task: a seeded generator with a fixed prompt/answer layout and an exact scorer.
/// (Named `EvaluationTask` so it does not collide with Swift concurrency's `Task`.)
public protocol EvaluationTask: Sendable {
    /// Registry key, used on the command line and in experiment files.
    static var name: String { get }
    /// Bumped whenever the generator, the layout or the scorer changes; recorded with every result.
    var version: Int { get }
    /// Registry key of this task: `Self.name` for a built-in task, the definition's name for a file-backed one.
    var name: String { get }
    /// One line for `dlab tasks list`.
    var summary: String { get }
    /// Characters of every prompt (fixed layout).
    var promptLength: Int { get }
    /// Characters of every answer (fixed layout): the canvas a sampler fills.
    var answerLength: Int { get }
    /// Example `index` of `split` for `seed`; the same arguments always give the same example.
    func example(split: Split, index: Int, seed: UInt64) -> TaskExample
    /// 1 if `output` is a correct answer to `prompt`, else 0 (strict: malformed output scores 0, never traps).
    func score(prompt: String, output: String) -> Double
    /// Every score of `output` (file-backed tasks may define several, e.g. GSM8K strict and flexible); the first is
    /// `score`. Defaults: see `TaskScores.swift`.
    func scores(of example: TaskExample, output: String) throws -> TaskScores
    /// Examples in `split`; nil for generated tasks (as many as asked).
    func exampleCount(split: Split) -> Int?
    /// Generation ends at the first of these strings (file-backed tasks; none for built-in ones).
    var stopStrings: [String] { get }
}

/// The example indices every task accepts: 0 ..< 2⁴⁰ (about 1.1 trillion). Far beyond any real use, and small enough
/// that an index plus a count never overflows and that a sweep's random stream id (index << 20 | repeat) stays
/// distinct per example. Callers check indices from the command line or a spec against it before any arithmetic.
public enum ExampleIndex {
    public static let limit = 1 << 40

    /// `start ..< start + count` clamped to `0 ..< limit`, without overflow for any inputs.
    public static func range(start: Int, count: Int) -> Range<Int> {
        let first = min(max(start, 0), limit)
        return first ..< first + min(max(count, 0), limit - first)
    }
}
