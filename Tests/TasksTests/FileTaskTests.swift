import Foundation
import DiffusionCore
import Testing

@testable import Tasks

/// The shipped task definitions on hand-written files in the benchmarks' exact formats.
struct FileTaskTests {
    @Test("every shipped definition parses", arguments: ["gsm8k", "math500", "mmlu", "mmlu-cot", "countdown3", "sudoku4-d1", "humaneval", "mbpp"])
    func shippedDefinitionsParse(name: String) throws {
        let definition = try TaskDefinition(contentsOf: FileTaskSupport.definitions.appendingPathComponent("\(name).yaml"))
        #expect(definition.name == name)
        let task = try FileTaskSupport.task(name)
        #expect(task.name == name && task.exampleCount(split: .eval)! > 0)
        for index in 0 ..< task.exampleCount(split: .eval)! {
            let example = task.example(split: .eval, index: index, seed: 0)
            #expect(!example.prompt.isEmpty && !example.answer.isEmpty)
        }
    }

    @Test("GSM8K: the harness's 5-shot layout, both scores, stop strings")
    func gsm8k() throws {
        let task = try FileTaskSupport.task("gsm8k")
        let example = task.example(split: .eval, index: 0, seed: 0)
        // Five shots "Question: …\nAnswer: <solution>" separated by blank lines, then the question.
        let blocks = example.prompt.components(separatedBy: "\n\n")
        #expect(blocks.count == 6)
        for shot in blocks.prefix(5) {
            #expect(shot.hasPrefix("Question: ") && shot.contains("\nAnswer: ") && shot.contains("\n#### "))
        }
        #expect(blocks[5].hasPrefix("Question: Natalia sold clips") && blocks[5].hasSuffix("\nAnswer:"))
        // Deterministic, and different examples draw different shots.
        #expect(task.example(split: .eval, index: 0, seed: 9).prompt == example.prompt)
        #expect(task.example(split: .eval, index: 1, seed: 0).prompt.components(separatedBy: "\n\n").prefix(5) != blocks.prefix(5))
        #expect(example.answer.hasSuffix("#### 72"))

        let scores = try task.scores(of: example, output: " She sold 72 clips.\n\nQuestion: How many")
        #expect(scores.entries.map(\.name) == ["strict-match", "flexible-extract"])
        #expect(scores.entries.map(\.value) == [0, 1])
        #expect(scores.entries.map(\.extracted) == ["[invalid]", "72"])
        let both = try task.scores(of: task.example(split: .eval, index: 1, seed: 0), output: " 1000 + 250\n#### 1,250")
        #expect(both.entries.map(\.value) == [1, 1])
        // A stop string ends the answer: the number after it does not count.
        let cut = try task.scores(of: task.example(split: .eval, index: 2, seed: 0), output: " It is 4.\nQuestion: -5 #### -5")
        #expect(cut.entries.map(\.value) == [0, 0])
        #expect(scores.json == #"{"strict-match":0,"flexible-extract":1}"#)
        #expect(task.score(prompt: example.prompt, output: "#### 72") == 1)
        #expect(task.score(prompt: "not a prompt of the task", output: "#### 72") == 0)
    }

    @Test("MATH-500, MMLU, Countdown and Sudoku definitions score their formats")
    func otherFormats() throws {
        let math = try FileTaskSupport.task("math500")
        #expect(try math.scores(of: math.example(split: .eval, index: 0, seed: 0), output: "so \\boxed{(3, \\frac{\\pi}{2})}").primary == 1)
        #expect(try math.scores(of: math.example(split: .eval, index: 1, seed: 0), output: "\\boxed{0.5} no, \\boxed{\\frac12}").primary == 1)
        #expect(try math.scores(of: math.example(split: .eval, index: 1, seed: 0), output: "\\boxed{\\frac12} no, \\boxed{3}").primary == 0)

        let mmlu = try FileTaskSupport.task("mmlu")
        let capital = mmlu.example(split: .eval, index: 0, seed: 0)
        #expect(capital.prompt == "What is the capital of France?\nA. Paris\nB. London\nC. Berlin\nD. Madrid\nAnswer:")
        #expect(capital.answer == "A")
        #expect(try mmlu.scores(of: capital, output: " A").entries.map(\.value) == [1, 0])
        #expect(try mmlu.scores(of: capital, output: " The answer is (A)").entries.map(\.value) == [0, 1])
        let cot = try FileTaskSupport.task("mmlu-cot")
        let capitalCoT = cot.example(split: .eval, index: 0, seed: 0)
        #expect(capitalCoT.prompt.hasSuffix("(A) Paris (B) London (C) Berlin (D) Madrid\nA: Let's think step by step.") && capitalCoT.answer == "(A)")
        #expect(try cot.scores(of: capitalCoT, output: " Paris is the capital. The answer is (A).\nQ: next").entries.map(\.value) == [1, 1])
        let film = mmlu.example(split: .eval, index: 1, seed: 0)
        #expect(try mmlu.scores(of: film, output: "guilty of romance").entries.map(\.value) == [0, 1])

        let countdown = try FileTaskSupport.task("countdown3")
        let problem = countdown.example(split: .eval, index: 1, seed: 0)
        #expect(problem.prompt.hasSuffix("Numbers: [3, 5, 7]\nTarget: 22"))
        #expect(try countdown.scores(of: problem, output: "<answer>\\boxed{3 * 5 + 7}</answer>").primary == 1)
        #expect(try countdown.scores(of: problem, output: "<answer>\\boxed{3 * 7 + 1}</answer>").primary == 0)

        let sudoku = try FileTaskSupport.task("sudoku4-d1")
        let puzzle = sudoku.example(split: .eval, index: 0, seed: 0)
        #expect(puzzle.prompt.hasSuffix("Solve the following Sudoku puzzle: 4013104204313000\n"))
        let solved = try sudoku.scores(of: puzzle, output: "<answer>\n4213\n1342\n2431\n3124\n</answer>")
        #expect(solved.entries.map(\.name) == ["cell-accuracy", "solved"])
        #expect(solved.entries.map(\.value) == [1, 1])
        let half = try sudoku.scores(of: puzzle, output: "<answer>42131342</answer>")
        #expect(half.entries[1].value == 0 && half.entries[0].value > 0 && half.entries[0].value < 1)
    }

