import Foundation
import Testing

@testable import Tasks

/// Pinned outputs: the exported training data and recorded results depend on them, so a change here means
/// the generator changed and the task's `version` must be bumped.
struct TaskFormatTests {
    static let golden: [(task: String, split: Split, seed: UInt64, index: Int, prompt: String, answer: String)] = [
        ("addition", .eval, 0, 0, "A9429+3891=", "13320"),
        ("addition", .train, 3, 5, "A1529+3023=", "04552"),
        ("sorting", .eval, 0, 0, "S99049259=", "02459999"),
        ("sudoku4", .eval, 0, 0, "U.1433.1...244..1=", "2143341213244231"),
        ("sudoku4", .train, 3, 5, "U4.2....1123.3...=", "4123234112343412"),
        (
            "sudoku9", .eval, 0, 0,
            "N3.78.6.1.258......6.4..723896128.4..723.4589.48...932.5..6..14287.49...3...5..789=",
            "397826514258314967614957238961283475723145896485769321539678142872491653146532789"
        ),
        ("decomp", .eval, 0, 0, "D290=", "261+029"),
        ("decomp", .train, 3, 5, "D671=", "590+081"),
        ("countdown", .eval, 0, 0, "C2,2,5>14=", "2+5=07,07*2=14"),
        ("countdown", .train, 3, 5, "C2,4,5>30=", "4+2=06,06*5=30"),
    ]

    @Test("pinned examples are unchanged (bump the task version if this fails on purpose)")
    func goldenExamples() throws {
        for g in Self.golden {
            let example = try TaskRegistry.task(named: g.task).example(split: g.split, index: g.index, seed: g.seed)
            #expect(example.prompt == g.prompt && example.answer == g.answer, "\(g.task)")
        }
    }

    @Test("JSONL line format used by `dlab tasks export` and the training scripts")
    func jsonLine() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let example = DecompositionTask().example(split: .eval, index: 0, seed: 0)
        let line = String(decoding: try encoder.encode(example), as: UTF8.self)
        #expect(
            line == #"{"answer":"261+029","index":0,"prompt":"D290=","split":"eval","task":"decomp","version":1}"#)
        #expect(try JSONDecoder().decode(TaskExample.self, from: Data(line.utf8)) == example)
    }

    @Test("sudoku blank counts stay in their ranges and cover them")
    func blankCounts() {
        for (task, range) in [(Sudoku4Task() as any EvaluationTask, 6 ... 12), (Sudoku9Task(), 30 ... 50)] {
            let counts = task.examples(split: .train, seed: 0, count: 400).map { $0.prompt.filter { $0 == "." }.count }
            #expect(counts.allSatisfy(range.contains))
            #expect(Set(counts) == Set(range))
        }
    }
}
