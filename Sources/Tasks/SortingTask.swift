import DiffusionCore

/// `sorting`: sort 8 digits ascending, `S20253751=` → `01223557`.
///
/// One right answer whose positions are nearly independent order statistics: a control task with a flat curve.
public struct SortingTask: EvaluationTask {
    public static let name = "sorting"
    public let version = 1
    public let summary = "sort 8 digits ascending: S20253751= -> 01223557 (exact match)"
    public let promptLength = 10
    public let answerLength = 8

    public init() {}

    public func example(split: Split, index: Int, seed: UInt64) -> TaskExample {
        drawExample(split: split, index: index, seed: seed) { rng in
            let digits = (0 ..< 8).map { _ in rng.nextInt(below: 10) }
            return ("S" + Self.text(digits) + "=", Self.text(digits.sorted()))
        }
    }

    public func score(prompt: String, output: String) -> Double {
        guard let bytes = Layout.bytes(prompt, length: 10, head: "S", tail: "=") else { return 0 }
        let digits = bytes[1 ..< 9].compactMap(Layout.digit)
        guard digits.count == 8 else { return 0 }
        return output == Self.text(digits.sorted()) ? 1 : 0
    }

    static func text(_ digits: [Int]) -> String {
        digits.map(String.init).joined()
    }
}
