import DiffusionCore

/// `sudoku4`: complete a 4×4 Sudoku, `U32.44.2..3...4..=` style prompt (16 cells, `.` blank) → 16 digits.
///
/// The grid is drawn uniformly from all 288 valid 4×4 grids, found by enumeration: permuting digits, bands,
/// rows, stacks and columns of one grid (plus transposing) reaches only 96 of them, because there are two
/// essentially different 4×4 grids (tiny-model-spike §8). Then 6–12 cells, uniformly many, are blanked.
/// Puzzles may have several solutions (about 40% do), which is wanted: the answer is multimodal, so one parallel
/// step mixes solutions and the step count matters. Scored by a verifier, never by exact match.
public struct Sudoku4Task: EvaluationTask {
    public static let name = "sudoku4"
    public let version = 1
    public let summary = "complete a 4x4 sudoku, 6-12 blanks: U + 16 cells (. blank) + = -> 16 digits (any valid)"
    public let promptLength = 18
    public let answerLength = 16

    static let board = SudokuBoard(boxSide: 2, marker: "U")
    /// Every valid 4×4 grid, in lexicographic order (288 of them).
    static let allGrids: [[Int]] = board.solutions(of: [Int](repeating: 0, count: 16))

    public init() {}

    public func example(split: Split, index: Int, seed: UInt64) -> TaskExample {
        drawExample(split: split, index: index, seed: seed) { rng in
            let grid = Self.allGrids[rng.nextInt(below: Self.allGrids.count)]
            let puzzle = Self.board.blanking(grid, blanks: 6 + rng.nextInt(below: 7), rng: &rng)
            return (Self.board.prompt(puzzle), Self.board.answer(grid))
        }
    }

    public func score(prompt: String, output: String) -> Double {
        Self.board.score(prompt: prompt, output: output)
    }
}
