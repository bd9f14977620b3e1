import DiffusionCore

/// The rules, layout and verifier shared by the Sudoku tasks (4×4 with 2×2 boxes, 9×9 with 3×3 boxes).
///
/// A grid is a flat row-major array of cell values, 1…side, with 0 for a blank. Prompts are the task's marker
/// letter, one character per cell (a digit or `.`), and `=`; answers are the full grid as digits, givens repeated.
struct SudokuBoard: Sendable {
    /// Side of a box: 2 for 4×4, 3 for 9×9.
    let boxSide: Int
    /// The letter that starts every prompt (`U` or `N`).
    let marker: String

    var side: Int { boxSide * boxSide }
    var cellCount: Int { side * side }

    /// Index of the box holding `cell`.
    func box(of cell: Int) -> Int {
        let (row, column) = (cell / side, cell % side)
        return (row / boxSide) * boxSide + column / boxSide
    }

    // MARK: Layout

    // Built from bytes: generation makes ~8 candidate prompts per eval example, so this is on the hot path.
    func prompt(_ puzzle: [Int]) -> String {
        var bytes = Array(marker.utf8)
        bytes.reserveCapacity(cellCount + 2)
        for value in puzzle {
            bytes.append(value == 0 ? UInt8(ascii: ".") : Layout.zero + UInt8(truncatingIfNeeded: value))
        }
        bytes.append(UInt8(ascii: "="))
        return String(decoding: bytes, as: UTF8.self)
    }

    func answer(_ grid: [Int]) -> String {
        String(decoding: grid.map { Layout.zero + UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
    }

    /// The puzzle (0 for blanks) of a well-formed prompt.
    func puzzle(of prompt: String) -> [Int]? {
        guard let bytes = Layout.bytes(prompt, length: cellCount + 2, head: marker, tail: "=") else { return nil }
        var cells: [Int] = []
        cells.reserveCapacity(cellCount)
        for byte in bytes[1 ... cellCount] {
            if byte == UInt8(ascii: ".") {
                cells.append(0)
            } else if let d = Layout.digit(byte), (1 ... side).contains(d) {
                cells.append(d)
            } else {
                return nil
            }
        }
        return cells
    }

    /// `grid` with `blanks` random cells set to 0 (each set of that size equally likely).
    /// A partial Fisher–Yates shuffle: only the first `blanks` positions need drawing.
    func blanking(_ grid: [Int], blanks: Int, rng: inout SeededGenerator) -> [Int] {
        var order = Array(0 ..< cellCount)
        var puzzle = grid
        for i in 0 ..< min(blanks, cellCount) {
            order.swapAt(i, i + rng.nextInt(below: cellCount - i))
            puzzle[order[i]] = 0
        }
        return puzzle
    }

    // MARK: Verifier

    /// 1 if `output` is a complete valid grid that keeps every given of `prompt`'s puzzle, else 0.
    /// A verifier, not an exact match: puzzles may have several solutions and each one scores 1.
    func score(prompt: String, output: String) -> Double {
        guard let puzzle = puzzle(of: prompt), let bytes = Layout.bytes(output, length: cellCount) else { return 0 }
        var grid: [Int] = []
        grid.reserveCapacity(cellCount)
        for byte in bytes {
            guard let d = Layout.digit(byte), (1 ... side).contains(d) else { return 0 }
            grid.append(d)
        }
        for cell in 0 ..< cellCount where puzzle[cell] != 0 && puzzle[cell] != grid[cell] { return 0 }
        return isSolved(grid) ? 1 : 0
    }

    /// Every row, column and box holds each of 1…side exactly once (values assumed in 1…side).
    func isSolved(_ grid: [Int]) -> Bool {
        var rows = [Int](repeating: 0, count: side)
        var columns = rows
        var boxes = rows
        for cell in 0 ..< cellCount {
            let bit = 1 << grid[cell]
            let (r, c, b) = (cell / side, cell % side, box(of: cell))
            if rows[r] & bit != 0 || columns[c] & bit != 0 || boxes[b] & bit != 0 { return false }
            rows[r] |= bit
            columns[c] |= bit
            boxes[b] |= bit
        }
        return true
    }

    // MARK: Search

    /// Depth-first search over the blanks of `puzzle` in cell order. At each cell, `pick(count)` chooses which of
    /// the `count` remaining candidates to try next, by rank in increasing value (always 0 for lexicographic
    /// enumeration, a seeded draw for random grids). `visit` gets each complete grid and returns false to stop.
    /// Bitmasks of used values per row, column and box keep it allocation-free in the inner loop.
    func search(_ puzzle: [Int], pick: (Int) -> Int, visit: ([Int]) -> Bool) {
        var grid = puzzle
        var rows = [Int](repeating: 0, count: side)
        var columns = rows
        var boxes = rows
        for cell in 0 ..< cellCount where grid[cell] != 0 {
            let bit = 1 << grid[cell]
            let (r, c, b) = (cell / side, cell % side, box(of: cell))
            // A puzzle whose givens already clash has no solution.
            if rows[r] & bit != 0 || columns[c] & bit != 0 || boxes[b] & bit != 0 { return }
            rows[r] |= bit
            columns[c] |= bit
            boxes[b] |= bit
        }
        let blanks = (0 ..< cellCount).filter { grid[$0] == 0 }
        let places = blanks.map { ($0 / side, $0 % side, box(of: $0)) }
        let all = ((1 << side) - 1) << 1  // bits 1…side

        // Returns false once `visit` asked to stop.
        func fill(_ k: Int) -> Bool {
            if k == blanks.count { return visit(grid) }
            let (r, c, b) = places[k]
            var remaining = all & ~(rows[r] | columns[c] | boxes[b])
            while remaining != 0 {
                // The `rank`-th lowest set bit of `remaining`: clear the `rank` lowest, take the next.
                var rest = remaining
                for _ in 0 ..< pick(remaining.nonzeroBitCount) { rest &= rest - 1 }
                let bit = rest & -rest
                remaining &= ~bit
                grid[blanks[k]] = bit.trailingZeroBitCount
                rows[r] |= bit
                columns[c] |= bit
                boxes[b] |= bit
                let goOn = fill(k + 1)
                rows[r] &= ~bit
                columns[c] &= ~bit
                boxes[b] &= ~bit
                grid[blanks[k]] = 0
                if !goOn { return false }
            }
            return true
        }
        _ = fill(0)
    }

    /// All solutions of `puzzle`, up to `limit`, in lexicographic order.
    func solutions(of puzzle: [Int], limit: Int = .max) -> [[Int]] {
        var found: [[Int]] = []
        guard limit > 0 else { return found }
        search(puzzle, pick: { _ in 0 }) { grid in
            found.append(grid)
            return found.count < limit
        }
        return found
    }

    /// A random complete grid: backtracking from the empty grid with candidates in seeded random order.
    func randomGrid(rng: inout SeededGenerator) -> [Int] {
        var result: [Int] = []
        var local = rng
        search([Int](repeating: 0, count: cellCount), pick: { local.nextInt(below: $0) }) { grid in
            result = grid
            return false
        }
        rng = local
        return result
    }
}
