/// Countdown as d1 scores it (github.com/dllm-reasoning/d1, commit 837888f, `eval/parse_and_get_acc.py`
/// `parse_countdown_answers`, with `last_boxed_only_string` and `remove_boxed` of `eval/parser_helper.py`): the data
/// file is d1's `dataset/countdown_cd3_test.jsonl`, `{"input": "30,100,93", "output": "23"}`; the answer is an
/// arithmetic expression that uses each given number exactly once and evaluates to the target.

/// d1's extraction: the last `\boxed{…}` (d1's variants: without one, the whole text), or the `<answer>` tag when
/// the braces do not balance; LaTeX operators as Python's; of an equation, the left side.
public struct D1CountdownExtractor: AnswerExtractor {
    public static let name = "d1_countdown"
    static let answerTag = PythonRegex(#"(?s)<answer>(.*?)</answer>"#)
    static let equation = PythonRegex(#"([0-9+\-*/() ]+)=[0-9. ]+"#)
    public init() {}

    public func extract(_ output: String, _ input: ScoringInput) -> String? {
        var equation: String
        if let boxed = Self.lastBoxedOnly(output), let inside = Self.removeBoxed(boxed) {
            equation = inside
        } else if let tag = Self.answerTag.firstGroup(output) {
            equation = PythonString.strip(tag)
        } else {
            equation = output
        }
        equation = equation.replacingOccurrences(of: "\\div", with: "/").replacingOccurrences(of: "\\times", with: "*")
            .replacingOccurrences(of: "\\cdot", with: "*")
        if let left = Self.equation.firstGroup(equation) { equation = PythonString.strip(left) }
        return equation
    }

    /// d1's `last_boxed_only_string`: as lm-eval's, but the whole text when there is no `\boxed`/`\fbox`.
    static func lastBoxedOnly(_ text: String) -> String? {
        let s = Array(text.unicodeScalars)
        if !MathAnswer.contains(s, Array("\\boxed".unicodeScalars)) && !MathAnswer.contains(s, Array("\\fbox".unicodeScalars)) {
            return text
        }
        return MathAnswer.lastBoxedOnly(text)
    }

    /// d1's `remove_boxed`: the inside of `\boxed{…}`, the text itself when it is not of that shape; nil where the
    /// Python raises (a `\boxed ` that does not start the text).
    static func removeBoxed(_ text: String) -> String? {
        let s = Array(text.unicodeScalars)
        let boxedSpace = Array("\\boxed ".unicodeScalars)
        if MathAnswer.contains(s, boxedSpace) {
            guard s.starts(with: boxedSpace) else { return nil }
            return MathAnswer.string(Array(s.dropFirst(boxedSpace.count)))
        }
        return (try? MathAnswer.removeBoxed(text)) ?? text
    }
}

/// d1's verdict: the expression uses exactly the given numbers (`validate_equation`) and Python evaluates it
/// (`evaluate_equation`: only digits, `+ - * / ( ) .` and white space) to within 1e-5 of the target.
/// The record's `numbers` role is a list or a comma-separated text, `target` a number or its text.
public struct CountdownExpressionScorer: AnswerScorer {
    public static let name = "countdown_expression"
    public static let roles = ["numbers", "target"]
    static let digitRuns = PythonRegex(#"\d+"#)
    static let allowed = PythonRegex(#"^[\d+\-*/().\s]+$"#)
    public init() {}

    public func score(_ answer: String?, _ input: ScoringInput) -> Double {
        guard let answer, let target = input.field("target").flatMap({ Double(PythonString.strip($0.text)) }) else { return 0 }
        let numbers: [Int]
        if let list = input.field("numbers")?.list {
            numbers = list.compactMap { Int($0.text) }
        } else {
            numbers = (input.field("numbers")?.text ?? "").split(separator: ",").compactMap { Int(PythonString.strip(String($0))) }
        }
        let used = Self.digitRuns.findAll(answer).compactMap { $0.first.flatMap { MathAnswer.pythonInt(Array($0.unicodeScalars)) } }
            .compactMap { Int($0) }
        guard used.sorted() == numbers.sorted() else { return 0 }
        guard Self.allowed.firstGroup(answer) != nil, let value = PythonArithmetic.evaluate(PythonString.strip(answer)) else {
            return 0
        }
        return abs(value - target) < 1e-5 ? 1 : 0
    }
}
