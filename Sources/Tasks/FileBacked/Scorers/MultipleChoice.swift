/// Multiple choice (MMLU style) as lm-evaluation-harness scores generated letters (lm-eval 0.4.13 on PyPI).

/// `mmlu/generative` (`_default_template_yaml`, filter `get_response`): the first line of the response, with white
/// space removed around it (regex `^(.*?)(?=\n|$)`, `remove_whitespace`, regex `^(.*?)\s*$`, `take_first`).
public struct MMLUGenerativeExtractor: AnswerExtractor {
    public static let name = "mmlu_generative"
    static let firstLine = HarnessRegexFilter(regex: PythonRegex(#"^(.*?)(?=\n|$)"#), groupSelect: 0)
    static let rightTrim = HarnessRegexFilter(regex: PythonRegex(#"^(.*?)\s*$"#), groupSelect: 0)
    public init() {}
    public func extract(_ output: String, _ input: ScoringInput) -> String? {
        Self.rightTrim.apply(PythonString.strip(Self.firstLine.apply(output)))
    }
}

/// `mmlu_flan_cot_zeroshot`'s `strict-match` (lm_eval/tasks/mmlu/flan_cot_zeroshot/_mmlu_flan_cot_zeroshot_template_yaml):
/// what follows "The answer is ", "answer is ", "The answer: " or "The final answer: " up to the line's last
/// character, first match; `[invalid]` without one.
public struct MMLUFlanStrictExtractor: AnswerExtractor {
    public static let name = "mmlu_flan_strict"
    static let filter = HarnessRegexFilter(
        regex: PythonRegex(#"((?<=The answer is )(.*)(?=.)|(?<=answer is )(.*)(?=.)|(?<=The answer: )(.*)(?=.)|(?<=The final answer: )(.*)(?=.))"#),
        groupSelect: 0)
    public init() {}
    public func extract(_ output: String, _ input: ScoringInput) -> String? { Self.filter.apply(output) }
}

/// `multi_choice_regex` (lm_eval/filters/extraction.py, `MultiChoiceRegexFilter.apply`) with the pattern
/// `(\([A-Z]\))`, `group_select: -1`, `ignore_case` and `ignore_punctuation`, as `mmlu_flan_cot_zeroshot`'s
/// `flexible-extract` uses it: the last `(X)` in the response; else the last choice text found in the normalised
/// response, as its `(X)`; else the last `:` followed by a bare letter, as its `(X)`; else `[invalid]`.
/// The choices are the record's `choices` role (a list).
public struct MultipleChoiceRegexExtractor: AnswerExtractor {
    public static let name = "multiple_choice_regex"
    static let letterInParentheses = PythonRegex(#"(\([A-Z]\))"#)
    public init() {}

    static func normalise(_ text: String) -> String {
        PythonString.removeUnicodePunctuation(PythonString.lower(text))
    }

    public func extract(_ output: String, _ input: ScoringInput) -> String? {
        if let last = Self.letterInParentheses.findAll(output).last?.first, !PythonString.strip(last).isEmpty {
            return PythonString.strip(last)
        }
        let choices = input.field("choices")?.list?.map(\.text) ?? []
        guard choices.count <= 26 else { return HarnessRegexFilter.fallback }
        let letters = choices.indices.map { PromptTemplate.letter($0) }
        // Step 1: the choices' normalised texts, longest first (a stable sort, like Python's), searched literally
        // in the normalised response; the last non-overlapping match wins.
        let texts = choices.map { Self.normalise(PythonString.strip($0)) }
        var choiceToLetter: [String: String] = [:]
        for (text, letter) in zip(texts, letters) { choiceToLetter[text] = "(\(letter))" }
        let order = texts.indices.sorted { i, j in
            let (a, b) = (texts[i].unicodeScalars.count, texts[j].unicodeScalars.count)
            return a != b ? a > b : i < j
        }
        if let match = Self.lastLiteralMatch(of: order.map { texts[$0] }, in: Self.normalise(output)) {
            let stripped = PythonString.strip(match)
            if !stripped.isEmpty { return choiceToLetter[stripped] ?? stripped }
        }
        // Step 2: `:[\s]*(A|B|…)` in the raw response, last match.
        if !letters.isEmpty {
            let bare = PythonRegex(":[\\s]*(" + letters.joined(separator: "|") + ")")
            if let letter = bare.findAll(output).last?.first, !letter.isEmpty { return "(\(letter))" }
        }
        return HarnessRegexFilter.fallback
    }

    /// `re.findall` of an alternation of literal strings (tried in order at each position), last match.
    /// An empty alternative matches everywhere, so the last match is then the empty one at the end (Python ≥ 3.7).
    static func lastLiteralMatch(of alternatives: [String], in text: String) -> String? {
        if alternatives.contains(where: \.isEmpty) { return "" }
        let haystack = Array(text.unicodeScalars)
        let needles = alternatives.map { Array($0.unicodeScalars) }
        var last: [Unicode.Scalar]?
        var i = 0
        while i < haystack.count {
            if let needle = needles.first(where: { i + $0.count <= haystack.count && Array(haystack[i ..< i + $0.count]) == $0 }) {
                last = needle
                i += needle.count
            } else {
                i += 1
            }
        }
        return last.map(MathAnswer.string)
    }
}

/// The harness's `exact_match` with `ignore_case` and `ignore_punctuation` (Python's `string.punctuation`), as the
/// MMLU generative tasks set it: `B.` and `b` both match the target `B`; `(B)` matches `(B)`.
public struct MultipleChoiceExactMatch: AnswerScorer {
    public static let name = "multiple_choice_exact_match"
    public init() {}

    static func normalise(_ text: String) -> String {
        PythonString.removeASCIIPunctuation(PythonString.lower(text))
    }

    public func score(_ answer: String?, _ input: ScoringInput) -> Double {
        guard let answer else { return 0 }
        return Self.normalise(answer) == Self.normalise(input.reference) ? 1 : 0
    }
}
