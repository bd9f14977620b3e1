/// What an extractor and a scorer see of one example besides the model's output.
public struct ScoringInput: Sendable {
    /// The reference answer (the definition's `target` rendered for this record).
    public var reference: String
    public var record: Record
    /// Scorer roles mapped to fields of the record (`fields:` of the definition).
    public var roles: [String: String]
    /// The prompt the model saw (HumanEval's completion continues it).
    public var prompt: String
    /// Whether the experiment or task allows running the model's code.
    public var allowCodeExecution: Bool

    public init(reference: String, record: Record, roles: [String: String] = [:], prompt: String = "",
                allowCodeExecution: Bool = false) {
        self.reference = reference
        self.record = record
        self.roles = roles
        self.prompt = prompt
        self.allowCodeExecution = allowCodeExecution
    }

    /// The record's value for a scorer role (the role's own name when the definition does not map it).
    public func field(_ role: String) -> JSONField? {
        record.fields[roles[role] ?? role]
    }
}

/// Pulls the answer out of a generation, e.g. the number after `####`. nil: no answer found (scores 0).
public protocol AnswerExtractor: Sendable {
    static var name: String { get }
    init()
    func extract(_ output: String, _ input: ScoringInput) -> String?
}

/// Scores an extracted answer, 0…1.
public protocol AnswerScorer: Sendable {
    static var name: String { get }
    /// Field roles the scorer reads from the record (checked when a definition loads).
    static var roles: [String] { get }
    /// Whether the scorer runs the model's output as a program.
    static var executesCode: Bool { get }
    init()
    func score(_ answer: String?, _ input: ScoringInput) throws -> Double
}

extension AnswerScorer {
    public static var roles: [String] { [] }
    public static var executesCode: Bool { false }
}

/// The one place where an extractor or scorer name (as written in task definitions) maps to a type.
public enum AnswerRegistry {
    public static let extractors: [any AnswerExtractor.Type] = [
        GSM8KStrictExtractor.self, GSM8KFlexibleExtractor.self, LastBoxedExtractor.self,
        MMLUGenerativeExtractor.self, MMLUFlanStrictExtractor.self, MultipleChoiceRegexExtractor.self,
        D1CountdownExtractor.self, D1SudokuExtractor.self, WholeOutputExtractor.self, CodeBlockExtractor.self,
    ]
    public static let scorers: [any AnswerScorer.Type] = [
        ExactMatch.self, GSM8KExactMatch.self, MultipleChoiceExactMatch.self, MathEquivalence.self, CountdownExpressionScorer.self,
        SudokuCellAccuracy.self, SudokuSolved.self, HumanEvalExecution.self, MBPPExecution.self,
    ]

    public static var extractorNames: [String] { extractors.map { $0.name } }
    public static var scorerNames: [String] { scorers.map { $0.name } }

    public static func extractor(named name: String) -> (any AnswerExtractor.Type)? {
        extractors.first { $0.name == name }
    }

    public static func scorer(named name: String) -> (any AnswerScorer.Type)? {
        scorers.first { $0.name == name }
    }
}
