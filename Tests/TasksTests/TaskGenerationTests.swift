import Testing

@testable import Tasks

/// Generators: determinism, fixed layouts and character set, reference answers, disjoint splits.
struct TaskGenerationTests {
    /// Any start and count give a range inside the accepted indices, without overflow.
    @Test func exampleRangesAreClampedWithoutOverflow() {
        #expect(ExampleIndex.range(start: Int.max, count: Int.max) == ExampleIndex.limit ..< ExampleIndex.limit)
        #expect(ExampleIndex.range(start: -5, count: 3) == 0 ..< 3)
        #expect(ExampleIndex.range(start: ExampleIndex.limit - 2, count: 10) == ExampleIndex.limit - 2 ..< ExampleIndex.limit)
        #expect(AdditionTask().examples(split: .eval, seed: 0, count: 5, start: Int.max).isEmpty)
    }

    static let tasks = TaskRegistry.all
    static let allowed = Set("0123456789+-*=,.>ASUNDC")

    @Test("registry lookup finds every task and rejects unknown names with the known list")
    func registry() throws {
        #expect(TaskRegistry.names == ["addition", "sorting", "sudoku4", "sudoku9", "decomp", "countdown"])
        for name in TaskRegistry.names { #expect(try TaskRegistry.task(named: name).name == name) }
        #expect(throws: UnknownTaskError(name: "nope", known: TaskRegistry.names)) {
            try TaskRegistry.task(named: "nope")
        }
        let message = String(describing: UnknownTaskError(name: "nope", known: TaskRegistry.names))
        #expect(message.contains("sudoku4") && message.contains("nope"))
    }

    @Test("same seed and index give the same example; index and seed change it", arguments: tasks.map(\.name))
    func determinism(name: String) throws {
        let task = try TaskRegistry.task(named: name)
        for split in Split.allCases {
            let first = task.examples(split: split, seed: 7, count: 20)
            #expect(first == task.examples(split: split, seed: 7, count: 20))
            // Example i does not depend on how many were asked for.
            #expect(task.examples(split: split, seed: 7, count: 5, start: 10) == Array(first[10 ..< 15]))
            #expect(task.example(split: split, index: 3, seed: 7) == first[3])
            let other = task.examples(split: split, seed: 8, count: 20)
            #expect(Set(first.map(\.prompt)) != Set(other.map(\.prompt)))
            #expect(Set(first.map(\.prompt)).count > 1)
        }
    }

    @Test("layout, character set and metadata of every example", arguments: tasks.map(\.name))
    func layout(name: String) throws {
        let task = try TaskRegistry.task(named: name)
        #expect(task.version == 1)
        for split in Split.allCases {
            for (i, example) in task.examples(split: split, seed: 1, count: 200).enumerated() {
                #expect(example.task == name && example.version == task.version)
                #expect(example.split == split && example.index == i)
                #expect(example.prompt.utf8.count == task.promptLength)
                #expect(example.answer.utf8.count == task.answerLength)
                #expect(Set(example.prompt + example.answer).isSubset(of: Self.allowed))
                #expect(SplitAssignment.split(of: example.prompt) == split)
            }
        }
    }

    @Test("reference answers score 1", arguments: tasks.map(\.name))
    func referenceAnswers(name: String) throws {
        let task = try TaskRegistry.task(named: name)
        for split in Split.allCases {
            for example in task.examples(split: split, seed: 3, count: 500) {
                #expect(task.score(prompt: example.prompt, output: example.answer) == 1, "\(example)")
            }
        }
    }

    @Test("train and eval prompts are disjoint", arguments: tasks.map(\.name))
    func disjointSplits(name: String) throws {
        let task = try TaskRegistry.task(named: name)
        let train = Set(task.examples(split: .train, seed: 0, count: 2000).map(\.prompt))
        let eval = task.examples(split: .eval, seed: 0, count: 500).map(\.prompt)
        #expect(eval.allSatisfy { !train.contains($0) })
        // Other seeds do not leak either: the split is a property of the prompt.
        let moreTrain = Set(task.examples(split: .train, seed: 42, count: 2000).map(\.prompt))
        #expect(eval.allSatisfy { !moreTrain.contains($0) })
    }

    @Test("the split hash is stable and sends about one problem in eight to eval")
    func splitHash() {
        // FNV-1a 64 reference values.
        #expect(SplitAssignment.fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(SplitAssignment.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
        let evalCount = (0 ..< 10_000).filter { n in
            SplitAssignment.split(of: AdditionTask.prompt(n, 9_999 - n)) == .eval
        }.count
        #expect((1_000 ... 1_500).contains(evalCount))
        let decompEval = (0 ..< 1000).filter {
            SplitAssignment.split(of: "D" + Layout.padded($0, width: 3) + "=") == .eval
        }
        #expect((80 ... 170).contains(decompEval.count))
    }

    @Test("sudoku4 enumeration finds exactly the 288 valid grids")
    func sudoku4Enumeration() {
        let grids = Sudoku4Task.allGrids
        #expect(grids.count == 288)
        #expect(Set(grids).count == 288)
        #expect(grids.allSatisfy { Sudoku4Task.board.isSolved($0) })
    }

    @Test("sudoku4 grids are drawn from all 288, not from one symmetry class")
    func sudoku4Coverage() {
        let answers = Set(Sudoku4Task().examples(split: .train, seed: 0, count: 5000).map(\.answer))
        #expect(answers.count > 250)
    }

    @Test("many sudoku4 puzzles have more than one solution")
    func sudoku4Multimodal() {
        let examples = Sudoku4Task().examples(split: .eval, seed: 0, count: 500)
        let counts = examples.map { TinySolver.solutionCount(of: $0.prompt) }
        #expect(counts.allSatisfy { $0 >= 1 })
        let multi = Double(counts.filter { $0 > 1 }.count) / Double(counts.count)
        #expect(multi > 0.25 && multi < 0.75, "fraction with several solutions: \(multi)")
    }
}

/// An independent brute-force 4×4 solver (no shared code with the task), to check the generator's claims.
enum TinySolver {
    static func solutions(of prompt: String) -> [String] {
        let cells = Array(prompt.dropFirst().prefix(16))
        var grid = cells.map { $0 == "." ? 0 : Int(String($0)) ?? 0 }
        var found: [String] = []
        func ok(_ cell: Int, _ v: Int) -> Bool {
            let (r, c) = (cell / 4, cell % 4)
            for k in 0 ..< 4 where grid[r * 4 + k] == v || grid[k * 4 + c] == v { return false }
            let (br, bc) = (r / 2 * 2, c / 2 * 2)
            for dr in 0 ..< 2 { for dc in 0 ..< 2 where grid[(br + dr) * 4 + bc + dc] == v { return false } }
            return true
        }
        func go(_ cell: Int) {
            if cell == 16 { found.append(grid.map(String.init).joined()); return }
            if grid[cell] != 0 { go(cell + 1); return }
            for v in 1 ... 4 where ok(cell, v) {
                grid[cell] = v
                go(cell + 1)
                grid[cell] = 0
            }
        }
        go(0)
        return found
    }

    static func solutionCount(of prompt: String) -> Int { solutions(of: prompt).count }
}
