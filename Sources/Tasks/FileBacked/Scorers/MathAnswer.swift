/// MATH answers: the last `\boxed{…}` and the reference normalisation, ported from lm-evaluation-harness
/// `lm_eval/tasks/hendrycks_math/utils.py` (lm-eval 0.4.13 on PyPI; functions `last_boxed_only_string`,
/// `remove_boxed`, `strip_string`, `fix_fracs`, `fix_a_slash_b`, `remove_right_units`, `fix_sqrt`, `is_equiv`),
/// itself from Hendrycks et al.'s MATH code (github.com/hendrycks/math, `modeling/math_equivalence.py`). d1
/// (github.com/dllm-reasoning/d1, `eval/parser_helper.py`) uses the same functions for MATH-500.
///
/// Python indexes strings by code point, so the port works on arrays of Unicode scalars. Where the Python raises
/// (an `assert`, an index past the end, `int()` of a non-number), the port throws, and `is_equiv` falls back to
/// comparing the raw strings exactly as the Python's `except Exception` does.
enum MathAnswer {
    typealias Scalars = [Unicode.Scalar]

    struct PythonException: Error {}

    // MARK: Boxed answers

    /// `last_boxed_only_string`: the last `\boxed{…}` (or `\fbox{…}`) with balanced braces, or `\boxed ` up to a `$`.
    static func lastBoxedOnly(_ text: String) -> String? {
        let s = Array(text.unicodeScalars)
        let boxedSpace = Array("\\boxed ".unicodeScalars)
        if contains(s, boxedSpace) {
            let tail = split(s, boxedSpace).last ?? []
            return string(boxedSpace + (split(tail, Array("$".unicodeScalars)).first ?? []))
        }
        var start = rfind(s, Array("\\boxed".unicodeScalars))
        if start == nil { start = rfind(s, Array("\\fbox".unicodeScalars)) }
        guard let idx = start else { return nil }
        var open = 0
        for i in idx ..< s.count {
            if s[i] == "{" { open += 1 }
            if s[i] == "}" {
                open -= 1
                if open == 0 { return string(Array(s[idx ... i])) }
            }
        }
        return nil
    }

    /// `remove_boxed`: the inside of `\boxed{…}` or what follows `\boxed `. - Throws where the Python asserts.
    static func removeBoxed(_ text: String) throws -> String {
        let s = Array(text.unicodeScalars)
        let boxedSpace = Array("\\boxed ".unicodeScalars)
        if contains(s, boxedSpace) {
            guard s.starts(with: boxedSpace) else { throw PythonException() }
            return string(Array(s.dropFirst(boxedSpace.count)))
        }
        let left = Array("\\boxed{".unicodeScalars)
        guard s.starts(with: left), s.last == "}", s.count >= left.count + 1 else { throw PythonException() }
        return string(Array(s[left.count ..< s.count - 1]))
    }

    /// The answer of a generation as the MATH-500 scorers take it: `remove_boxed(last_boxed_only_string(x))`,
    /// nil where that fails.
    static func boxedAnswer(_ text: String) -> String? {
        guard let boxed = lastBoxedOnly(text) else { return nil }
        return try? removeBoxed(boxed)
    }

    // MARK: Equivalence

    /// `is_equiv`: equal after `strip_string`; if normalising either raises, the raw strings must be equal.
    static func isEquivalent(_ a: String, _ b: String) -> Bool {
        do {
            return try stripString(a) == stripString(b)
        } catch {
            return a == b
        }
    }

    static func stripString(_ text: String) throws -> String {
        var s = Array(text.unicodeScalars)
        s = replace(s, "\n", "")
        s = replace(s, "\\!", "")
        s = replace(s, "\\\\", "\\")
        s = replace(s, "tfrac", "frac")
        s = replace(s, "dfrac", "frac")
        s = replace(s, "\\left", "")
        s = replace(s, "\\right", "")
        s = replace(s, "^{\\circ}", "")
        s = replace(s, "^\\circ", "")
        s = replace(s, "\\$", "")
        s = try removeRightUnits(s)
        s = replace(s, "\\%", "")
        s = replace(s, " .", " 0.")
        s = replace(s, "{.", "{0.")
        if s.isEmpty { return "" }
        if s[0] == "." { s = ["0"] + s }
        let equalsParts = split(s, ["="])
        if equalsParts.count == 2 && equalsParts[0].count <= 2 { s = equalsParts[1] }
        s = try fixSqrt(s)
        s = replace(s, " ", "")
        s = try fixFracs(s)
        if s == Array("0.5".unicodeScalars) { s = Array("\\frac{1}{2}".unicodeScalars) }
        s = try fixASlashB(s)
        return string(s)
    }

    static func removeRightUnits(_ s: Scalars) throws -> Scalars {
        let marker = Array("\\text{ ".unicodeScalars)
        guard contains(s, marker) else { return s }
        let parts = split(s, marker)
        guard parts.count == 2 else { throw PythonException() }
        return parts[0]
    }

