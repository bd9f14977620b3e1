import Foundation
import Testing

@testable import Tasks

/// Bad task definitions and bad data files: clear errors naming the file, line and key; never a trap, never a
/// silently dropped example.
struct FileTaskErrorTests {
    static let minimal = """
        name: tiny
        data: {eval: data/gsm8k/test.jsonl}
        prompt: {template: "Q: {{question}}", target: "{{answer}}"}
        scores:
          - {extractor: gsm8k_strict, scorer: gsm8k_exact_match}
        """

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func load(_ yaml: String) throws -> FileBackedTask {
        try FileTaskSupport.task("tiny", yaml: yaml)
    }

    @Test("a minimal definition loads")
    func minimalLoads() throws {
        let task = try load(Self.minimal)
        #expect(task.exampleCount(split: .eval) == 4)
        #expect(task.definition.scores.map(\.name) == ["score"])
    }

    @Test("a malformed JSONL line names its file and line; nothing is dropped")
    func malformedLine() throws {
        let folder = try FileTaskSupport.folder("tiny", yaml: Self.minimal)
        let data = folder.appendingPathComponent("data/gsm8k/test.jsonl")
        let good = try String(contentsOf: data, encoding: .utf8)
        try Data((good + "\n{\"question\": \"cut off\", \"answer\n").utf8).write(to: data)
        let definition = try TaskDefinition(contentsOf: folder.appendingPathComponent("tiny.yaml"))
        let text = message { _ = try FileBackedTask(definition: definition) }
        #expect(text.contains("test.jsonl:6: not a JSON object"), "\(text)")
        try Data((good + "[1, 2]\n").utf8).write(to: data)
        #expect(message { _ = try FileBackedTask(definition: definition) }.contains("test.jsonl:5: expected a JSON object"))
        try Data("\n\n".utf8).write(to: data)
        #expect(message { _ = try FileBackedTask(definition: definition) }.contains("holds no records"))
        try FileManager.default.removeItem(at: data)
        #expect(message { _ = try FileBackedTask(definition: definition) }.contains("test.jsonl: cannot read the data file"))
    }

