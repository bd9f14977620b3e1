/// Sudoku as d1 poses and scores it (github.com/dllm-reasoning/d1, commit 837888f): the data file is d1's
/// `dataset/4x4_test_sudoku.csv` (`Puzzle,Solution`, 16 digits each, `0` for a blank); the answer is pulled out
/// as `parse_sudoku_answers` in `eval/parse_and_get_acc.py` does.

/// d1's extraction: the first of five patterns that yields text (an `<answer>` code block, the `<answer>` tag, text
/// after `</answer>`, 16 digits before `</answer>`, any 16-digit word), white space removed, then padded with `0` or
/// cut to the grid's size (the puzzle role's length; d1's grids have 16 cells).
public struct D1SudokuExtractor: AnswerExtractor {
    public static let name = "d1_sudoku"
    static let patterns = [
        #"(?s)<answer>.*?```\s*([\d\s]+)```"#,
        #"(?s)<answer>(.*?)(?:<\|eot_id\|>|<\|endoftext\|>|</answer>)"#,
        #"(?s)</answer>\s*(.*?)(?:<\|eot_id\|>|<\|endoftext\|>|$)"#,
        #"(?s).*?(\d{16})\s*</answer>"#,
        #"(?s)\b(\d{16})\b"#,
    ].map(PythonRegex.init)
    static let whiteSpace = PythonRegex(#"\s"#)
    public init() {}

    public func extract(_ output: String, _ input: ScoringInput) -> String? {
        for pattern in Self.patterns {
            if let group = pattern.firstGroup(output), !PythonString.strip(group).isEmpty {
                let size = input.field("puzzle")?.text.unicodeScalars.count ?? 16
                var cells = Array(Self.whiteSpace.removeAll(PythonString.strip(group)).unicodeScalars)
                if cells.count < size { cells += Array(repeating: "0", count: size - cells.count) }
                return MathAnswer.string(Array(cells.prefix(size)))
            }
        }
        return nil
    }
}

/// d1's score: the share of the puzzle's blank cells that the answer fills as the reference solution does. d1 reports the total over a file (correct cells over
/// blank cells); the mean of this per-example score weights puzzles equally instead.
public struct SudokuCellAccuracy: AnswerScorer {
    public static let name = "sudoku_cell_accuracy"
    public static let roles = ["puzzle"]
    public init() {}

    public func score(_ answer: String?, _ input: ScoringInput) -> Double {
        let puzzle = Array((input.field("puzzle")?.text ?? "").unicodeScalars)
        let solution = Array(input.reference.unicodeScalars)
        let blanks = puzzle.indices.filter { puzzle[$0] == "0" }
        guard let answer, !answer.isEmpty, !blanks.isEmpty else { return 0 }
        let cells = Array(answer.unicodeScalars)
        let correct = blanks.filter { $0 < cells.count && $0 < solution.count && cells[$0] == solution[$0] }.count
        return Double(correct) / Double(blanks.count)
    }
}

/// The built-in Sudoku verifier on d1's puzzles: 1 if the answer is a complete valid grid that keeps every given,
/// whichever solution it is.
public struct SudokuSolved: AnswerScorer {
    public static let name = "sudoku_solved"
    public static let roles = ["puzzle"]
    public init() {}

    public func score(_ answer: String?, _ input: ScoringInput) -> Double {
        let puzzle = input.field("puzzle")?.text ?? ""
        guard let answer else { return 0 }
        let board: SudokuBoard
        switch puzzle.unicodeScalars.count {
        case 16: board = Sudoku4Task.board
        case 81: board = Sudoku9Task.board
        default: return 0
        }
        let prompt = board.marker + String(puzzle.map { $0 == "0" ? "." : $0 }) + "="
        return board.score(prompt: prompt, output: answer)
    }
}
