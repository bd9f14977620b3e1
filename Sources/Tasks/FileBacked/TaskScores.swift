/// Every score of one generation: one entry per score a task defines (GSM8K: `strict-match` and
/// `flexible-extract`), each with the answer its extractor found. The first entry is the task's main score.
public struct TaskScores: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public var name: String
        public var value: Double
        /// What the extractor took as the answer (nil: none found, or a built-in task's whole output).
        public var extracted: String?

        public init(name: String, value: Double, extracted: String? = nil) {
            self.name = name
            self.value = value
            self.extracted = extracted
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// The main score (the first entry).
    public var primary: Double { entries.first?.value ?? 0 }

    /// The scores by name, as one canonical JSON object (`{"flexible-extract":1,"strict-match":0}`), for storing.
    public var json: String {
        "{" + entries.map { "\(JSONField.string($0.name).json):\(Self.number($0.value))" }.joined(separator: ",") + "}"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension EvaluationTask {
    /// Built-in tasks have one score, from `score(prompt:output:)`.
    public func scores(of example: TaskExample, output: String) throws -> TaskScores {
        TaskScores([.init(name: "score", value: score(prompt: example.prompt, output: output))])
    }

    /// Built-in tasks generate as many examples as asked.
    public func exampleCount(split: Split) -> Int? { nil }

    /// Built-in tasks have fixed layouts and no stop strings.
    public var stopStrings: [String] { [] }

    /// Example `index` of `split`, or an error when a file-backed task has fewer examples.
    public func checkedExample(split: Split, index: Int, seed: UInt64) throws -> TaskExample {
        if let count = exampleCount(split: split), !(0 ..< count).contains(index) {
            throw ExampleRangeError(task: name, split: split, index: index, count: count)
        }
        return example(split: split, index: index, seed: seed)
    }
}

/// An example index past the end of a file-backed task's data.
public struct ExampleRangeError: Error, CustomStringConvertible, Equatable {
    public let task: String
    public let split: Split
    public let index: Int
    public let count: Int

    public var description: String {
        "task '\(task)' has \(count) \(split.rawValue) examples (indices 0…\(count - 1)); example \(index) does not exist"
    }
}