    static func fixSqrt(_ s: Scalars) throws -> Scalars {
        let sqrt = Array("\\sqrt".unicodeScalars)
        guard contains(s, sqrt) else { return s }
        let parts = split(s, sqrt)
        var result = parts[0]
        for part in parts.dropFirst() {
            guard let first = part.first else { throw PythonException() }  // split[0] of an empty piece
            if first != "{" {
                result += sqrt + ["{", first, "}"] + part.dropFirst()
            } else {
                result += sqrt + part
            }
        }
        return result
    }

    static func fixFracs(_ s: Scalars) throws -> Scalars {
        let frac = Array("\\frac".unicodeScalars)
        let parts = split(s, frac)
        var result = parts[0]
        for part in parts.dropFirst() {
            result += frac
            guard let first = part.first else { throw PythonException() }  // substr[0] of an empty piece
            if first == "{" {
                result += part
                continue
            }
            guard part.count >= 2 else { return s }
            let (a, b) = (part[0], part[1])
            let post = Array(part.dropFirst(2))
            if b != "{" {
                result += ["{", a, "}", "{", b, "}"] + post
            } else {
                result += ["{", a, "}", b] + post
            }
        }
        return result
    }

    static func fixASlashB(_ s: Scalars) throws -> Scalars {
        let parts = split(s, ["/"])
        guard parts.count == 2 else { return s }
        // int(a), int(b): a ValueError escapes to is_equiv; then "{a}/{b}" must give back the string.
        guard let a = pythonInt(parts[0]), let b = pythonInt(parts[1]) else { throw PythonException() }
        guard string(s) == "\(a)/\(b)" else { return s }
        return Array("\\frac{\(a)}{\(b)}".unicodeScalars)
    }

    /// Python's `int(text)`: surrounding white space, an optional sign, decimal digits (any script) with single
    /// underscores between them. The value as canonical decimal text (kept as text: no overflow).
    static func pythonInt(_ s: Scalars) -> String? {
        var body = s[...]
        while let first = body.first, PythonString.isSpace(first) { body = body.dropFirst() }
        while let last = body.last, PythonString.isSpace(last) { body = body.dropLast() }
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard let first = body.first, first != "_", body.last != "_" else { return nil }
        var digits: [Int] = []
        var previousUnderscore = false
        for scalar in body {
            if scalar == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
            digits.append(Int(value))
        }
        guard !digits.isEmpty else { return nil }
        let trimmed = digits.drop { $0 == 0 }
        let magnitude = trimmed.isEmpty ? "0" : trimmed.map(String.init).joined()
        return negative && magnitude != "0" ? "-" + magnitude : magnitude
    }

    // MARK: Code-point string helpers (Python semantics)

    static func string(_ s: Scalars) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s)
        return String(view)
    }

    static func find(_ s: Scalars, _ needle: Scalars, from start: Int = 0) -> Int? {
        guard !needle.isEmpty, s.count >= needle.count, start <= s.count - needle.count else { return nil }
        for i in start ... s.count - needle.count where s[i] == needle[0] && Array(s[i ..< i + needle.count]) == needle {
            return i
        }
        return nil
    }

    static func rfind(_ s: Scalars, _ needle: Scalars) -> Int? {
        guard !needle.isEmpty, s.count >= needle.count else { return nil }
        for i in stride(from: s.count - needle.count, through: 0, by: -1) where Array(s[i ..< i + needle.count]) == needle {
            return i
        }
        return nil
    }

    static func contains(_ s: Scalars, _ needle: Scalars) -> Bool { find(s, needle) != nil }

    /// `str.split(sep)`: every occurrence, empty pieces kept.
    static func split(_ s: Scalars, _ separator: Scalars) -> [Scalars] {
        var parts: [Scalars] = []
        var start = 0
        while let i = find(s, separator, from: start) {
            parts.append(Array(s[start ..< i]))
            start = i + separator.count
        }
        parts.append(Array(s[start...]))
        return parts
    }

    static func replace(_ s: Scalars, _ old: String, _ new: String) -> Scalars {
        let parts = split(s, Array(old.unicodeScalars))
        guard parts.count > 1 else { return s }
        let joiner = Array(new.unicodeScalars)
        var result = parts[0]
        for part in parts.dropFirst() { result += joiner + part }
        return result
    }
}

/// The last `\boxed{…}` of a generation, braces balanced (lm-eval `last_boxed_only_string` + `remove_boxed`).
public struct LastBoxedExtractor: AnswerExtractor {
    public static let name = "last_boxed"
    public init() {}
    public func extract(_ output: String, _ input: ScoringInput) -> String? { MathAnswer.boxedAnswer(output) }
}

/// MATH equivalence: `is_equiv` of the extracted answer and the reference answer after `strip_string`.
public struct MathEquivalence: AnswerScorer {
    public static let name = "math_equiv"
    public init() {}
    public func score(_ answer: String?, _ input: ScoringInput) -> Double {
        guard let answer else { return 0 }
        return MathAnswer.isEquivalent(answer, input.reference) ? 1 : 0
    }
}
