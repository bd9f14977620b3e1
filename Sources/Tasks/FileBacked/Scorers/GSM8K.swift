/// GSM8K as lm-evaluation-harness scores it: task `gsm8k` (lm_eval/tasks/gsm8k/gsm8k.yaml, metadata version 3.0;
/// checked against lm-eval 0.4.13 from PyPI). Two filters, each a `regex` filter (lm_eval/filters/extraction.py,
/// `RegexFilter.apply`) then `take_first`, and one metric, `exact_match` (lm_eval/api/metrics.py,
/// `exact_match_hf_evaluate`) with `ignore_case`, and `regexes_to_ignore` `,` `\$` `(?s).*#### ` `\.$`.

/// The harness's `RegexFilter`: `re.findall`, then the `group_select`-th match (negative counts from the end); of a
/// match with several groups, the first non-empty one; stripped; `[invalid]` when nothing matches.
struct HarnessRegexFilter: Sendable {
    let regex: PythonRegex
    let groupSelect: Int
    static let fallback = "[invalid]"

    func apply(_ response: String) -> String {
        let matches = regex.findAll(response)
        guard !matches.isEmpty else { return Self.fallback }
        let index = groupSelect < 0 ? matches.count + groupSelect : groupSelect
        guard matches.indices.contains(index) else { return Self.fallback }
        guard let chosen = matches[index].first(where: { !$0.isEmpty }) ?? (matches[index].count == 1 ? "" : nil) else {
            return Self.fallback
        }
        return PythonString.strip(chosen)
    }
}

/// `strict-match`: the number after `#### `.
public struct GSM8KStrictExtractor: AnswerExtractor {
    public static let name = "gsm8k_strict"
    static let filter = HarnessRegexFilter(regex: PythonRegex(#"#### (\-?[0-9\.\,]+)"#), groupSelect: 0)
    public init() {}
    public func extract(_ output: String, _ input: ScoringInput) -> String? { Self.filter.apply(output) }
}

/// `flexible-extract`: the last number-like run (`group_select: -1`).
public struct GSM8KFlexibleExtractor: AnswerExtractor {
    public static let name = "gsm8k_flexible"
    static let filter = HarnessRegexFilter(regex: PythonRegex(#"(-?[$0-9.,]{2,})|(-?[0-9]+)"#), groupSelect: -1)
    public init() {}
    public func extract(_ output: String, _ input: ScoringInput) -> String? { Self.filter.apply(output) }
}

/// The harness's `exact_match` with GSM8K's options, against the reference solution (whose `#### ` prefix the
/// ignored regexes remove).
public struct GSM8KExactMatch: AnswerScorer {
    public static let name = "gsm8k_exact_match"
    static let ignored = [",", #"\$"#, "(?s).*#### ", #"\.$"#].map(PythonRegex.init)
    public init() {}

    static func normalise(_ text: String) -> String {
        PythonString.lower(ignored.reduce(text) { $1.removeAll($0) })
    }

    public func score(_ answer: String?, _ input: ScoringInput) -> Double {
        guard let answer else { return 0 }
        return Self.normalise(answer) == Self.normalise(input.reference) ? 1 : 0
    }
}
