import Testing

@testable import Tasks

/// Scorers: strict (malformed output scores 0 and never traps) and fair (every valid answer scores 1).
struct TaskScoringTests {
    /// Outputs that no task may accept.
    static let garbage = [
        "", "=", "abc", "🙂🙂🙂🙂🙂", String(repeating: "9", count: 200), "-0001", "+++++",
        "99999999999999999999999", "1e3", " 1234", "١٢٣٤٥",
    ]

    @Test("garbage, wrong lengths and a wrong prompt score 0 for every task", arguments: TaskRegistry.names)
    func garbageScoresZero(name: String) throws {
        let task = try TaskRegistry.task(named: name)
        let example = task.example(split: .eval, index: 0, seed: 0)
        for output in Self.garbage + [example.answer + "0", String(example.answer.dropLast()), example.prompt] {
            #expect(task.score(prompt: example.prompt, output: output) == 0, "\(output)")
        }
        for prompt in Self.garbage + [String(example.prompt.dropLast()), "X" + example.prompt.dropFirst()] {
            #expect(task.score(prompt: prompt, output: example.answer) == 0, "\(prompt)")
        }
        // Every single-character corruption of a fixed-layout answer to a letter scores 0.
        for position in 0 ..< example.answer.count {
            var chars = Array(example.answer)
            chars[position] = "A"
            #expect(task.score(prompt: example.prompt, output: String(chars)) == 0)
        }
    }

    @Test("addition and sorting: exact match only")
    func exactMatch() {
        let add = AdditionTask()
        #expect(add.score(prompt: "A8652+2860=", output: "11512") == 1)
        #expect(add.score(prompt: "A8652+2860=", output: "11513") == 0)
        #expect(add.score(prompt: "A8652+2860=", output: "1512") == 0)
        #expect(add.score(prompt: "A0001+0002=", output: "00003") == 1)
        #expect(add.score(prompt: "A0001+0002=", output: "3") == 0)
        #expect(add.score(prompt: "A0001-0002=", output: "00003") == 0)
        let sort = SortingTask()
        #expect(sort.score(prompt: "S20253751=", output: "01223557") == 1)
        #expect(sort.score(prompt: "S20253751=", output: "01223575") == 0)
        #expect(sort.score(prompt: "S20253751=", output: "0122355") == 0)
    }

    @Test("decomp: any a+b=n scores 1, anything else 0")
    func decomp() {
        let task = DecompositionTask()
        for answer in ["014+836", "850+000", "000+850", "425+425", "836+014"] {
            #expect(task.score(prompt: "D850=", output: answer) == 1, "\(answer)")
        }
        for answer in ["014+837", "14+836", "014-836", "014+8360", "0a4+836", "014=836", "+14+836", "850+00 "] {
            #expect(task.score(prompt: "D850=", output: answer) == 0, "\(answer)")
        }
        #expect(task.score(prompt: "D000=", output: "000+000") == 1)
        #expect(task.score(prompt: "D999=", output: "999+000") == 1)
        // Every a in 0…n gives a valid answer.
        let valid = (0 ... 123).filter {
            let answer = Layout.padded($0, width: 3) + "+" + Layout.padded(123 - $0, width: 3)
            return task.score(prompt: "D123=", output: answer) == 1
        }
        #expect(valid.count == 124)
    }

