/// Logits of a block of positions: `rows` rows of `vocabularySize` values, row-major ([rows, V]).
public struct Logits: Sendable {
    public let rows: Int
    public let vocabularySize: Int
    public var values: [Float]  // [rows, V]

    public init(rows: Int, vocabularySize: Int, values: [Float]) {
        precondition(values.count == rows * vocabularySize, "Logits: \(values.count) values for \(rows)×\(vocabularySize)")
        self.rows = rows
        self.vocabularySize = vocabularySize
        self.values = values
    }

    /// The logits of one position as a fresh array.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[index * vocabularySize ..< (index + 1) * vocabularySize]
    }

    /// Calls `body` with the logits of one position, without copying.
    public func withRow<R>(_ index: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[index * vocabularySize ..< (index + 1) * vocabularySize]))
        }
    }
}
