/// Plain exact match: the answer equals the reference after removing white space around both (for benchmarks
/// with one canonical answer string, and for the built-in tasks' layouts written as files).
public struct ExactMatch: AnswerScorer {
    public static let name = "exact_match"
    public init() {}
    public func score(_ answer: String?, _ input: ScoringInput) -> Double {
        guard let answer else { return 0 }
        return PythonString.strip(answer) == PythonString.strip(input.reference) ? 1 : 0
    }
}