    @Test("a template naming an absent field names the field and the record")
    func absentField() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "{{question}}", with: "{{problem}}")
        let text = message { _ = try load(yaml) }
        #expect(text.contains("test.jsonl:1: the record has no field 'problem'") && text.contains("fields: answer, question"), "\(text)")
        let indexed = message { _ = try load(Self.minimal.replacingOccurrences(of: "{{question}}", with: "{{question[2]}}")) }
        #expect(indexed.contains("'question[2]': the field is not a list"), "\(indexed)")
    }

    @Test("unknown extractors, scorers, filters and keys are named with the known ones")
    func unknownNames() {
        let extractor = message { _ = try load(Self.minimal.replacingOccurrences(of: "gsm8k_strict", with: "gsm8k_strictest")) }
        #expect(extractor.contains("tiny.yaml:5: scores[0].extractor: unknown extractor 'gsm8k_strictest'; known extractors: gsm8k_strict,"), "\(extractor)")
        let scorer = message { _ = try load(Self.minimal.replacingOccurrences(of: "gsm8k_exact_match", with: "exact")) }
        #expect(scorer.contains("unknown scorer 'exact'; known scorers:"), "\(scorer)")
        let filter = message { _ = try load(Self.minimal.replacingOccurrences(of: "{{question}}", with: "{{question|upper}}")) }
        #expect(filter.contains("prompt.template: unknown filter 'upper'"), "\(filter)")
        let key = message { _ = try load(Self.minimal + "\nstops: [x]\n") }
        #expect(key.contains("unknown key 'stops'"), "\(key)")
        let unclosed = message { _ = try load(Self.minimal.replacingOccurrences(of: "{{question}}", with: "{{question")) }
        #expect(unclosed.contains("a '{{' without its '}}'"), "\(unclosed)")
        let syntax = message { _ = try load("name: [unclosed\n") }
        #expect(syntax.contains("tiny.yaml") && syntax.contains("YAML"), "\(syntax)")
        let missing = message { _ = try load("name: tiny\n") }
        #expect(missing.contains("missing key 'data'"), "\(missing)")
    }

    @Test("a scorer's field role must be mapped, and present in every record")
    func roles() throws {
        let unmapped = Self.minimal.replacingOccurrences(of: "{extractor: gsm8k_strict, scorer: gsm8k_exact_match}",
                                                         with: "{extractor: d1_countdown, scorer: countdown_expression}")
        let text = message { _ = try load(unmapped) }
        #expect(text.contains("scorer 'countdown_expression' reads the field role 'numbers'"), "\(text)")
        let absent = message { _ = try load(unmapped + "\nfields: {numbers: nums, target: answer}\n") }
        #expect(absent.contains("test.jsonl:1: no field 'nums'"), "\(absent)")
    }

    @Test("shots need a train file; CSV rows need the header's fields")
    func shotsAndCSV() throws {
        let shots = message { _ = try load(Self.minimal.replacingOccurrences(of: "target: \"{{answer}}\"}", with: "target: \"{{answer}}\", shots: 2}")) }
        #expect(shots.contains("prompt.shots: 2-shot prompts draw their examples from a train file"), "\(shots)")
        let folder = try FileTaskSupport.folder("sudoku4-d1")
        let csv = folder.appendingPathComponent("data/sudoku/4x4_test_sudoku.csv")
        try Data("Puzzle,Solution\n4013104204313000,4213134224313124\n0314140030010002\n".utf8).write(to: csv)
        let text = message { _ = try FileBackedTask(definition: TaskDefinition(contentsOf: folder.appendingPathComponent("sudoku4-d1.yaml"))) }
        #expect(text.contains("4x4_test_sudoku.csv:3: 1 fields, the header has 2"), "\(text)")
    }

    @Test("hostile Countdown answers fail without exhausting the stack")
    func deepExpressions() {
        let input = ScoringInput(reference: "3", record: Record(fields: ["numbers": .string("1,2"), "target": .string("3")], origin: "t"))
        let scorer = CountdownExpressionScorer()
        #expect(scorer.score(String(repeating: "(", count: 100_000) + "1+2" + String(repeating: ")", count: 100_000), input) == 0)
        #expect(scorer.score(String(repeating: "-", count: 100_000) + "1+2", input) == 0)
        #expect(scorer.score("2**" + String(repeating: "-", count: 50_000) + "1+1", input) == 0)
        #expect(scorer.score("((1+2))", input) == 1)
        #expect(PythonArithmetic.evaluate("--1") == 1 && PythonArithmetic.evaluate("2**-1") == 0.5 && PythonArithmetic.evaluate("-2**2") == -4)
        #expect(PythonArithmetic.evaluate("7//2") == 3 && PythonArithmetic.evaluate("-7//2") == -4 && PythonArithmetic.evaluate("1/0") == nil)
        #expect(PythonArithmetic.evaluate("05") == nil && PythonArithmetic.evaluate("00") == 0 && PythonArithmetic.evaluate("05.5") == 5.5)
        #expect(PythonArithmetic.evaluate("2(3)") == nil && PythonArithmetic.evaluate("1 2") == nil && PythonArithmetic.evaluate(".") == nil)
    }

    @Test("the CSV reader handles quotes and CR LF; the JSONL reader CR LF and blank lines")
    func readers() throws {
        let rows = try RecordFile.csvRows("a,b\r\n\"x, \"\"y\"\"\",2\r\n", file: "f.csv")
        #expect(rows.map(\.fields) == [["a": .string("x, \"y\""), "b": .string("2")]])
        #expect(rows.first?.origin == "f.csv:2")
        let lines = try RecordFile.jsonLines("{\"a\": 1}\r\n\r\n{\"a\": [1, \"x\"]}\n", file: "f.jsonl")
        #expect(lines.map(\.origin) == ["f.jsonl:1", "f.jsonl:3"])
        #expect(lines[1].fields["a"]?.text == "[1, \"x\"]")
        #expect(throws: DataFileError(file: "f.csv", line: 2, message: "unterminated quoted field")) {
            try RecordFile.csvRows("a\n\"open\n", file: "f.csv")
        }
    }
}