    @Test("countdown: every valid route scores 1, broken ones 0")
    func countdown() {
        let task = CountdownTask()
        let prompt = "C3,5,7>22="
        for answer in ["3*5=15,15+7=22", "5*3=15,15+7=22"] {
            #expect(task.score(prompt: prompt, output: answer) == 1, "\(answer)")
        }
        let broken = [
            "3*5=15,15+7=23",  // wrong target
            "3*5=16,16+6=22",  // first equation false, and 6 not given
            "3*5=15,14+8=22",  // second does not use the first result
            "3*3=09,09+7=16",  // uses 3 twice
            "3*5=15,15+7=22 ",  // too long
            "3*5=15,15+7=2",  // too short
            "3/5=15,15+7=22",  // unknown operator
            "3*5=15;15+7=22",  // wrong separator
            "3*5=15,15+7=022",
            "3x5=15,15+7=22",
        ]
        for answer in broken { #expect(task.score(prompt: prompt, output: answer) == 0, "\(answer)") }
        // Subtraction may reach 0 but never go negative.
        #expect(task.score(prompt: "C3,3,5>05=", output: "3-3=00,00+5=05") == 1)
        #expect(task.score(prompt: "C2,3,9>08=", output: "2-3=01,01+9=08") == 0)
        // A second valid route to a generated target scores 1 as well.
        for answer in ["3*4=12,12+2=14", "4*3=12,12+2=14", "4+3=07,07*2=14", "3+4=07,07*2=14"] {
            #expect(task.score(prompt: "C2,3,4>14=", output: answer) == 1, "\(answer)")
        }
        #expect(task.score(prompt: "C2,3,4>14=", output: "2*4=08,08+3=11") == 0)
    }

    @Test("countdown generation: targets are reachable and answers are often not unique")
    func countdownMultimodal() {
        let task = CountdownTask()
        let examples = task.examples(split: .train, seed: 0, count: 300)
        var multi = 0
        for example in examples {
            let given = example.prompt.dropFirst().prefix(5).compactMap(\.wholeNumberValue)
            var routes = 0
            // Every ordered pair and operator pair, computed here independently of the task's own arithmetic.
            for (i, j) in [(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)] {
                for o1 in "+-*" {
                    for o2 in "+-*" {
                        let k = 3 - i - j
                        let r1 = Self.compute(given[i], o1, given[j])
                        let r2 = Self.compute(r1, o2, given[k])
                        guard (0 ... 99).contains(r1), (0 ... 99).contains(r2) else { continue }
                        let answer = "\(given[i])\(o1)\(given[j])=" + Layout.padded(r1, width: 2) + ","
                            + Layout.padded(r1, width: 2) + "\(o2)\(given[k])=" + Layout.padded(r2, width: 2)
                        routes += Int(task.score(prompt: example.prompt, output: answer))
                    }
                }
            }
            #expect(routes >= 1)
            if routes > 1 { multi += 1 }
        }
        #expect(multi > examples.count / 2)
    }

    static func compute(_ x: Int, _ op: Character, _ y: Int) -> Int {
        op == "+" ? x + y : op == "-" ? x - y : x * y
    }

    @Test("sudoku: a second solution scores 1; a changed given or a broken constraint scores 0")
    func sudoku4Verifier() throws {
        let task = Sudoku4Task()
        let examples = task.examples(split: .train, seed: 5, count: 200)
        let multi = try #require(examples.first { TinySolver.solutionCount(of: $0.prompt) > 1 })
        let other = try #require(TinySolver.solutions(of: multi.prompt).first { $0 != multi.answer })
        #expect(task.score(prompt: multi.prompt, output: other) == 1)
        #expect(task.score(prompt: multi.prompt, output: multi.answer) == 1)

        let givens = Array(multi.prompt.dropFirst().prefix(16))
        let answer = Array(multi.answer)
        // A valid grid that changes a given: some other of the 288 grids differs at a given cell.
        let changed = try #require(
            Sudoku4Task.allGrids.map { $0.map(String.init).joined() }.first { grid in
                zip(Array(grid), zip(givens, answer)).contains { g, pair in pair.0 != "." && g != pair.1 }
            })
        #expect(task.score(prompt: multi.prompt, output: changed) == 0)
        // Break a constraint at a blank cell (givens kept, one row now repeats a digit).
        let blank = try #require(givens.firstIndex(of: "."))
        var broken = answer
        broken[blank] = answer[blank] == "1" ? "2" : "1"
        #expect(task.score(prompt: multi.prompt, output: String(broken)) == 0)
        // Digits outside 1…4, and a digit outside the range in the prompt.
        #expect(task.score(prompt: multi.prompt, output: String(answer.map { $0 == "4" ? "5" : $0 })) == 0)
        #expect(task.score(prompt: "U5" + multi.prompt.dropFirst(2), output: multi.answer) == 0)
        #expect(task.score(prompt: multi.prompt, output: String(repeating: "1", count: 16)) == 0)
    }

    @Test("sudoku9: the reference scores 1; a swapped pair or a changed given scores 0")
    func sudoku9Verifier() throws {
        let task = Sudoku9Task()
        let example = task.example(split: .eval, index: 0, seed: 0)
        #expect(task.score(prompt: example.prompt, output: example.answer) == 1)
        let givens = Array(example.prompt.dropFirst().prefix(81))
        var answer = Array(example.answer)
        // Relabelling digits 1↔2 keeps a valid grid but changes givens.
        let relabelled = String(answer.map { $0 == "1" ? "2" : $0 == "2" ? "1" : $0 })
        #expect(task.score(prompt: example.prompt, output: relabelled) == 0)
        #expect(task.score(prompt: "N" + String(repeating: ".", count: 81) + "=", output: relabelled) == 1)
        // Swapping two blank cells in one row keeps the row a permutation but breaks a column.
        let row = try #require((0 ..< 9).first { r in (0 ..< 9).filter { givens[r * 9 + $0] == "." }.count >= 2 })
        let blanks = (0 ..< 9).map { row * 9 + $0 }.filter { givens[$0] == "." }
        answer.swapAt(blanks[0], blanks[1])
        #expect(task.score(prompt: example.prompt, output: String(answer)) == 0)
        #expect(task.score(prompt: example.prompt, output: String(repeating: "0", count: 81)) == 0)
    }
}
