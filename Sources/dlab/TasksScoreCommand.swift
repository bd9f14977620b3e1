import ArgumentParser
import Foundation
import Tasks

/// `dlab tasks score NAME --predictions FILE.jsonl`: scores outputs made elsewhere (another engine, a paper's
/// released generations) with a file-backed task's extractors and scorers.
struct TasksScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score predictions (JSONL) with a file-backed task: one JSON line per prediction, then the totals.",
        discussion: """
            Each line of the predictions file is a JSON object with the model's text under "output" (or \
            "generation") and, optionally, the example's "index" in the task's split (default: the line's position \
            among the predictions). Output: one line per prediction with its extracted answer(s) and score(s), then \
            one line {"totals": …} with the count and the mean of each score. A malformed line is an error naming \
            it; nothing is skipped.
            """)

    @Argument(help: "A file-backed task: a name under Experiments/tasks (or $DLAB_TASKS) or a definition's path.")
    var name: String

    @Option(help: "The predictions, JSONL.")
    var predictions: String

    @Option(help: "Split the indices refer to: eval or train.")
    var split: String = "eval"

    @Flag(name: .customLong("allow-code-execution"), help: "Run the predictions' code (code tasks; sandboxed, see README).")
    var allowCodeExecution = false

    func run() throws {
        let split = try parseSplit(split)
        guard let task = try TaskRegistry.task(named: name, library: .standard, allowCodeExecution: allowCodeExecution)
            as? FileBackedTask
        else { throw ValidationError("'\(name)' is a built-in task; `dlab tasks score` scores file-backed tasks") }
        if task.definition.executesCode && !task.allowCodeExecution { throw ValidationError("\(CodeExecutionError.notAllowed)") }
        let (records, _) = try RecordFile.read(URL(fileURLWithPath: predictions), format: .jsonl)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every line is checked before anything is scored, so a bad file prints no partial results.
        var inputs: [(index: Int, output: String, input: ScoringInput)] = []
        for (position, record) in records.enumerated() {
            guard let output = (record.fields["output"] ?? record.fields["generation"]).flatMap(Self.text) else {
                throw ValidationError("\(record.origin): no text under \"output\" (or \"generation\")")
            }
            var index = position
            if let value = record.fields["index"] {
                guard let number = Int(value.text) else { throw ValidationError("\(record.origin): \"index\" must be a whole number, got \(value.text)") }
                index = number
            }
            do {
                inputs.append((index, output, try task.scoringInput(split: split, index: index)))
            } catch {
                throw ValidationError("\(record.origin): \(error)")
            }
        }
        var sums = [Double](repeating: 0, count: task.definition.scores.count)
        for (index, output, input) in inputs {
            let scores = try task.score(output: output, input: input)
            for (k, entry) in scores.entries.enumerated() { sums[k] += entry.value }
            let line = PredictionLine(index: index, scores: Dictionary(uniqueKeysWithValues: scores.entries.map { ($0.name, $0.value) }),
                                      extracted: Dictionary(uniqueKeysWithValues: scores.entries.map { ($0.name, $0.extracted) }),
                                      reference: input.reference)
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
        }
        var means: [String: Double] = [:]
        for (k, score) in task.definition.scores.enumerated() { means[score.name] = sums[k] / Double(records.count) }
        let totals = Totals(totals: .init(task: task.name, version: task.version, count: records.count, mean: means))
        print(String(decoding: try encoder.encode(totals), as: UTF8.self))
    }

    static func text(_ value: JSONField) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    struct PredictionLine: Encodable {
        var index: Int
        var scores: [String: Double]
        var extracted: [String: String?]
        var reference: String
    }

    struct Totals: Encodable {
        struct Body: Encodable {
            var task: String
            var version: Int
            var count: Int
            var mean: [String: Double]
        }

        var totals: Body
    }
}
