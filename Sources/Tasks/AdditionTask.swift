import DiffusionCore

/// `addition`: 4-digit + 4-digit addition, `A8652+2860=` → `11512`.
///
/// Operands are zero-padded to 4 digits and the sum to 5, most significant digit first, so every example has the
/// same layout. One right answer: the carry chain couples the digits, yet a small model solves it in one step
/// (DESIGN §5), which makes it the flat control curve.
public struct AdditionTask: EvaluationTask {
    public static let name = "addition"
    public let version = 1
    public let summary = "4+4-digit addition, zero-padded: A8652+2860= -> 11512 (exact match)"
    public let promptLength = 11
    public let answerLength = 5

    public init() {}

    public func example(split: Split, index: Int, seed: UInt64) -> TaskExample {
        drawExample(split: split, index: index, seed: seed) { rng in
            let a = rng.nextInt(below: 10_000)
            let b = rng.nextInt(below: 10_000)
            return (Self.prompt(a, b), Layout.padded(a + b, width: 5))
        }
    }

    public func score(prompt: String, output: String) -> Double {
        guard let (a, b) = Self.operands(of: prompt) else { return 0 }
        return output == Layout.padded(a + b, width: 5) ? 1 : 0
    }

    static func prompt(_ a: Int, _ b: Int) -> String {
        "A" + Layout.padded(a, width: 4) + "+" + Layout.padded(b, width: 4) + "="
    }

    /// The two operands of a well-formed prompt.
    static func operands(of prompt: String) -> (Int, Int)? {
        guard let bytes = Layout.bytes(prompt, length: 11, head: "A", tail: "="), bytes[5] == UInt8(ascii: "+"),
            let a = Layout.number(bytes[1 ..< 5]), let b = Layout.number(bytes[6 ..< 10])
        else { return nil }
        return (a, b)
    }
}
