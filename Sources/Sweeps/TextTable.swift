/// A plain-text table for `dlab report`: a header, a rule, one line per row; columns padded to their widest cell,
/// the columns in `leftAligned` aligned left (names), the rest right (numbers).
func formatTextTable(header: [String], rows: [[String]], leftAligned: Set<Int> = [0, 1]) -> String {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { column, cell in
            let pad = String(repeating: " ", count: widths[column] - cell.count)
            return leftAligned.contains(column) ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
}
