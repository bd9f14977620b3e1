import DiffusionCore

/// `sudoku9`: complete a 9×9 Sudoku, prompt `N` + 81 cells (`.` blank) + `=` → 81 digits.
///
/// The full grid comes from seeded backtracking (random candidate order per cell), then 30–50 cells, uniformly
/// many, are blanked. No uniqueness check: puzzles with many blanks may have several solutions, and the
/// verifier accepts each. A harder variant for models beyond the tiny ones.
public struct Sudoku9Task: EvaluationTask {
    public static let name = "sudoku9"
    public let version = 1
    public let summary = "complete a 9x9 sudoku, 30-50 blanks: N + 81 cells (. blank) + = -> 81 digits (any valid)"
    public let promptLength = 83
    public let answerLength = 81

    static let board = SudokuBoard(boxSide: 3, marker: "N")

    public init() {}

    public func example(split: Split, index: Int, seed: UInt64) -> TaskExample {
        // The full grid is the costly part, so a candidate rejected for its split keeps the grid and redraws only
        // the blanks. Every grid has about the same share of eval blank patterns, so this barely changes the
        // distribution, and it makes eval generation about as fast as train.
        var grid: [Int] = []
        return drawExample(split: split, index: index, seed: seed) { rng in
            if grid.isEmpty { grid = Self.board.randomGrid(rng: &rng) }
            let puzzle = Self.board.blanking(grid, blanks: 30 + rng.nextInt(below: 21), rng: &rng)
            return (Self.board.prompt(puzzle), Self.board.answer(grid))
        }
    }

    public func score(prompt: String, output: String) -> Double {
        Self.board.score(prompt: prompt, output: output)
    }
}