    @Test("few-shot draws: k distinct indices, never the excluded one, the same for the same stream")
    func shotDraw() {
        for stream in 0 ..< 200 {
            var rng = SeededGenerator(seed: 1234, stream: UInt64(stream))
            let shots = FileBackedTask.draw(5, from: 9, excluding: stream % 9, rng: &rng)
            #expect(shots.count == 5 && Set(shots).count == 5 && !shots.contains(stream % 9) && shots.allSatisfy { (0 ..< 9).contains($0) })
            var again = SeededGenerator(seed: 1234, stream: UInt64(stream))
            #expect(FileBackedTask.draw(5, from: 9, excluding: stream % 9, rng: &again) == shots)
        }
        var rng = SeededGenerator(seed: 1)
        #expect(Set(FileBackedTask.draw(10, from: 4, excluding: 2, rng: &rng)) == [0, 1, 3])
        #expect(FileBackedTask.draw(3, from: 0, excluding: nil, rng: &rng).isEmpty)
    }

    @Test("JSON values keep their types: text, integers, numbers, booleans, lists")
    func jsonValues() throws {
        let record = try #require(RecordFile.jsonLines(#"{"s": "x", "i": 18, "d": 2.5, "b": true, "n": null, "l": [1, "a"]}"#, file: "f").first)
        #expect(record.fields["s"] == .string("x") && record.fields["i"] == .integer(18) && record.fields["d"] == .number(2.5))
        #expect(record.fields["b"] == .bool(true) && record.fields["n"] == .null && record.fields["l"]?.list?.count == 2)
        #expect(record.fields["i"]?.text == "18" && record.fields["d"]?.text == "2.5")
    }

    @Test("the version hashes the definition and the data: changing either changes it")
    func version() throws {
        let folder = try FileTaskSupport.folder("gsm8k")
        let file = folder.appendingPathComponent("gsm8k.yaml")
        let original = try FileBackedTask(definition: TaskDefinition(contentsOf: file))
        #expect(try FileBackedTask(definition: TaskDefinition(contentsOf: file)).version == original.version)
        let data = folder.appendingPathComponent("data/gsm8k/test.jsonl")
        var text = try String(contentsOf: data, encoding: .utf8)
        text = text.replacingOccurrences(of: "#### 72", with: "#### 73")
        try Data(text.utf8).write(to: data)
        let changedData = try FileBackedTask(definition: TaskDefinition(contentsOf: file))
        #expect(changedData.version != original.version)
        try Data((try String(contentsOf: file, encoding: .utf8) + "\n# a comment\n").utf8).write(to: file)
        #expect(try FileBackedTask(definition: TaskDefinition(contentsOf: file)).version != changedData.version)
        #expect(original.example(split: .eval, index: 0, seed: 0).version == original.version)
    }

    @Test("tasks are found by name in a folder or by path; built-in names come first")
    func library() throws {
        let folder = try FileTaskSupport.folder("gsm8k")
        let library = FileTaskLibrary(folder: folder)
        #expect(library.names == ["gsm8k"])
        #expect(try TaskRegistry.task(named: "gsm8k", library: library).name == "gsm8k")
        #expect(try TaskRegistry.task(named: folder.appendingPathComponent("gsm8k.yaml").path, library: FileTaskLibrary(folder: URL(fileURLWithPath: "/nonexistent"))).name == "gsm8k")
        #expect(try TaskRegistry.task(named: "addition", library: library).name == "addition")
        #expect(throws: UnknownTaskError(name: "gsm9k", known: TaskRegistry.names + ["gsm8k"])) {
            try TaskRegistry.task(named: "gsm9k", library: library)
        }
        let renamed = try FileTaskSupport.folder("other", yaml: FileTaskErrorTests.minimal)
        #expect(throws: TaskDefinitionError.self) { try TaskRegistry.task(named: "other", library: FileTaskLibrary(folder: renamed)) }
        let task = try FileTaskSupport.task("gsm8k")
        #expect(throws: ExampleRangeError(task: "gsm8k", split: .eval, index: 4, count: 4)) {
            try task.checkedExample(split: .eval, index: 4, seed: 0)
        }
        #expect(task.exampleCount(split: .train) == 6)
    }
}
